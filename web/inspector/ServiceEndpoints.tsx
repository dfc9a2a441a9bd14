import type { RealizedEndpoint, RealizedService } from '../../core/api/types';
import { useExplorer } from '../state/store';
import { VirtualList } from '../panels/VirtualList';

const familyOf = (e: RealizedEndpoint) => e.family ?? 'IPv4';
/** An IPv6 address with a port is written in brackets, as kube-proxy and conntrack print it. */
const hostPort = (e: RealizedEndpoint) => (familyOf(e) === 'IPv6' ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

/** A Service's endpoints; in a dual-stack cluster its IPv6 EndpointSlice's after the IPv4 one's, each marked. */
export function ServiceEndpoints({ service: s }: { service: RealizedService }) {
  const select = useExplorer((st) => st.select);
  const dual = s.ipFamilies !== undefined;
  const all = [...s.endpoints, ...(s.secondaryEndpoints ?? [])];
  const count = (f: 'IPv4' | 'IPv6') => all.filter((e) => familyOf(e) === f).length;
  const heading = dual
    ? (s.ipFamilies ?? []).map((f) => `${count(f)} ${f}`).join(', ') || String(all.length)
    : String(all.length);
  return (
    <>
      <h3>Endpoints ({heading})</h3>
      {all.length === 0 ? (
        <p className="hint">
          {s.selector
            ? 'No ready pod matches the selector (or none declares its named targetPort): kube-proxy rejects connections to this Service.'
            : s.namespace === 'default' && s.name === 'kubernetes'
              ? 'No control-plane node, so no API server endpoint: kube-proxy rejects connections to this Service.'
              : 'No selector: Kubernetes creates no endpoints for this Service (they would be managed by hand), so kube-proxy rejects connections to it.'}
        </p>
      ) : (
        <VirtualList
          items={all}
          rowHeight={40}
          rowLines={2}
          maxRows={8}
          label={`Endpoints of ${s.namespace}/${s.name}`}
          keyOf={(_, i) => i}
          render={(e) => (
            <button type="button" className="link endpoint" onClick={() => select(`pod/${e.namespace}/${e.pod}`)}>
              <span className={`mono${familyOf(e) === 'IPv6' ? ' secondary-family' : ''}`}>
                {hostPort(e)}/{e.protocol}
                {e.portName ? ` (${e.portName})` : ''}
              </span>
              <span className="hint">
                {dual ? `${familyOf(e)} · ` : ''}
                {e.pod} on {e.node}
              </span>
            </button>
          )}
        />
      )}
    </>
  );
}
