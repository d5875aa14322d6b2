import { useCallback, useEffect, useRef, useState } from 'react';
import { openLibraryInWorker, type RemoteLibrary } from '../client/library';
import type { AddOutcome, DocumentRecord, DownloadProgress, EvalQuestion, EvalReport, IndexProgress, SearchHit } from '../core';

const LOCAL_MODELS = import.meta.env.VITE_FOLIO_LOCAL_MODELS as string;

export type LibraryState =
  | { phase: 'loading'; download?: DownloadProgress }
  | { phase: 'ready'; device: string }
  | { phase: 'error'; message: string };

/** The React layer's one door to the core: everything goes through the worker-hosted Library. */
export function useLibrary() {
  const lib = useRef<RemoteLibrary | null>(null);
  // Files dropped while the model is still loading wait for it instead of being refused.
  const ready = useRef<Promise<RemoteLibrary | null>>(Promise.resolve(null));
  const [state, setState] = useState<LibraryState>({ phase: 'loading' });
  const [documents, setDocuments] = useState<DocumentRecord[]>([]);
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  const [outcomes, setOutcomes] = useState<AddOutcome[]>([]);

  useEffect(() => {
    let cancelled = false;
    let opened: RemoteLibrary | undefined;
    ready.current = openLibraryInWorker(
      LOCAL_MODELS ? { localModelPath: LOCAL_MODELS, dtype: 'q8' } : {},
      (download) => !cancelled && setState({ phase: 'loading', download }),
    )
      .then(async (l) => {
        opened = l;
        if (cancelled) {
          void l.close();
          return null;
        }
        lib.current = l;
        setDocuments(await l.listDocuments());
        setState({ phase: 'ready', device: l.info.device });
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
  }, []);

  const addFiles = useCallback(async (files: File[]) => {
    if (!files.length) return;
    const l = lib.current ?? (await ready.current);
    if (!l) return;
    const out = await l.addFiles(files, (p) => setProgress(p));
    setProgress(null);
    setOutcomes(out);
    setDocuments(await l.listDocuments());
  }, []);

  const removeDocument = useCallback(async (id: string) => {
    const l = lib.current;
    if (!l) return;
    await l.removeDocument(id);
    setDocuments(await l.listDocuments());
  }, []);

  const search = useCallback(async (query: string): Promise<SearchHit[]> => lib.current?.search(query, { k: 5 }) ?? [], []);

  const evaluate = useCallback(async (questions: EvalQuestion[], k: number): Promise<EvalReport> => {
    if (!lib.current) throw new Error('The library is still loading.');
    return lib.current.evaluate(questions, k);
  }, []);

  /** The library once it is open (null if it failed). */
  const library = useCallback(async () => lib.current ?? (await ready.current), []);

  return { state, documents, progress, outcomes, addFiles, removeDocument, search, evaluate, library };
}
