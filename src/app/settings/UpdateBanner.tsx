import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { useToast } from '../ui/Toasts';
import './settings.css';

/**
 * The service worker's state in plain words. A new version is never swapped in under the user:
 * an open page keeps its own code until they choose to reload.
 */
export function UpdateBanner() {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  const toast = useToast();
  // Good news needs no decision: a passing notice, not a banner.
  useEffect(() => {
    if (!offlineReady) return;
    toast({ text: 'Folio now works offline.' });
    setOfflineReady(false);
  }, [offlineReady, setOfflineReady, toast]);
  if (needRefresh)
    return (
      <div role="status" className="banner">
        <RefreshCw size={16} aria-hidden />
        <span>A new version of Folio is ready.</span>
        <button type="button" className="btn btn-sm btn-soft" onClick={() => void updateServiceWorker(true)}>
          Reload to update
        </button>
      </div>
    );
  return null;
}
