// Real traces from core for the ladder's tests: the talk's cluster and the NodePort example.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realize } from '../../../core/cluster/realize';
import { buildDataplane } from '../../../core/dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../../../core/scenario/defaultScenario';
import { parseScenario } from '../../../core/scenario/parse';
import { trace, type TraceRequest } from '../../../core/trace/trace';
import { traceSteps, type TraceStep } from '../../state/traceSteps';

export const nodeportYaml = readFileSync(join(__dirname, '../../../public/scenarios/nodeport.yaml'), 'utf8');
export const defaultYaml = DEFAULT_SCENARIO_YAML;

export function dataplaneOfText(text: string) {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
}

export function stepsOf(text: string, req: TraceRequest): TraceStep[] {
  const r = trace(dataplaneOfText(text), req);
  if (!r.ok) throw new Error(r.message);
  return traceSteps(r);
}
