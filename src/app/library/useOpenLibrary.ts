import { useCallback, useEffect, useRef, useState } from 'react';
import { openLibraryInWorker } from '../../client/library';
import { modelSource, servedBySite } from '../../client/modelSource';
import type { DownloadProgress, OpenedInfo, RemoteLibrary } from '../../core';
import { persisted, usePersisted } from '../persisted';
import { type Settings, settingsState } from '../settings/settings';

/**
 * Where opening the library stands, as this tab sees it (not the core's LibraryState, which is what
 * an open library holds in memory).
 */
export type LibraryStatus =
  | { phase: 'loading'; download?: DownloadProgress }
  | { phase: 'ready'; device: string }
  | { phase: 'error'; message: string }
  /** Another tab runs a newer Folio that upgraded the library: this page must reload. */
  | { phase: 'outdated' };

/** Whether the person has agreed to the first download (older versions stored the string 'done'). */
const setupState = persisted('folio.setup', (raw) => (raw === 'done' || raw === true ? true : undefined), false);

/** What the rest of the library hooks hear while it opens; read when it happens, so they may change. */
export interface OpeningEvents {
  /** Opened, before it counts as ready: list what it holds. `live` turns false once it is closed again. */
  loaded(l: RemoteLibrary, live: () => boolean): Promise<void>;
  /** Ready: files queued while it opened can go in. */
  ready(l: RemoteLibrary): void;
  /** Another tab added or removed documents (this worker has reloaded). */
  changedElsewhere(l: RemoteLibrary | null, live: () => boolean): void;
}

/**
 * Opening the worker-hosted library: only once the person has started Folio (nothing is
 * downloaded before the first-run screen), again when the search model changes, moving vectors
 * of another model into this one's space; and the passage size applied without reopening.
 */
export function useOpenLibrary(settings: Pick<Settings, 'embeddingModel' | 'chunkTokens'>, events: OpeningEvents) {
  const [started, setStarted] = usePersisted(setupState);
  const start = useCallback(() => setStarted(true), [setStarted]);
  const [reembedding, setReembedding] = useState<{ done: number; total: number } | null>(null);
  const lib = useRef<RemoteLibrary | null>(null);
  // Files dropped while the model is still loading wait for it instead of being refused.
  const ready = useRef<Promise<RemoteLibrary | null>>(Promise.resolve(null));
  const [status, setStatus] = useState<LibraryStatus>({ phase: 'loading' });
  const [info, setInfo] = useState<OpenedInfo | null>(null);
  /** The search model the library last opened with: a new one that cannot load falls back to it. */
  const working = useRef<string | null>(null);
  /** A search model that could not be loaded, and why (the previous one stays in use). */
  const [modelFailure, setModelFailure] = useState<{ model: string; kept: string; message: string } | null>(null);
  const on = useRef(events);
  on.current = events;

  // The passage size: the library opens with the current one, and a change (also one made while it
  // was opening) is applied without reopening it, which would reload the search model.
  const chunkTokens = useRef(settings.chunkTokens);
  const phase = status.phase;
  useEffect(() => {
    chunkTokens.current = settings.chunkTokens;
    if (phase === 'ready') void lib.current?.setChunking({ maxTokens: settings.chunkTokens });
  }, [settings.chunkTokens, phase]);

  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    const live = () => !cancelled;
    let opened: RemoteLibrary | undefined;
    setStatus({ phase: 'loading' });
    ready.current = openLibraryInWorker(
      {
        model: settings.embeddingModel,
        chunking: { maxTokens: chunkTokens.current },
        ...modelSource,
        // A site folder may hold only the q8 files (as ../shared/models does); the hub has them all.
        ...(servedBySite ? { dtype: 'q8' as const } : {}),
      },
      (download) => !cancelled && setStatus({ phase: 'loading', download }),
      (event) => {
        if (cancelled) return;
        if (event === 'outdated') {
          // The worker has let go of the database: nothing may call it any more.
          lib.current = null;
          ready.current = Promise.resolve(null);
          return setStatus({ phase: 'outdated' });
        }
        on.current.changedElsewhere(lib.current, live);
      },
    )
      .then(async (l) => {
        opened = l;
        if (cancelled) {
          void l.close();
          return null;
        }
        lib.current = l;
        working.current = settings.embeddingModel;
        await on.current.loaded(l, live);
        setStatus({ phase: 'ready', device: l.info.device });
        setInfo(l.info);
        on.current.ready(l);
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
        if (cancelled) return null;
        const message = String((err as Error).message ?? err);
        const previous = working.current;
        if (previous && previous !== settings.embeddingModel) {
          // The library stays as it was: reopened with the model that worked, and the person told.
          setModelFailure({ model: settings.embeddingModel, kept: previous, message });
          settingsState.save({ ...settingsState.load(), embeddingModel: previous });
        } else setStatus({ phase: 'error', message });
        return null;
      });
    return () => {
      cancelled = true;
      lib.current = null;
      void opened?.close();
    };
  }, [started, settings.embeddingModel]);

  /** The library once it is open (null if it failed). */
  const library = useCallback(async () => lib.current ?? (await ready.current), []);
  /** The library if it is open now. */
  const current = useCallback(() => lib.current, []);

  const dismissModelFailure = useCallback(() => setModelFailure(null), []);
  return { started, start, status, info, reembedding, library, current, modelFailure, dismissModelFailure };
}
