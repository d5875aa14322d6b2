import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DocumentRecord, RemoteLibrary } from '../../core';

/** How long a removed document can be brought back with Undo before it is deleted for good. */
export const UNDO_MS = 8000;

/**
 * Removing with Undo: a removed document disappears at once and is deleted for good UNDO_MS later,
 * or as soon as a question is asked or the page goes away; Undo within that window needs no
 * re-indexing. `removed` hears from the library once a deletion is done.
 */
export function useRemovals(
  documents: DocumentRecord[],
  current: () => RemoteLibrary | null,
  removed: (l: RemoteLibrary) => Promise<void>,
) {
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const removals = useRef(new Map<string, number>());
  const commitRemoval = useCallback(
    async (id: string) => {
      if (!removals.current.has(id)) return;
      window.clearTimeout(removals.current.get(id));
      removals.current.delete(id);
      const l = current();
      if (l) {
        await l.removeDocument(id);
        await removed(l);
      }
      setRemoving((r) => new Set([...r].filter((x) => x !== id)));
    },
    [current, removed],
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
  /** Deletes for good what waits in its Undo window (before a question is searched, or as the page goes away). */
  const commitRemovals = useCallback(
    () => Promise.all([...removals.current.keys()].map(commitRemoval)).then(() => {}),
    [commitRemoval],
  );
  useEffect(() => {
    const flush = () => void commitRemovals();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [commitRemovals]);
  /** The documents without those waiting for their Undo window. */
  const visible = useMemo(
    () => (removing.size ? documents.filter((d) => !removing.has(d.id)) : documents),
    [documents, removing],
  );
  return { visible, removing, removeDocument, commitRemovals };
}
