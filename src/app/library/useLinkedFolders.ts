import { useCallback, useEffect, useRef, useState } from 'react';
import type { FolderView, LinkedFolders, PickedFolder } from '../../client/folders';
import { DEFAULT_MAX_FILE_BYTES } from '../../core';
import type { useLibrary } from './useLibrary';

type Handle = FileSystemDirectoryHandle & PickedFolder;

/** Why linking is not offered here, or null when it is. */
export function linkingUnavailable(
  g: { showDirectoryPicker?: unknown } = globalThis as { showDirectoryPicker?: unknown },
): string | null {
  if (typeof g.showDirectoryPicker === 'function') return null;
  return 'This browser cannot give web pages lasting access to a folder (the File System Access API is in Chrome, Edge and other Chromium browsers on computers). Add the folder’s files instead: they are indexed once and not kept in sync.';
}
type PickerWindow = Window & {
  showDirectoryPicker?: (opts?: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<Handle>;
};

/**
 * Linked folders for the React layer: the loop in client/folders.ts, started once the library is
 * open and stopped with it. It syncs on its own (visit, observer or visibility and timer); this
 * hook shows what it says and passes on the clicks that need a person (pick, reconnect, unlink).
 */
export function useLinkedFolders(lib: Pick<ReturnType<typeof useLibrary>, 'status' | 'library' | 'refreshDocuments'>) {
  const [folders, setFolders] = useState<FolderView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const loop = useRef<LinkedFolders<Handle> | null>(null);
  /** The loop once it has started (it loads after the library opens): a folder picked before then waits for it. */
  const starting = useRef<Promise<LinkedFolders<Handle> | null>>(Promise.resolve(null));
  const ready = lib.status.phase === 'ready';
  const { library, refreshDocuments } = lib;

  useEffect(() => {
    if (!ready) return;
    let stopped = false;
    let close = () => {};
    // Stored documents show up while a large folder is still being indexed, a few times a second at most.
    let refreshTimer = 0;
    const refreshSoon = () => {
      refreshTimer ||= window.setTimeout(() => {
        refreshTimer = 0;
        void refreshDocuments();
      }, 500);
    };
    const started = (async () => {
      // The loop and the sync engine load once the library is open, not with the page.
      const { browserFolderEnvironment, LinkedFolders, openFolderStore } = await import('../../client/folders');
      if (stopped) return null;
      const store = await openFolderStore<Handle>();
      if (stopped) {
        store.close();
        return null;
      }
      const folders = new LinkedFolders<Handle>({
        store,
        library,
        maxFileBytes: DEFAULT_MAX_FILE_BYTES,
        env: browserFolderEnvironment(),
        onChange: (views) => !stopped && setFolders(views),
        onProgress: (p) => p.stage === 'done' && refreshSoon(),
        onSynced: () => void refreshDocuments(),
      });
      loop.current = folders;
      close = () => {
        folders.stop();
        store.close();
      };
      await folders.start();
      return folders;
    })().catch((err: unknown) => {
      if (!stopped) setError(`Linked folders could not be read: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    starting.current = started;
    return () => {
      stopped = true;
      loop.current = null;
      window.clearTimeout(refreshTimer);
      close();
    };
  }, [ready, library, refreshDocuments]);

  const link = useCallback(async () => {
    const pick = (window as PickerWindow).showDirectoryPicker;
    if (!pick) return;
    setError(null);
    let handle: Handle;
    try {
      handle = await pick({ id: 'folio-linked-folder', mode: 'read' });
    } catch (err) {
      // Closing the picker is not an error.
      if ((err as { name?: string }).name !== 'AbortError')
        setError(`The folder could not be opened: ${(err as Error).message ?? String(err)}`);
      return;
    }
    // The picker opens at once (it needs the click); the folder waits for the loop if it is still
    // starting, instead of being dropped without a word.
    const folders = loop.current ?? (await starting.current);
    if (!folders) {
      setError('Linked folders are not available in this tab right now: try again in a moment.');
      return;
    }
    await folders.link(handle);
  }, []);

  const reconnect = useCallback((id: string) => void loop.current?.reconnect(id), []);
  const syncNow = useCallback((id: string) => void loop.current?.sync(id), []);
  const unlink = useCallback(
    async (id: string, removeDocuments: boolean) => {
      await loop.current?.unlink(id, removeDocuments);
      await refreshDocuments();
    },
    [refreshDocuments],
  );

  return { folders, error, unavailable: linkingUnavailable(), canLink: ready, link, reconnect, syncNow, unlink };
}

export type LinkedFoldersApi = ReturnType<typeof useLinkedFolders>;
