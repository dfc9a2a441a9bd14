// How a controller replaces its pods when the template changes: a Deployment's spec.strategy and a DaemonSet's
// or StatefulSet's spec.updateStrategy, defaulted as pkg/apis/apps/v1/defaults.go and validated as
// pkg/apis/apps/validation/validation.go (ValidateDeploymentStrategy, ValidateRollingUpdateDaemonSet,
// ValidateStatefulSetUpdateStrategy) do, with their messages.
import { join, type DocReader, type Obj } from './docReader';
import { intOrPercentValue } from '../api/intOrPercent';
import type {
  DaemonSetUpdateStrategy,
  DeploymentStrategy,
  IntOrPercent,
  StatefulSetUpdateStrategy,
} from '../api/types';

// k8s.io/apimachinery validation.IsValidPercent's RegexError text.
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** As ValidatePositiveIntOrPercent; undefined when absent or invalid (the error is recorded). */
function intOrPercent(r: DocReader, o: Obj, key: string, path: string): IntOrPercent | undefined {
  const v = o[key];
  const at = join(path, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    if (/^[0-9]+%$/.test(v)) return v as `${number}%`;
    return void r.error(at, v, PERCENT_MESSAGE);
  }
  if (typeof v !== 'number' || !Number.isInteger(v))
    return void r.error(at, v, "must be an integer or percentage (e.g '5%')");
  if (v < 0) return void r.error(at, v, 'must be greater than or equal to 0');
  return v;
}

const valueOf = intOrPercentValue;

/** IsNotMoreThan100Percent. */
function notOver100(r: DocReader, v: IntOrPercent | undefined, path: string): void {
  if (typeof v === 'string' && valueOf(v) > 100) r.error(path, v, 'must not be greater than 100%');
}

export function parseDeploymentStrategy(r: DocReader, spec: Obj): DeploymentStrategy | undefined {
  const s = r.obj(spec, 'strategy', 'spec');
  if (!s) return undefined;
  const type = r.oneOf(s, 'type', 'spec.strategy', ['Recreate', 'RollingUpdate'] as const) ?? 'RollingUpdate';
  const ru = r.obj(s, 'rollingUpdate', 'spec.strategy');
  const path = 'spec.strategy.rollingUpdate';
  if (type === 'Recreate') {
    if (ru) r.error(path, ru, "Forbidden: may not be specified when strategy `type` is 'Recreate'");
    return { type };
  }
  const maxSurge = (ru && intOrPercent(r, ru, 'maxSurge', path)) ?? '25%';
  const maxUnavailable = (ru && intOrPercent(r, ru, 'maxUnavailable', path)) ?? '25%';
  if (valueOf(maxSurge) === 0 && valueOf(maxUnavailable) === 0)
    r.error(`${path}.maxUnavailable`, maxUnavailable, 'may not be 0 when `maxSurge` is 0');
  notOver100(r, maxUnavailable, `${path}.maxUnavailable`);
  return { type, maxSurge, maxUnavailable };
}

export function parseDaemonSetStrategy(r: DocReader, spec: Obj): DaemonSetUpdateStrategy | undefined {
  const s = r.obj(spec, 'updateStrategy', 'spec');
  if (!s) return undefined;
  const type = r.oneOf(s, 'type', 'spec.updateStrategy', ['RollingUpdate', 'OnDelete'] as const) ?? 'RollingUpdate';
  if (type === 'OnDelete') return { type };
  const path = 'spec.updateStrategy.rollingUpdate';
  const ru = r.obj(s, 'rollingUpdate', 'spec.updateStrategy');
  const maxSurge = (ru && intOrPercent(r, ru, 'maxSurge', path)) ?? 0;
  const maxUnavailable = (ru && intOrPercent(r, ru, 'maxUnavailable', path)) ?? 1;
  notOver100(r, maxUnavailable, `${path}.maxUnavailable`);
  notOver100(r, maxSurge, `${path}.maxSurge`);
  const hasSurge = valueOf(maxSurge) !== 0;
  const hasUnavailable = valueOf(maxUnavailable) !== 0;
  if (hasSurge && hasUnavailable)
    r.error(`${path}.maxSurge`, maxSurge, 'may not be set when maxUnavailable is non-zero');
  if (!hasSurge && !hasUnavailable)
    r.error(`${path}.maxUnavailable`, '', 'Required value: cannot be 0 when maxSurge is 0');
  return { type, maxSurge, maxUnavailable };
}

export function parseStatefulSetStrategy(r: DocReader, spec: Obj): StatefulSetUpdateStrategy | undefined {
  const s = r.obj(spec, 'updateStrategy', 'spec');
  if (!s) return undefined;
  const type = r.oneOf(s, 'type', 'spec.updateStrategy', ['RollingUpdate', 'OnDelete'] as const) ?? 'RollingUpdate';
  const ru = r.obj(s, 'rollingUpdate', 'spec.updateStrategy');
  const path = 'spec.updateStrategy.rollingUpdate';
  if (type === 'OnDelete') {
    if (ru) r.error(path, ru, "Invalid value: only allowed for updateStrategy 'RollingUpdate'");
    return { type };
  }
  const partition = (ru && r.int(ru, 'partition', path)) ?? 0;
  if (partition < 0) r.error(`${path}.partition`, partition, 'must be greater than or equal to 0');
  return { type, partition: Math.max(0, partition) };
}
