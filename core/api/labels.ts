// Label selectors, as k8s.io/apimachinery/pkg/labels.
import type { LabelSelector, Labels } from './types';

/** A full LabelSelector (Deployments, NetworkPolicies): matchLabels AND every matchExpression; empty matches all. */
export function matchesSelector(sel: LabelSelector, labels: Labels): boolean {
  if (sel.matchLabels) for (const k in sel.matchLabels) if (labels[k] !== sel.matchLabels[k]) return false;
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
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
  for (const k in sel) {
    any = true;
    if (labels[k] !== sel[k]) return false;
  }
  return any;
}
