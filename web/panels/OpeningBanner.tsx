import { useExplorer } from '../state/store';
import { cancelOpening } from '../state/opening';

const megabytes = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** Says a big link or saved scenario is being opened in the background, while the default cluster stays usable. */
export function OpeningBanner() {
  const opening = useExplorer((s) => s.opening);
  if (!opening) return null;
  const what = opening.from === 'link' ? 'the shared cluster' : 'your saved cluster';
  return (
    <section className="saved-work" aria-label="Opening" role="status">
      <p>
        {opening.failed ? (
          <>
            <strong>
              Could not open {what} ({megabytes(opening.bytes)}) yet: {opening.failed}.
            </strong>{' '}
            It is kept as it was; Retry asks again.
          </>
        ) : (
          <>
            <strong>
              Opening {what} ({megabytes(opening.bytes)}) in the background.
            </strong>{' '}
            The default cluster is shown and usable until it is ready; nothing is saved meanwhile.
          </>
        )}
      </p>
      <div className="saved-work-actions">
        <button type="button" onClick={cancelOpening}>
          {opening.from === 'link' ? 'Stop opening it' : 'Start from the default instead'}
        </button>
      </div>
    </section>
  );
}
