// Reading a metav1.LabelSelector field, validated as the API server's
// ValidateLabelSelector does (apimachinery/pkg/apis/meta/v1/validation).
import { DocReader, isObj, join, type Obj } from './docReader';
import { labelKey, labelValue } from './k8sValidation';
import { validLabels } from './podTemplate';
import type { LabelSelector, LabelSelectorRequirement } from '../api/types';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** `o[key]` as a LabelSelector; undefined when absent (null counts as absent, as in the API). */
export function readSelector(r: DocReader, o: Obj, key: string, path: string): LabelSelector | undefined {
  const sel = r.obj(o, key, path);
  if (!sel) return undefined;
  const p = join(path, key);
  for (const k of Object.keys(sel)) {
    if (k !== 'matchLabels' && k !== 'matchExpressions')
      r.error(join(p, k), sel[k], 'unknown field: a label selector has matchLabels and matchExpressions');
  }
  const matchLabels = validLabels(r, r.stringMap(sel, 'matchLabels', p), `${p}.matchLabels`);
  const matchExpressions: LabelSelectorRequirement[] = [];
  (r.arr(sel, 'matchExpressions', p) ?? []).forEach((e, i) => {
    const ep = join(join(p, 'matchExpressions'), i);
    if (!isObj(e)) return r.error(ep, e, 'must be an object with key and operator');
    const key = r.str(e, 'key', ep);
    if (key === undefined) return r.error(join(ep, 'key'), '', 'Required value');
    const ke = labelKey(key);
    if (ke) r.error(join(ep, 'key'), key, ke);
    const op = r.str(e, 'operator', ep);
    if (op === undefined) return r.error(join(ep, 'operator'), '', 'Required value');
    if (!(OPERATORS as readonly string[]).includes(op))
      return r.error(join(ep, 'operator'), op, 'not a valid selector operator (In, NotIn, Exists, DoesNotExist)');
    const operator = op as LabelSelectorRequirement['operator'];
    const values: string[] = [];
    (r.arr(e, 'values', ep) ?? []).forEach((v, j) => {
      if (typeof v !== 'string')
        return r.error(join(join(ep, 'values'), j), v, 'must be a string (quote numbers and booleans in YAML)');
      const ve = labelValue(v);
      if (ve) r.error(join(join(ep, 'values'), j), v, ve);
      values.push(v);
    });
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      return r.error(join(ep, 'values'), '', "Required value: must be specified when `operator` is 'In' or 'NotIn'");
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      return r.error(
        join(ep, 'values'),
        values,
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      );
    }
    matchExpressions.push({ key, operator, ...(values.length ? { values } : {}) });
  });
  return {
    ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
    ...(matchExpressions.length ? { matchExpressions } : {}),
  };
}

/** A selector as kubectl describe prints it: "app=web,tier in (a,b)"; "<none>" for `{}` (all). */
export function selectorText(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}
