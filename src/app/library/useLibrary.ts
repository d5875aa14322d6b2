import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { openLibraryInWorker } from '../../client/library';
import type { OpenedInfo, RemoteLibrary } from '../../core';
import { modelSource, servedBySite } from '../../client/modelSource';
import type { AddOutcome, DocumentRecord, DownloadProgress, EvalQuestion, EvalReport, IndexProgress } from '../../core';
import { persisted, usePersisted } from '../persisted';
import type { Settings } from '../settings/settings';

/** Progress as the library reports it; newer libraries may add where it runs and the time left. */
export type FileProgress = IndexProgress & { device?: string; secondsLeft?: number };

/** How long a removed document can be brought back with Undo before it is deleted for good. */
export const UNDO_MS = 8000;

export type LibraryState =
  | { phase: 'loading'; download?: DownloadProgress }
  | { phase: 'ready'; device: string }
  | { phase: 'error'; message: string }
  /** Another tab runs a newer Folio that upgraded the library: this page must reload. */
  | { phase: 'outdated' };

/** Whether the person has agreed to the first download (older versions stored the string 'done'). */
const setupState = persisted('folio.setup', (raw) => (raw === 'done' || raw === true ? true : undefined), false);

/** The React layer's one door to the core: everything goes through the worker-hosted Library. */
export function useLibrary(settings: Pick<Settings, 'embeddingModel' | 'chunkTokens'>) {
  // Nothing is downloaded until the user has seen what will be (first-run screen).
  const [started, setStarted] = usePersisted(setupState);
  const start = useCallback(() => setStarted(true), [setStarted]);
  const [fileProgress, setFileProgress] = useState<Record<string, FileProgress>>({});
  // persisted: undefined until known; asked for (once) when the first document is added.
  const [storage, setStorage] = useState<{ usage: number; quota: number; persisted?: boolean } | null>(null);
  const [reembedding, setReembedding] = useState<{ done: number; total: number } | null>(null);
  const refreshStorage = useCallback(async () => {
    const e = await navigator.storage?.estimate?.();
    const persisted = await navigator.storage?.persisted?.();
    if (e) setStorage({ usage: e.usage ?? 0, quota: e.quota ?? 0, ...(persisted !== undefined ? { persisted } : {}) });
  }, []);
  const lib = useRef<RemoteLibrary | null>(null);
  // Files dropped on the first-run screen start Folio and are added once the library is open.
  const queued = useRef<File[]>([]);
  const addFilesNow = useRef<(files: File[]) => Promise<void>>(async () => {});
  // Files dropped while the model is still loading wait for it instead of being refused.
  const ready = useRef<Promise<RemoteLibrary | null>>(Promise.resolve(null));
  const [state, setState] = useState<LibraryState>({ phase: 'loading' });
  const [info, setInfo] = useState<OpenedInfo | null>(null);
  const [documents, setDocuments] = useState<DocumentRecord[]>([]);
  const [outcomes, setOutcomes] = useState<AddOutcome[]>([]);
  // Files whose adding a closed or crashed tab interrupted, found when the library opens.
  const [interrupted, setInterrupted] = useState<{ id: string; name: string }[]>([]);

  // The passage size: the library opens with the current one, and a change (also one made while it
  // was opening) is applied without reopening it, which would reload the search model.
  const chunkTokens = useRef(settings.chunkTokens);
  const phase = state.phase;
  useEffect(() => {
    chunkTokens.current = settings.chunkTokens;
    if (phase === 'ready') void lib.current?.setChunking({ maxTokens: settings.chunkTokens });
  }, [settings.chunkTokens, phase]);

  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    let opened: RemoteLibrary | undefined;
    setState({ phase: 'loading' });
    ready.current = openLibraryInWorker(
      {
        model: settings.embeddingModel,
        chunking: { maxTokens: chunkTokens.current },
        ...modelSource,
        // A site folder may hold only the q8 files (as ../shared/models does); the hub has them all.
        ...(servedBySite ? { dtype: 'q8' as const } : {}),
      },
      (download) => !cancelled && setState({ phase: 'loading', download }),
      // Another tab added or removed documents: this worker has reloaded; the list follows.
      (event) => {
        if (cancelled) return;
        if (event === 'outdated') {
          // The worker has let go of the database: nothing may call it any more.
          lib.current = null;
          ready.current = Promise.resolve(null);
          return setState({ phase: 'outdated' });
        }
        void lib.current?.listDocuments().then((docs) => !cancelled && setDocuments(docs));
        void refreshStorage();
      },
    )
      .then(async (l) => {
        opened = l;
        if (cancelled) {
          void l.close();
          return null;
        }
        lib.current = l;
        setDocuments(await l.listDocuments());
        setInterrupted(await l.listInterrupted());
        // Batches another tab still holds are looked at again once it lets go of them.
        void l.pendingSettled().then(async () => !cancelled && setInterrupted(await l.listInterrupted()));
        setState({ phase: 'ready', device: l.info.device });
        setInfo(l.info);
        void refreshStorage();
        if (queued.current.length) void addFilesNow.current(queued.current.splice(0));
        // Vectors from another model are never mixed in: move them into this model's space.
        const stale = (await l.embeddingStatus()).staleDocuments.length;
        if (stale && !cancelled) {
          setReembedding({ done: 0, total: stale });
          await l.reembed((done, total) => !cancelled && setReembedding({ done, total }));
          if (!cancelled) setReembedding(null);
        }
        return l;
      })
      .catch((err: unknown) => {
        if (!cancelled) setState({ phase: 'error', message: String((err as Error).message ?? err) });
        return null;
      });
    return () => {
      cancelled = true;
      lib.current = null;
      void opened?.close();
    };
  }, [started, refreshStorage, settings.embeddingModel]);

  // Progress arrives per file and stage (thousands of events for a big folder); the UI takes it at
  // most ten times a second. Each batch stops listening when it ends: progress travels on its own
  // message channel, so a last event can arrive after the batch's result and must not revive it.
  const pending = useRef(new Map<string, FileProgress>());
  const flushTimer = useRef(0);
  // Kept apart from the per-name progress: two files of one name may finish in the same tick.
  const storedSinceFlush = useRef<DocumentRecord[]>([]);
  const progressFor = useCallback((names: Set<string>) => {
    let open = true;
    const onProgress = (p: FileProgress) => {
      if (!open) return;
      pending.current.set(p.file, p);
      if (p.document) storedSinceFlush.current.push(p.document);
      // A timer, not requestAnimationFrame: frames stop in a background tab, progress must not.
      flushTimer.current ||= window.setTimeout(() => {
        flushTimer.current = 0;
        const batch = pending.current;
        pending.current = new Map();
        setFileProgress((fp) => ({ ...fp, ...Object.fromEntries(batch) }));
        // Each document shows up in the library as soon as it is stored, not when the batch ends.
        const stored = storedSinceFlush.current;
        storedSinceFlush.current = [];
        if (stored.length) {
          const ids = new Set(stored.map((d) => d.id));
          setDocuments((docs) => [...docs.filter((d) => !ids.has(d.id)), ...stored]);
        }
      }, 100);
    };
    const close = () => {
      open = false;
      for (const name of names) pending.current.delete(name);
      setFileProgress((fp) => Object.fromEntries(Object.entries(fp).filter(([name]) => !names.has(name))));
    };
    return { onProgress, close };
  }, []);

  /** The library once it is open (null if it failed). */
  const library = useCallback(async () => lib.current ?? (await ready.current), []);

  /** The open library, for calls whose caller must hear why nothing happened. */
  const libraryOrThrow = useCallback(async () => {
    const l = await library();
    if (!l) throw new Error('The library is not open.');
    return l;
  }, [library]);

  // A removed document disappears at once and is deleted for good UNDO_MS later, or as soon as a
  // question is asked or the page goes away; Undo within that window needs no re-indexing.
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const removals = useRef(new Map<string, number>());
  const commitRemoval = useCallback(
    async (id: string) => {
      if (!removals.current.has(id)) return;
      window.clearTimeout(removals.current.get(id));
      removals.current.delete(id);
      const l = lib.current;
      if (l) {
        await l.removeDocument(id);
        setDocuments(await l.listDocuments());
        void refreshStorage();
      }
      setRemoving((r) => new Set([...r].filter((x) => x !== id)));
    },
    [refreshStorage],
  );
  const removeDocument = useCallback(
    (id: string) => {
      if (removals.current.has(id)) return () => {};
      removals.current.set(
        id,
        window.setTimeout(() => void commitRemoval(id), UNDO_MS),
      );
      setRemoving((r) => new Set([...r, id]));
      return () => {
        window.clearTimeout(removals.current.get(id));
        removals.current.delete(id);
        setRemoving((r) => new Set([...r].filter((x) => x !== id)));
      };
    },
    [commitRemoval],
  );
  /** Deletes for good what is waiting for its Undo window (before a question is searched, or when the page goes away). */
  const commitRemovals = useCallback(
    () => Promise.all([...removals.current.keys()].map(commitRemoval)).then(() => {}),
    [commitRemoval],
  );
  useEffect(() => {
    const flush = () => void commitRemovals();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [commitRemovals]);
  const visible = useMemo(
    () => (removing.size ? documents.filter((d) => !removing.has(d.id)) : documents),
    [documents, removing],
  );

  const startedNow = useRef(started);
  startedNow.current = started;
  const addFiles = useCallback(
    async (files: File[], into?: { collection: string }) => {
      if (!files.length) return;
      if (!startedNow.current) {
        queued.current.push(...files);
        setFileProgress((fp) => ({
          ...fp,
          ...Object.fromEntries(
            files.map((f, i) => [
              f.name,
              { file: f.name, fileIndex: i, fileCount: files.length, stage: 'reading' as const },
            ]),
          ),
        }));
        startedNow.current = true;
        return start();
      }
      // Listed at once, also while the library is still opening (the search model downloading).
      setFileProgress((fp) => ({
        ...fp,
        ...Object.fromEntries(
          files.map((f, i) => [
            f.name,
            { file: f.name, fileIndex: i, fileCount: files.length, stage: 'reading' as const },
          ]),
        ),
      }));
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
    [refreshStorage, progressFor, library, start, commitRemovals],
  );
  addFilesNow.current = addFiles;

  const reindex = useCallback(
    async (id: string, name: string) => {
      const l = await library();
      if (!l) return;
      const progress = progressFor(new Set([name]));
      const out = await l.reindex(id, progress.onProgress).finally(progress.close);
      if (out.status !== 'added') setOutcomes([out]);
      setDocuments(await l.listDocuments());
      void refreshStorage();
    },
    [refreshStorage, progressFor, library],
  );

  const evaluate = useCallback(async (questions: EvalQuestion[], k: number): Promise<EvalReport> => {
    if (!lib.current) throw new Error('The library is still loading.');
    return lib.current.evaluate(questions, k);
  }, []);

  const resumeInterrupted = useCallback(async () => {
    const l = lib.current;
    if (!l) return;
    const names = await l.listInterrupted();
    setInterrupted([]);
    const progress = progressFor(new Set(names.map((n) => n.name)));
    const out = await l.resumeInterrupted(progress.onProgress).finally(progress.close);
    setOutcomes(out);
    setDocuments(await l.listDocuments());
    setInterrupted(await l.listInterrupted());
    void refreshStorage();
  }, [progressFor, refreshStorage]);

  const cancelAdding = useCallback(() => void lib.current?.cancelAdding(), []);

  const discardInterrupted = useCallback(async () => {
    await lib.current?.discardInterrupted();
    setInterrupted([]);
    void refreshStorage();
  }, [refreshStorage]);

  const exportBackup = useCallback(
    async (extra: unknown) => (await libraryOrThrow()).exportBackup(extra),
    [libraryOrThrow],
  );

  const importBackup = useCallback(
    async (file: File) => {
      const l = await libraryOrThrow();
      const out = await l.importBackup(file);
      setDocuments(await l.listDocuments());
      void refreshStorage();
      return out;
    },
    [refreshStorage, libraryOrThrow],
  );

  /** Re-reads the documents after a change made elsewhere in the UI (collections). */
  const refreshDocuments = useCallback(async () => {
    const l = lib.current;
    if (l) setDocuments(await l.listDocuments());
    void refreshStorage();
  }, [refreshStorage]);

  const dismissOutcome = useCallback((o: AddOutcome) => setOutcomes((os) => os.filter((x) => x !== o)), []);

  return {
    reembedding,
    state,
    info,
    started,
    start,
    documents: visible,
    removing,
    fileProgress,
    storage,
    outcomes,
    dismissOutcome,
    addFiles,
    refreshDocuments,
    removeDocument,
    commitRemovals,
    reindex,
    evaluate,
    library,
    exportBackup,
    importBackup,
    interrupted,
    resumeInterrupted,
    discardInterrupted,
    cancelAdding,
  };
}
