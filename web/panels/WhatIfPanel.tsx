import { useState, type ReactNode } from 'react';
import type { ScenarioEdit } from '../../core/scenario/edit';
import type { ScenarioIssue } from '../../core/api/types';
import { clusterNodeSubnet, primaryFamily } from '../../core/api/familyFields';
import { useDerived } from '../state/derive';
import { useExplorer } from '../state/store';
import { EditWarnings } from './EditWarnings';

function FieldErrors({ errors, id }: { errors: ScenarioIssue[]; id: string }) {
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" id={id} role="alert">
      {errors.slice(0, 4).map((e, i) => (
        <li key={i}>
          {e.path ? (
            <>
              <span className="mono">{e.path}</span>
              {e.value ? ` "${e.value}"` : ''}:{' '}
            </>
          ) : null}
          {e.message}
        </li>
      ))}
      <li className="kept">Not applied; the diagram still shows the last valid cluster.</li>
    </ul>
  );
}

/** A dual-stack cluster's range as kind writes it: the primary family's CIDR, then the other one. */
const both = (primary: string, all: string[] | undefined) => (all && all.length > 1 ? all.join(',') : primary);

let fieldIds = 0;
/** Workloads and Services offered as fields; a generated cluster has thousands. */
const MAX_EDITABLE = 12;

/**
 * One what-if field: typing is local, Enter or leaving the field applies it.
 * A value core rejects stays in the field with the reason beside it.
 */
