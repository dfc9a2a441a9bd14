// k8s.io/apimachinery intstr: a count or a percentage of a total.
import type { IntOrPercent } from './controllers';

/** getIntOrPercentValue (apps validation): the number, or the percentage's number. */
export const intOrPercentValue = (v: IntOrPercent): number => (typeof v === 'number' ? v : Number(v.slice(0, -1)));

/** intstr.GetScaledValueFromIntOrPercent: a count as is, a percentage of `total` rounded up or down. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const exact = (intOrPercentValue(v) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
