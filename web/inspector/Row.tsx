import { Secondary } from './Secondary';

/** One fact; `second` is a dual-stack cluster's IPv6 counterpart, shown smaller after it. */
export function Row({ k, v, second }: { k: string; v: string; second?: string | undefined }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>
        {v}
        <Secondary text={second} />
      </dd>
    </>
  );
}
