import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CollectionInfo, DocumentRecord, LibraryFileResult, RemoteLibrary } from '../../core';
import { persisted, usePersisted } from '../persisted';
import { useToast } from '../ui/Toasts';
import { fetchPublished, publishedLibraries, type Published } from './published';

/** Where a question is asked: null → all documents; else the collections chosen (any of them). */
const scopeState = persisted<string[] | null>(
  'folio.scope',
  (raw) =>
    raw === null ? null : Array.isArray(raw) && raw.every((x) => typeof x === 'string') ? (raw as string[]) : undefined,
  null,
);

/** Something long the collections are doing: opening a library file, fetching a published one. */
export interface CollectionActivity {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'documents';
}

/** How often a published library is checked again while the page is visible. */
const RECHECK_MS = 10 * 60_000;

interface Options {
  library: () => Promise<RemoteLibrary | null>;
  /** The library's documents: collections' counts follow them (another tab's changes included). */
  documents: DocumentRecord[];
  ready: boolean;
  /** Re-reads the documents after a change made here. */
  refreshDocuments: () => Promise<void>;
}

/**
 * Collections for the UI: the list with counts and sizes, the question's scope (kept across
 * visits), the changes people make, library files opened from disk, and the libraries this site
 * publishes (`?library=` and the build's list), fetched and kept up to date.
 */
export function useCollections({ library, documents, ready, refreshDocuments }: Options) {
  const [collections, setCollections] = useState<CollectionInfo[]>([]);
  const [saved, setScope] = usePersisted(scopeState);
  const [activity, setActivity] = useState<CollectionActivity | null>(null);
  const toast = useToast();

  // Counts follow the documents: the list is read again whenever they change (here or in another tab).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `documents` is the signal to re-read, not a value used.
  useEffect(() => {
    let stale = false;
    void library()
      .then((l) => l?.listCollections())
      .then((c) => !stale && c && setCollections(c))
      .catch(() => {});
    return () => {
      stale = true;
    };
  }, [library, documents]);

  // A collection deleted (here or in another tab) leaves the scope; none left means all documents.
  const scope = useMemo(() => {
    if (!saved) return null;
    const known = saved.filter((id) => collections.some((c) => c.id === id));
    return known.length ? known : null;
  }, [saved, collections]);

  const call = useCallback(
    async <T>(work: (l: RemoteLibrary) => Promise<T>): Promise<T> => {
      const l = await library();
      if (!l) throw new Error('Your library is not available in this tab.');
      const out = await work(l);
      await refreshDocuments();
      return out;
    },
    [library, refreshDocuments],
  );

  const create = useCallback((name: string) => call((l) => l.createCollection(name)), [call]);
  const rename = useCallback((id: string, name: string) => call((l) => l.renameCollection(id, name)), [call]);
  const remove = useCallback(
    (id: string, removeDocuments: boolean) => call((l) => l.deleteCollection(id, { removeDocuments })),
    [call],
  );
  const setMember = useCallback(
    (id: string, docId: string, member: boolean) =>
      call((l) => (member ? l.addToCollection(id, [docId]) : l.removeFromCollection(id, [docId]))).catch(
        (err: unknown) => toast({ text: (err as Error).message }),
      ),
    [call, toast],
  );

  const importFile = useCallback(
    async (
      file: Blob,
      label: string,
      source: { url?: string; fileName?: string; etag?: string; lastModified?: string },
    ): Promise<LibraryFileResult> => {
      setActivity({ label, done: 0, total: 0, unit: 'documents' });
      try {
        return await call((l) =>
          l.importLibraryFile(file, { source }, (done, total) =>
            setActivity({ label, done, total, unit: 'documents' }),
          ),
        );
      } finally {
        setActivity(null);
      }
    },
    [call],
  );

  /** "Open a library file": a `.folio` made by `folio index` (or a backup) as a read-only collection. */
  const openLibraryFile = useCallback(
    async (file: File) => {
      try {
        const out = await importFile(file, `Opening ${file.name}`, { fileName: file.name });
        toast({ text: describe(out, file.name) });
        setScope([out.collection.id]);
      } catch (err) {
        toast({ text: `${file.name} could not be opened: ${(err as Error).message}`, ms: 10_000 });
      }
    },
    [importFile, toast, setScope],
  );

  /** Asks for a library file (from the app menu: a user gesture, as the file picker needs). */
  const pickLibraryFile = useCallback(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.folio';
    input.onchange = () => {
      const file = input.files?.[0];
      if (file) void openLibraryFile(file);
    };
    input.click();
  }, [openLibraryFile]);

  // Published libraries: fetched once the library is open, then again when the tab comes back
  // into view or every few minutes while it is visible; a file that has not changed costs a 304.
  const checking = useRef(false);
  const lastCheck = useRef(0);
  const collectionsNow = useRef(collections);
  collectionsNow.current = collections;
  const checkPublished = useCallback(async () => {
    const wanted = publishedLibraries(window.location);
    if (!wanted.length || checking.current) return;
    checking.current = true;
    lastCheck.current = Date.now();
    try {
      const l = await library();
      if (!l) return;
      const known = await l.listCollections();
      for (const p of wanted)
        await updatePublished(
          p,
          known.find((c) => c.readOnly && c.source?.url === p.url),
        );
    } finally {
      checking.current = false;
    }
    async function updatePublished(p: Published, stored: CollectionInfo | undefined) {
      const label = `Fetching ${p.name}`;
      setActivity({ label, done: 0, total: 0, unit: 'bytes' });
      try {
        const fetched = await fetchPublished(p.url, stored?.source, (done, total) =>
          setActivity({ label, done, total, unit: 'bytes' }),
        );
        if (!fetched) return;
        const out = await importFile(fetched.file, `Storing ${p.name}`, { url: p.url, ...fetched.validators });
        if (!out.unchanged) toast({ text: describe(out, p.name) });
      } catch (err) {
        // Offline or unreachable with a copy stored: that copy is used, quietly.
        if (!stored)
          toast({ text: `The published library ${p.name} could not be loaded: ${(err as Error).message}`, ms: 12_000 });
      } finally {
        setActivity(null);
      }
    }
  }, [library, importFile, toast]);

  useEffect(() => {
    if (!ready) return;
    void checkPublished();
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - lastCheck.current > RECHECK_MS / 2)
        void checkPublished();
    };
    const timer = window.setInterval(() => document.visibilityState === 'visible' && void checkPublished(), RECHECK_MS);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ready, checkPublished]);

  return {
    collections,
    scope,
    setScope,
    activity,
    create,
    rename,
    remove,
    setMember,
    openLibraryFile,
    pickLibraryFile,
  };
}

export type CollectionsApi = ReturnType<typeof useCollections>;

function describe(out: LibraryFileResult, name: string): string {
  if (out.unchanged) return `${name} is already open as “${out.collection.name}”.`;
  const parts = [`${out.added} document${out.added === 1 ? '' : 's'} added`];
  if (out.duplicates) parts.push(`${out.duplicates} already here`);
  if (out.removed) parts.push(`${out.removed} no longer in it`);
  const model = out.otherModel
    ? ' Its passages were made with another search model: reload Folio to re-embed them for search.'
    : '';
  return `“${out.collection.name}”: ${parts.join(', ')}.${model}`;
}
