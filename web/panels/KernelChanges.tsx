import { kernelGroupHeading, nodeNames, type EditKernelChanges } from '../../core/dataplane/kernelChangeGroups';

/** Lines listed per group: a Service-range change rewrites every rule, and the heading counts them all. */
const SHOWN_LINES = 200;

/** The routes and kube-proxy rules the last edit added and removed, node group by node group, as `k8snet diff` lists them. */
export function KernelChanges({ kernels }: { kernels: EditKernelChanges }) {
  if ('skipped' in kernels) return <p className="hint">{kernels.skipped}.</p>;
  if (kernels.groups.length === 0) return null;
  return (
    <div className="kernel-changes" role="group" aria-label="Node kernels changed by the last edit">
      <p className="kernel-title">Node kernels changed ({kernels.groups.reduce((n, g) => n + g.nodes.length, 0)})</p>
      {kernels.groups.map((g) => {
        const lines = [
          ...g.routes.added.map((l) => `+ ${l}`),
          ...g.routes.removed.map((l) => `- ${l}`),
          ...(g.rules.added.length + g.rules.removed.length > 0 ? ['kube-proxy:'] : []),
          ...g.rules.added.map((l) => `+ ${l}`),
          ...g.rules.removed.map((l) => `- ${l}`),
        ];
        const heading = kernelGroupHeading(g);
        return (
          // Routes are few and what a lesson points at: open; kube-proxy's lines are many: the reader opens them.
          <details key={heading} open={g.routes.added.length + g.routes.removed.length > 0 && lines.length <= 30}>
            <summary>{heading}</summary>
            <pre className="table-text mono" tabIndex={0} aria-label={`Kernel changes on ${nodeNames(g.nodes)}`}>
              {lines.slice(0, SHOWN_LINES).map((l, i) => (
                <span key={i} className={l.startsWith('+') ? 'added' : l.startsWith('-') ? 'removed' : undefined}>
                  {l}
                  {'\n'}
                </span>
              ))}
              {lines.length > SHOWN_LINES && `… and ${lines.length - SHOWN_LINES} more lines (k8snet diff lists all)\n`}
            </pre>
          </details>
        );
      })}
    </div>
  );
}
