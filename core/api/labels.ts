// Label selectors, as k8s.io/apimachinery/pkg/labels.
// Keys are data: a label named "constructor" or "__proto__" is looked up as an own key, never through a prototype.
import type { LabelSelector, Labels } from './types';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The value of label `key`, or undefined when the object does not carry it itself. */
export const labelOf = (labels: Labels, key: string): string | undefined =>
  hasOwn(labels, key) ? labels[key] : undefined;

/** A full LabelSelector (Deployments, NetworkPolicies): matchLabels AND every matchExpression; empty matches all. */
export function matchesSelector(sel: LabelSelector, labels: Labels): boolean {
  const want = sel.matchLabels;
  if (want) for (const k of Object.keys(want)) if (labelOf(labels, k) !== want[k]) return false;
  for (const r of sel.matchExpressions ?? []) {
    const has = hasOwn(labels, r.key);
    const v = labelOf(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values?.includes(v!)) return false;
        break;
      case 'NotIn':
        if (has && r.values?.includes(v!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A Service's map selector: every pair must match; an empty or missing selector selects nothing. */
export function matchesLabels(sel: Labels | undefined, labels: Labels): boolean {
  if (!sel) return false;
  let any = false;
  for (const k of Object.keys(sel)) {
    any = true;
    if (labelOf(labels, k) !== sel[k]) return false;
  }
  return any;
}
