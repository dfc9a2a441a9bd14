import { parseCidr6 } from '../../core/ip/cidr6';
import { explainCidr6, formatBigCount } from '../../core/ip/explain6';

/** A CIDR's digits with "|" at the mask boundary: network digits, the boundary, host digits. */
export function MarkedBits({ marked, label }: { marked: string; label: string }) {
  const cut = marked.indexOf('|');
  return (
    <p className="bits mono" aria-label={label}>
      <span className="net-bits">{marked.slice(0, cut)}</span>
      <span className="boundary">|</span>
      <span className="host-bits">{marked.slice(cut + 1)}</span>
    </p>
  );
}

/** An IPv6 CIDR's range, exact size, the prefix boundary in its hex groups and how many blocks fit: all from core. */
export function CidrFacts6({ cidr, nodeMask }: { cidr: string; nodeMask?: number }) {
  const p = parseCidr6(cidr);
  if (!p.ok) return <p className="field-error">{p.message}</p>;
  const x = explainCidr6(p.value, nodeMask);
  const hostBits = 128 - x.prefix;
  return (
    <div className="cidr-facts">
      {p.warning && <p className="hint">{p.warning}</p>}
      <dl>
        <dt>range</dt>
        <dd className="mono">
          {x.network} – {x.lastAddress}
        </dd>
        <dt>addresses</dt>
        <dd>
          {formatBigCount(BigInt(x.size))} (2<sup>{hostBits}</sup>)
        </dd>
        <dt>usable</dt>
        <dd className="mono">
          {x.firstUsable} – {x.lastUsable}
        </dd>
        <dt>prefix</dt>
        <dd>
          /{x.prefix}: the first {x.prefix} of 128 bits; no broadcast address in IPv6
        </dd>
      </dl>
      <MarkedBits
        marked={x.hex.marked}
        label={`hex groups of ${x.cidr}: ${x.prefix} network bits, ${hostBits} host bits`}
      />
      <p className="hint">
        {x.prefix} network bits | {hostBits} host bits (each hex digit is 4 bits)
      </p>
      {x.fits.length > 0 && (
        <ul className="fits">
          {x.fits.map((f) => (
            <li key={f.prefix} className={f.prefix === nodeMask ? 'current' : undefined}>
              {formatBigCount(BigInt(f.count))} × /{f.prefix} ({formatBigCount(BigInt(f.addresses))} addresses each)
              {f.prefix === nodeMask ? ': one per node, the current IPv6 node mask' : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
