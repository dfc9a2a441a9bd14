import { useExplorer } from '../state/store';
import './savedWork.css';

/** Says when what is on screen is not the user's saved work (a shared link, another tab's save), with the choices. */
export function SavedWorkBanner() {
  const visiting = useExplorer((s) => s.visiting);
  const otherTab = useExplorer((s) => s.otherTab);
  const keepShared = useExplorer((s) => s.keepShared);
  const backToMine = useExplorer((s) => s.backToMine);
  const loadTheirs = useExplorer((s) => s.loadTheirs);
  const keepMine = useExplorer((s) => s.keepMine);
  if (visiting)
    return (
      <section className="saved-work" aria-label="Shared cluster">
        <p>
          <strong>You are looking at a shared cluster.</strong> Your own saved cluster is kept as it was: nothing here
          is saved until you keep it.
        </p>
        <div className="saved-work-actions">
          <button type="button" onClick={keepShared}>
            Keep this
          </button>
          <button type="button" onClick={backToMine}>
            Back to mine
          </button>
        </div>
      </section>
    );
  if (otherTab)
    return (
      <section className="saved-work" aria-label="Saved in another tab">
        <p>
          <strong>Another tab changed your saved cluster.</strong> This tab stops saving until you choose: load what the
          other tab saved, or keep this tab's cluster and save it over theirs.
        </p>
        <div className="saved-work-actions">
          <button type="button" onClick={loadTheirs}>
            Load theirs
          </button>
          <button type="button" onClick={keepMine}>
            Keep mine
          </button>
        </div>
      </section>
    );
  return null;
}
