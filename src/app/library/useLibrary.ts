import { useCallback, useRef, useState } from 'react';
import type { AddOutcome, DocumentRecord, EvalQuestion, EvalReport, RemoteLibrary } from '../../core';
import type { Settings } from '../settings/settings';
import { useIndexingProgress } from './useIndexingProgress';
import { useInterruptedBatches } from './useInterruptedBatches';
import { useOpenLibrary } from './useOpenLibrary';
import { useRemovals } from './useRemovals';
import { useStorageEstimate } from './useStorageEstimate';

/**
 * The React layer's one door to the core: everything goes through the worker-hosted Library. Each
 * job has its hook (opening, indexing progress, removals with Undo, interrupted batches, storage);
 * this one holds the document list they share, and adds files, re-indexes and backs up.
 */
export function useLibrary(settings: Pick<Settings, 'embeddingModel' | 'chunkTokens'>) {
  const [documents, setDocuments] = useState<DocumentRecord[]>([]);
  const { storage, refreshStorage } = useStorageEstimate();
  /** Lists the documents again after the library changed them, and what they take up. */
  const relist = useCallback(
    async (l: RemoteLibrary) => {
      setDocuments(await l.listDocuments());
      void refreshStorage();
    },
    [refreshStorage],
  );
  // Each document shows up in the library as soon as it is stored, not when its batch ends.
  const stored = useCallback((docs: DocumentRecord[]) => {
    const ids = new Set(docs.map((d) => d.id));
    setDocuments((all) => [...all.filter((d) => !ids.has(d.id)), ...docs]);
  }, []);
  const indexing = useIndexingProgress(stored);
  const { progressFor, showReading, setOutcomes } = indexing;

  // Files dropped on the first-run screen start Folio and are added once the library is open.
  const queued = useRef<File[]>([]);
  const addFilesNow = useRef<(files: File[]) => Promise<void>>(async () => {});
  const opening = useOpenLibrary(settings, {
    loaded: async (l, live) => {
      setDocuments(await l.listDocuments());
      await batches.find(l, live);
    },
    ready: () => {
      void refreshStorage();
      if (queued.current.length) void addFilesNow.current(queued.current.splice(0));
    },
    changedElsewhere: (l, live) => {
      void l?.listDocuments().then((docs) => live() && setDocuments(docs));
      void refreshStorage();
    },
  });
  const { library, current, start } = opening;

  const batches = useInterruptedBatches({ current, progressFor, setOutcomes, changed: relist, refreshStorage });
  const removals = useRemovals(documents, current, relist);
  const { commitRemovals } = removals;

  /** The open library, for calls whose caller must hear why nothing happened. */
  const libraryOrThrow = useCallback(async () => {
    const l = await library();
    if (!l) throw new Error('The library is not open.');
    return l;
  }, [library]);

  const startedNow = useRef(opening.started);
  startedNow.current = opening.started;
  const addFiles = useCallback(
    async (files: File[], into?: { collection: string }) => {
      if (!files.length) return;
      // Listed at once, also while the library is still opening (the search model downloading).
      showReading(files);
      if (!startedNow.current) {
        queued.current.push(...files);
        startedNow.current = true;
        return start();
      }
      const progress = progressFor(new Set(files.map((f) => f.name)));
      let l: RemoteLibrary | null = null;
      let out: AddOutcome[];
      try {
        l = await library();
        if (!l) return;
        // Adding closes the Undo window of documents being removed (one of them may be added again).
        await commitRemovals();
        out = await l.addFiles(files, progress.onProgress, into ?? {});
      } finally {
        progress.close();
      }
      setOutcomes(out);
      const docs = await l.listDocuments();
      setDocuments(docs);
      // Without persistence the browser may evict the library under storage pressure. Asked only once
      // there is something worth keeping; the answer is shown next to the storage figures.
      if (docs.length && !(await navigator.storage?.persisted?.()))
        await navigator.storage?.persist?.().catch(() => false);
      void refreshStorage();
    },
    [refreshStorage, progressFor, showReading, setOutcomes, library, start, commitRemovals],
  );
  addFilesNow.current = addFiles;

  const reindex = useCallback(
    async (id: string, name: string) => {
      const l = await library();
      if (!l) return;
      const progress = progressFor(new Set([name]));
      const out = await l.reindex(id, progress.onProgress).finally(progress.close);
      if (out.status !== 'added') setOutcomes([out]);
      await relist(l);
    },
    [relist, progressFor, setOutcomes, library],
  );

  const evaluate = useCallback(
    async (questions: EvalQuestion[], k: number): Promise<EvalReport> => {
      const l = current();
      if (!l) throw new Error('The library is still loading.');
      return l.evaluate(questions, k);
    },
    [current],
  );

  const cancelAdding = useCallback(() => void current()?.cancelAdding(), [current]);

  const exportBackup = useCallback(
    async (extra: unknown) => (await libraryOrThrow()).exportBackup(extra),
    [libraryOrThrow],
  );

  const importBackup = useCallback(
    async (file: File) => {
      const l = await libraryOrThrow();
      const out = await l.importBackup(file);
      await relist(l);
      return out;
    },
    [relist, libraryOrThrow],
  );

  /** Re-reads the documents after a change made elsewhere in the UI (collections). */
  const refreshDocuments = useCallback(async () => {
    const l = current();
    if (l) setDocuments(await l.listDocuments());
    void refreshStorage();
  }, [current, refreshStorage]);

  return {
    reembedding: opening.reembedding,
    modelFailure: opening.modelFailure,
    status: opening.status,
    info: opening.info,
    started: opening.started,
    start,
    documents: removals.visible,
    removing: removals.removing,
    fileProgress: indexing.fileProgress,
    storage,
    outcomes: indexing.outcomes,
    dismissOutcome: indexing.dismissOutcome,
    addFiles,
    refreshDocuments,
    removeDocument: removals.removeDocument,
    commitRemovals,
    reindex,
    evaluate,
    library,
    exportBackup,
    importBackup,
    interrupted: batches.interrupted,
    resumeInterrupted: batches.resumeInterrupted,
    discardInterrupted: batches.discardInterrupted,
    cancelAdding,
  };
}
