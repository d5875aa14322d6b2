import { AlertTriangle, RefreshCw, RotateCcw } from 'lucide-react';
import type { LibraryStatus } from './useOpenLibrary';
import './library.css';

/** What stops the library or needs a decision: a failed start, a newer Folio in another tab, files a closed tab left half-added. */
export function LibraryBanners({
  status,
  interrupted,
  onResume,
  onForget,
}: {
  status: LibraryStatus;
  interrupted: { id: string; name: string }[];
  onResume: () => void;
  onForget: () => void;
}) {
  return (
    <>
      {status.phase === 'error' && (
        <div role="alert" className="callout callout-danger banner-callout">
          <AlertTriangle size={18} aria-hidden />
          <div className="callout-body">
            <p>
              <strong>Folio could not start.</strong> {status.message}
            </p>
          </div>
        </div>
      )}
      {status.phase === 'outdated' && (
        <div role="alert" className="callout callout-warning banner-callout">
          <RefreshCw size={18} aria-hidden />
          <div className="callout-body">
            <p>Folio was updated in another tab. Reload this page to keep using your library.</p>
            <div className="callout-actions">
              <button type="button" className="btn btn-sm btn-primary" onClick={() => location.reload()}>
                Reload
              </button>
            </div>
          </div>
        </div>
      )}
      {interrupted.length > 0 && (
        <div role="alert" className="callout callout-warning banner-callout">
          <RotateCcw size={18} aria-hidden />
          <div className="callout-body">
            <p>
              Adding {interrupted.length === 1 ? 'this file was' : `these ${interrupted.length} files was`} interrupted
              when Folio was closed: {interrupted.map((f) => f.name).join(', ')}. Nothing of{' '}
              {interrupted.length === 1 ? 'it' : 'them'} was saved half-way.
            </p>
            <div className="callout-actions">
              <button type="button" className="btn btn-sm btn-primary" onClick={onResume}>
                Resume adding
              </button>
              <button type="button" className="btn btn-sm" onClick={onForget}>
                Forget {interrupted.length === 1 ? 'it' : 'them'}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
