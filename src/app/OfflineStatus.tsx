import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * The service worker's state in plain words. A new version is never swapped in under the user:
 * an open page keeps its own code until they choose to reload.
 */
export function OfflineStatus() {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  if (needRefresh)
    return (
      <p role="status" className="banner">
        A new version of Folio is ready.{' '}
        <button type="button" onClick={() => void updateServiceWorker(true)}>
          Reload to update
        </button>
      </p>
    );
  if (offlineReady)
    return (
      <p role="status" className="banner">
        Folio now works offline.{' '}
        <button type="button" onClick={() => setOfflineReady(false)}>
          Dismiss
        </button>
      </p>
    );
  return null;
}