function EditField({
  label,
  value,
  edit,
  options,
  width,
  wide = false,
}: {
  label: string;
  value: string;
  edit: (v: string) => ScenarioEdit;
  options?: string[];
  width?: string;
  /** The input on its own line under the label: room for two CIDRs. */
  wide?: boolean;
}) {
  const applyEdit = useExplorer((s) => s.applyEdit);
  const [draft, setDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<ScenarioIssue[]>([]);
  const [id] = useState(() => `field-${++fieldIds}`);
  const commit = (v: string) => {
    if (v === value) {
      setDraft(null);
      setErrors([]);
      return;
    }
    const r = applyEdit(edit(v));
    if (r.ok) {
      setDraft(null);
      setErrors([]);
    } else setErrors(r.errors);
  };
  const shown = draft ?? value;
  const invalid = errors.length > 0;
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label>
        <span>{label}</span>
        {options ? (
          <select
            value={shown}
            onChange={(e) => commit(e.target.value)}
            aria-invalid={invalid}
            aria-describedby={invalid ? id : undefined}
          >
            {options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <input
            className="mono"
            style={width ? { width } : undefined}
            value={shown}
            aria-invalid={invalid}
            aria-describedby={invalid ? id : undefined}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => draft !== null && commit(draft)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit(shown);
              if (e.key === 'Escape') {
                setDraft(null);
                setErrors([]);
              }
            }}
          />
        )}
      </label>
      <FieldErrors errors={errors} id={id} />
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

/** The engineer's what-if: change a range, a node count, replicas or a Service and see what breaks. */
export function WhatIfPanel() {
  const { scenario, cluster, totals } = useDerived();
  const workloadCount = totals?.workloads ?? scenario.workloads.length;
  const serviceCount = totals?.services ?? scenario.services.length;
  const applyEdit = useExplorer((s) => s.applyEdit);
  const [nodeError, setNodeError] = useState<ScenarioIssue[]>([]);
  const working = useExplorer((s) => s.working);
  const editRejected = useExplorer((s) => s.editRejected);
  const c = cluster.cluster;
  const dual = c.ipFamily === 'dual';
  const v6only = c.ipFamily === 'ipv6';
  // Fields re-mount when the scenario changes, so an undo shows the restored values.
  const k = useExplorer((s) => s.scenarioText);
  const cl =
    (field: Extract<ScenarioEdit, { kind: 'cluster' }>['field']) =>
    (v: string): ScenarioEdit => ({ kind: 'cluster', field, value: v });
  const addNode = () => {
    const r = applyEdit({ kind: 'addNode' });
    setNodeError(r.ok ? [] : r.errors);
  };
  return (
    <section className="whatif" aria-label="What if">
      <h2>What if…</h2>
      <p className="hint">Change a value and press Enter: the diagram, the warnings and every table follow.</p>
      {working && (
        <p className="pending" role="status">
          Applying the change to the big scenario in the background…
        </p>
      )}
      {editRejected && <FieldErrors errors={editRejected} id="whatif-async-errors" />}
      <EditWarnings />
      <div key={k}>
        <Group title="Cluster ranges">
          {dual && (
            <p className="hint">
              Dual-stack: PodCIDR and Service range take two CIDRs, comma-separated, the primary family first (here{' '}
              {primaryFamily(c)}), as kind's podSubnet and serviceSubnet do.
            </p>
          )}
          {/* kind's comma form: the parser reads both families (and refuses one where two are needed). */}
          <EditField label="PodCIDR" value={both(c.podCIDR, c.podCIDRs)} edit={cl('podSubnet')} wide={dual} />
          <EditField
            label="Service range"
            value={both(c.serviceCIDR, c.serviceCIDRs)}
            edit={cl('serviceSubnet')}
            wide={dual}
          />
          <EditField
            label={dual ? 'IPv4 node mask' : 'Node mask'}
            value={String(c.nodeCIDRMaskSize)}
            edit={cl('nodeCIDRMaskSize')}
            width="4em"
          />
          {dual && (
            <EditField
              label="IPv6 node mask"
              value={String(c.nodeCIDRMaskSizeIPv6)}
              edit={cl('nodeCIDRMaskSizeIPv6')}
              width="4em"
            />
          )}
          {v6only ? (
            <p className="hint">
              IPv6 only: the nodes are on kind&apos;s IPv6 network {c.nodeSubnet}, and the node mask is the IPv6 one
              (kube-controller-manager&apos;s --node-cidr-mask-size).
            </p>
          ) : (
            <EditField
              label="Node network"
              value={clusterNodeSubnet(c, 'IPv4') ?? c.nodeSubnet}
              edit={cl('nodeSubnet')}
            />
          )}
          <EditField label="CNI mode" value={c.cni} edit={cl('cni')} options={['host-gw', 'vxlan']} />
          <EditField
            label="kube-proxy mode"
            value={c.kubeProxyMode}
            edit={cl('kubeProxyMode')}
            options={['iptables', 'nftables']}
          />
        </Group>
        <Group title={`Nodes (${cluster.nodes.length})`}>
          <button type="button" onClick={addNode}>
            Add node
          </button>
          <span className="hint"> Remove a node from its inspector.</span>
          <FieldErrors errors={nodeError} id="add-node-errors" />
        </Group>
        {workloadCount > 0 && (
          <Group title="Workloads">
            {scenario.workloads.slice(0, MAX_EDITABLE).map((w) => (
              <EditField
                key={`${w.namespace}/${w.name}`}
                label={`${w.kind} ${w.namespace}/${w.name} replicas`}
                value={String(w.replicas)}
                width="4em"
                edit={(v) => ({ kind: 'replicas', namespace: w.namespace, name: w.name, value: v })}
              />
            ))}
            {workloadCount > MAX_EDITABLE && (
              <p className="hint">and {workloadCount - MAX_EDITABLE} more: edit them in the YAML.</p>
            )}
          </Group>
        )}
        {serviceCount > 0 && (
          <Group title="Services">
            {scenario.services.slice(0, MAX_EDITABLE).map((s) => {
              const base = { namespace: s.namespace, name: s.name };
              return (
                <div className="svc-edit" key={`${s.namespace}/${s.name}`}>
                  <strong>
                    {s.namespace}/{s.name}
                  </strong>
                  <EditField
                    label="type"
                    value={s.type}
                    options={['ClusterIP', 'NodePort', 'LoadBalancer']}
                    edit={(v) => ({ kind: 'service', ...base, field: 'type', port: 0, value: v })}
                  />
                  {s.type !== 'ClusterIP' && (
                    <EditField
                      label="externalTrafficPolicy"
                      value={s.externalTrafficPolicy}
                      options={['Cluster', 'Local']}
                      edit={(v) => ({ kind: 'service', ...base, field: 'externalTrafficPolicy', port: 0, value: v })}
                    />
                  )}
                  <EditField
                    label="selector"
                    value={
                      s.selector
                        ? Object.entries(s.selector)
                            .map(([a, b]) => `${a}=${b}`)
                            .join(',')
                        : ''
                    }
                    edit={(v) => ({ kind: 'serviceSelector', ...base, value: v })}
                  />
                  {s.ports.map((p, i) => (
                    <div className="port-row" key={i}>
                      <EditField
                        label={`port ${i + 1}`}
                        value={String(p.port)}
                        width="5em"
                        edit={(v) => ({ kind: 'service', ...base, field: 'port', port: i, value: v })}
                      />
                      <EditField
                        label="targetPort"
                        value={String(p.targetPort)}
                        width="6em"
                        edit={(v) => ({ kind: 'service', ...base, field: 'targetPort', port: i, value: v })}
                      />
                    </div>
                  ))}
                </div>
              );
            })}
            {serviceCount > MAX_EDITABLE && (
              <p className="hint">and {serviceCount - MAX_EDITABLE} more: edit them in the YAML.</p>
            )}
          </Group>
        )}
      </div>
    </section>
  );
}
