import { useCallback, useState } from 'react';

/** What the browser says about the origin's storage; persisted is undefined until known. */
export type StorageEstimate = { usage: number; quota: number; persisted?: boolean };

/** The storage figures shown under the library, re-read after each change that adds or frees space. */
export function useStorageEstimate() {
  // persisted is asked for (once) when the first document is added.
  const [storage, setStorage] = useState<StorageEstimate | null>(null);
  const refreshStorage = useCallback(async () => {
    const e = await navigator.storage?.estimate?.();
    const persisted = await navigator.storage?.persisted?.();
    if (e) setStorage({ usage: e.usage ?? 0, quota: e.quota ?? 0, ...(persisted !== undefined ? { persisted } : {}) });
  }, []);
  return { storage, refreshStorage };
}
