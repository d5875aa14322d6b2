import { useCallback, useState } from 'react';
import type { AddOutcome, RemoteLibrary } from '../../core';
import type { FileProgress } from './useIndexingProgress';

/**
 * Files whose adding a closed or crashed tab interrupted, found when the library opens: resumed
 * or forgotten from the banner. `changed` hears from the library after either.
 */
export function useInterruptedBatches({
  current,
  progressFor,
  setOutcomes,
  changed,
  refreshStorage,
}: {
  current: () => RemoteLibrary | null;
  progressFor: (names: Set<string>) => { onProgress: (p: FileProgress) => void; close: () => void };
  setOutcomes: (outcomes: AddOutcome[]) => void;
  changed: (l: RemoteLibrary) => Promise<void>;
  refreshStorage: () => Promise<void>;
}) {
  const [interrupted, setInterrupted] = useState<{ id: string; name: string }[]>([]);

  /** Lists them once the library is open, and again when batches another tab still holds are let go of. */
  const find = useCallback(async (l: RemoteLibrary, live: () => boolean) => {
    setInterrupted(await l.listInterrupted());
    void l.pendingSettled().then(async () => live() && setInterrupted(await l.listInterrupted()));
  }, []);

  const resumeInterrupted = useCallback(async () => {
    const l = current();
    if (!l) return;
    const names = await l.listInterrupted();
    setInterrupted([]);
    const progress = progressFor(new Set(names.map((n) => n.name)));
    const out = await l.resumeInterrupted(progress.onProgress).finally(progress.close);
    setOutcomes(out);
    await changed(l);
    setInterrupted(await l.listInterrupted());
  }, [current, progressFor, setOutcomes, changed]);

  const discardInterrupted = useCallback(async () => {
    await current()?.discardInterrupted();
    setInterrupted([]);
    void refreshStorage();
  }, [current, refreshStorage]);

  return { interrupted, find, resumeInterrupted, discardInterrupted };
}
