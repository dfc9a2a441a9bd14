import type { RealizedPod } from '../../core/api/types';
import { POD_H, type PodBox } from './nodeGeometry';

/** Monospace advance widths at the pill's font sizes, for deciding before the browser measures. */
const IP_CHAR_W = 16 * 0.602;
const IP6_CHAR_W = 14 * 0.602;
const IP_X = 18;
const BADGE_W = 96;

/**
 * Where a pod's second (IPv6) address goes on its pill: beside the primary one, smaller, when it
 * fits; otherwise a compact "+IPv6" marker, with the address in the tooltip and the inspector.
 */
export function secondaryPlace(pod: RealizedPod, w: number, badge: boolean): { x: number; full: boolean } | null {
  const ip6 = pod.ips?.[1];
  if (!ip6 || !pod.ip) return null;
  const x = IP_X + pod.ip.length * IP_CHAR_W + 10;
  const room = w - (badge ? BADGE_W : 10);
  return { x, full: x + ip6.length * IP6_CHAR_W <= room };
}

export interface PodPillProps {
  pb: PodBox;
  color: string;
  shownName: string;
  pendingText: string;
  isoText: string;
}

/** The pill's drawing: colour bar, name, address(es) and the NetworkPolicy badge. */
export function PodPill({ pb, color, shownName, pendingText, isoText }: PodPillProps) {
  const p = pb.pod;
  const second = secondaryPlace(p, pb.w, isoText !== '');
  const ip6 = p.ips?.[1];
  return (
    <>
      <rect x={pb.x} y={pb.y} width={pb.w} height={POD_H} rx={8} style={{ stroke: color }} />
      <rect x={pb.x} y={pb.y} width={8} height={POD_H} rx={3} style={{ fill: color }} />
      <text className="pod-name" x={pb.x + 18} y={pb.y + 19}>
        {shownName}
      </text>{' '}
      <text className={`mono pod-ip${p.ip ? '' : ' error-text'}`} x={pb.x + IP_X} y={pb.y + 37}>
        {p.ip ?? pendingText}
      </text>{' '}
      {second && (
        <text className="mono secondary-ip" x={pb.x + second.x} y={pb.y + 37}>
          {second.full ? ip6 : '+IPv6'}
        </text>
      )}{' '}
      {isoText && (
        <g className="isolated">
          <rect x={pb.x + pb.w - 92} y={pb.y + 24} width={84} height={17} rx={4} />
          <text x={pb.x + pb.w - 86} y={pb.y + 37}>
            policy {isoText}
          </text>
        </g>
      )}
      {/* Last, so the pill's rect stays its first child (the stylesheet's rect:first-child). */}
      {ip6 && <title>{`${p.ip} and ${ip6}`}</title>}
    </>
  );
}
