import { useState } from 'react';
import { parseCidr } from '../../core/ip/cidr';
import { explainCidr, formatCount } from '../../core/ip/explain';
import { CidrFacts6, MarkedBits } from './CidrFacts6';

/** A CIDR's bits with the mask boundary, its range and size, and how many node blocks fit: all from core. */
export function CidrFacts({ cidr, nodeMask }: { cidr: string; nodeMask?: number }) {
  // A colon means IPv6, as core's parseAny reads an address.
  if (cidr.includes(':')) return <CidrFacts6 cidr={cidr} nodeMask={nodeMask} />;
  const p = parseCidr(cidr);
  if (!p.ok) return <p className="field-error">{p.message}</p>;
  const x = explainCidr(p.value, nodeMask);
  const fits = x.fits;
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
          {formatCount(x.size)} (2<sup>{32 - x.prefix}</sup>)
        </dd>
        <dt>usable</dt>
        <dd className="mono">
          {x.firstUsable} – {x.lastUsable}
        </dd>
        <dt>netmask</dt>
        <dd className="mono">
          {x.netmask} (/{x.prefix})
        </dd>
      </dl>
      <MarkedBits
        marked={x.binary.marked}
        label={`bits of ${x.cidr}: ${x.prefix} network bits, ${32 - x.prefix} host bits`}
      />
      <p className="hint">
        {x.prefix} network bits | {32 - x.prefix} host bits
      </p>
      {fits.length > 0 && (
        <ul className="fits">
          {fits.map((f) => (
            <li key={f.prefix} className={f.prefix === nodeMask ? 'current' : undefined}>
              {formatCount(f.count)} × /{f.prefix} ({formatCount(f.addresses)} addresses each)
              {f.prefix === nodeMask ? ': one per node, the current node mask' : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The teacher's calculator: type a CIDR, see its bits. */
export function CidrExplainer({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  return (
    <div className="cidr-explainer">
      <label>
        CIDR to explain{' '}
        <input className="mono" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      <CidrFacts cidr={text.trim()} />
    </div>
  );
}
