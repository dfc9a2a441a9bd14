import { useMemo, useState, type FormEvent } from 'react';
import type { RealizedCluster } from '../../../core/api/types';
import { primaryFamily } from '../../../core/api/familyFields';
import { firstPods } from '../../../core/store/podQueries';
import { useExplorer } from '../../state/store';
import { Suggestions } from './Suggestions';

/** Options listed in the From menu and the To suggestions; bigger clusters type a ref. */
const MAX_OPTIONS = 300;

/** From, To, Port, Protocol (and Family in a dual-stack cluster); Trace asks core for the walk. A shared link's trace fills the fields. */
export function TraceForm({
  cluster,
  portError,
  setPortError,
}: {
  cluster: RealizedCluster;
  portError: string | null;
  setPortError: (e: string | null) => void;
}) {
  const startTrace = useExplorer((s) => s.startTrace);
  const clearTrace = useExplorer((s) => s.clearTrace);
  const opened = useExplorer((s) => s.trace);
  // The menus list a few hundred pods; a big cluster's others are typed or found.
  const pods = useMemo(() => firstPods(cluster, MAX_OPTIONS + 1, (p) => p.ip !== null && !p.hostNetwork), [cluster]);
  const firstWeb = pods.find((p) => p.namespace === 'default') ?? pods[0];
  const [from, setFrom] = useState(
    () => opened?.from ?? (firstWeb ? `pod/${firstWeb.namespace}/${firstWeb.name}` : 'external'),
  );
  const [to, setTo] = useState(() => {
    if (opened) return opened.to;
    const svc = cluster.services.find((s) => s.namespace === 'default' && s.name !== 'kubernetes');
    return svc ? `${svc.name}.${svc.namespace}.svc.${cluster.cluster.clusterDomain}` : `svc/default/kubernetes`;
  });
  const [port, setPort] = useState(() => (opened?.port !== undefined ? String(opened.port) : ''));
  const [focused, setFocused] = useState<'from' | 'to' | null>(null);
  const [protocol, setProtocol] = useState<'TCP' | 'UDP'>(() => opened?.protocol ?? 'TCP');
  // Only a dual-stack cluster has two families to choose from; core picks the addresses of the chosen one.
  const dual = cluster.cluster.ipFamily === 'dual';
  // The cluster's primary family first: kind lists it first in podSubnet and serviceSubnet.
  const primary = primaryFamily(cluster.cluster);
  const [family, setFamily] = useState<'IPv4' | 'IPv6'>(() => opened?.family ?? primary);
  // A menu when the cluster is small enough, unless a shared link's From is not one of its options.
  const [menu] = useState(
    () =>
      pods.length + cluster.nodes.length <= MAX_OPTIONS &&
      (!opened ||
        opened.from === 'external' ||
        pods.some((p) => `pod/${p.namespace}/${p.name}` === opened.from) ||
        cluster.nodes.some((n) => `node/${n.name}` === opened.from)),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = port.trim();
    const n = Number(text);
    // The same rule as the API's port fields: a whole number from 1 to 65535, or empty for the destination's own port.
    if (text !== '' && (!/^\d+$/.test(text) || n < 1 || n > 65535)) {
      setPortError(
        `"${text}" is not a port: use a whole number from 1 to 65535, or leave it empty for the destination's own port`,
      );
      // The last trace's result would otherwise stay beside the new error, as if it answered this request.
      clearTrace();
      return;
    }
    setPortError(null);
    startTrace({ from, to, ...(text ? { port: n } : {}), protocol, ...(dual ? { family } : {}) });
  };

  return (
    <form onSubmit={submit} className="trace-form">
      <label>
        From
        {menu ? (
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            {pods.map((p) => (
              <option key={`${p.namespace}/${p.name}`} value={`pod/${p.namespace}/${p.name}`}>
                pod {p.name} ({p.ip})
              </option>
            ))}
            {cluster.nodes.map((n) => (
              <option key={n.name} value={`node/${n.name}`}>
                node {n.name} ({n.ip})
              </option>
            ))}
            <option value="external">external client</option>
          </select>
        ) : (
          // A big cluster: type a ref (pod/NS/NAME, node/NAME, an IP or "external") instead of scrolling 150,000 options.
          <input
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            onFocus={() => setFocused('from')}
            list="trace-from-targets"
            spellCheck={false}
          />
        )}
      </label>
      <label>
        To
        <input
          value={to}
          onChange={(e) => setTo(e.target.value)}
          onFocus={() => setFocused('to')}
          list="trace-to-targets"
          spellCheck={false}
        />
      </label>
      <Suggestions id="trace-from-targets" typed={from} cluster={cluster} pods={pods} active={focused === 'from'} />
      <Suggestions id="trace-to-targets" typed={to} cluster={cluster} pods={pods} active={focused === 'to'} />
      <label>
        Port
        <input
          value={port}
          onChange={(e) => setPort(e.target.value)}
          inputMode="numeric"
          placeholder="auto"
          size={6}
          aria-invalid={portError !== null}
          aria-describedby={portError ? 'trace-port-error' : undefined}
        />
      </label>
      <label>
        Protocol
        <select value={protocol} onChange={(e) => setProtocol(e.target.value as 'TCP' | 'UDP')}>
          <option>TCP</option>
          <option>UDP</option>
        </select>
      </label>
      {dual && (
        <label>
          Family
          <select value={family} onChange={(e) => setFamily(e.target.value as 'IPv4' | 'IPv6')}>
            {(['IPv4', 'IPv6'] as const).map((f) => (
              <option key={f} value={f}>
                {f === primary ? `${f} (primary)` : f}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit">Trace</button>
    </form>
  );
}
