// A lost background worker is said once, with Retry: the page never shows an endless spinner.
import { useExplorer } from '../state/store';

export function BackgroundAlert() {
  const lost = useExplorer((s) => s.backgroundLost);
  const retry = useExplorer((s) => s.retryBackground);
  if (!lost) return null;
  return (
    <div className="notice" role="alert">
      <span>
        The background computation stopped ({lost}). The cluster shown is the last one computed; nothing you entered is
        lost.
      </span>
      <button type="button" onClick={retry}>
        Retry
      </button>
    </div>
  );
}
