/**
 * Linked folders on the UI thread: their handles kept in IndexedDB, and the loop that keeps each
 * one in step with the library (core/sync does the work). A folder is synced when the page opens,
 * when the browser reports a change in it (FileSystemObserver), and, where that is missing, when
 * the tab becomes visible and every few minutes while it is. Directory handles can be stored but
 * their read permission must be granted again by a click ("Reconnect folder"); until then the
 * folder is left alone and nothing of it is removed. Everything the browser provides comes in
 * through `FolderEnvironment`, so Node tests drive the same loop.
 */
import { openDB, type IDBPDatabase } from 'idb';
import {
  syncLinkedFolder,
  validLinkedFolder,
  type FolderDirectory,
  type FolderLibrary,
  type IndexProgress,
  type LinkedFile,
  type LinkedFolder,
  type SyncSummary,
} from '../core';

/** A picked folder's handle: what a scan reads, plus Chromium's permission calls (not in TypeScript's DOM types). */
export interface PickedFolder extends FolderDirectory {
  requestPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  isSameEntry?(other: PickedFolder): Promise<boolean>;
}

export type FolderStatus =
  | { state: 'syncing'; done: number; total: number }
  | { state: 'ready' }
  /** The browser needs a click to let Folio read it again. */
  | { state: 'needs-permission'; reason: string }
  /** Moved, deleted, a disk unplugged: tried again later. */
  | { state: 'unavailable'; reason: string }
  | { state: 'error'; reason: string };

export interface FolderView {
  id: string;
  name: string;
  /** Files of the folder in the library. */
  documents: number;
  status: FolderStatus;
  lastSync?: SyncSummary;
  /** How changes are noticed: the browser's observer, or scans on visibility and every few minutes. */
  watching: 'observer' | 'scans';
}

export interface FolderStore<H extends PickedFolder> {
  list(): Promise<LinkedFolder<H>[]>;
  put(folder: LinkedFolder<H>): Promise<void>;
  remove(id: string): Promise<void>;
}

const DB_NAME = 'folio-folders';

/** Chromium's handles in the browser; a test may accept its own stand-ins (which IndexedDB can clone). */
const isBrowserHandle = (h: unknown): h is FileSystemDirectoryHandle =>
  typeof FileSystemDirectoryHandle !== 'undefined' && h instanceof FileSystemDirectoryHandle;

/** The linked folders' records, one per folder, validated as they are read back. */
export async function openFolderStore<H extends PickedFolder = FileSystemDirectoryHandle & PickedFolder>(
  opts: { name?: string; isHandle?: (h: unknown) => h is H } = {},
): Promise<FolderStore<H> & { close(): void }> {
  const isHandle = opts.isHandle ?? (isBrowserHandle as unknown as (h: unknown) => h is H);
  const db: IDBPDatabase = await openDB(opts.name ?? DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('folders', { keyPath: 'id' });
    },
  });
  return {
    async list() {
      const raw: unknown[] = await db.getAll('folders');
      // A record that does not read back as a linked folder is skipped, not trusted; it stays
      // stored (a newer Folio may understand it) and is never synced.
      return raw
        .map((r) => validLinkedFolder(r, isHandle))
        .filter((f): f is LinkedFolder<H> => !!f)
        .sort((a, b) => a.linkedAt - b.linkedAt);
    },
    async put(folder) {
      await db.put('folders', folder);
    },
    async remove(id) {
      await db.delete('folders', id);
    },
    close: () => db.close(),
  };
}

/** The browser's FileSystemObserver, as far as the loop uses it (Chromium 129+; not in TypeScript's DOM types). */
interface ObserverLike {
  observe(handle: FolderDirectory, options: { recursive: boolean }): Promise<void>;
  disconnect(): void;
}
type ObserverConstructor = new (callback: (records: unknown[]) => void) => ObserverLike;

export interface FolderEnvironment {
  /** The page's visibility (`document`). */
  visibility?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  /** `FileSystemObserver`, where the browser has it. */
  Observer?: ObserverConstructor;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Web Locks: two tabs never sync one folder at the same time. */
  locks?: { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
}

export function browserFolderEnvironment(): FolderEnvironment {
  const g = globalThis as unknown as { FileSystemObserver?: ObserverConstructor };
  return {
    ...(typeof document !== 'undefined' ? { visibility: document } : {}),
    ...(g.FileSystemObserver ? { Observer: g.FileSystemObserver } : {}),
    ...(typeof navigator !== 'undefined' && navigator.locks ? { locks: navigator.locks } : {}),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (id) => clearInterval(id as number),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as number),
  };
}

export interface LinkedFoldersOptions<H extends PickedFolder> {
  store: FolderStore<H>;
  /** The open library (null while it cannot be used: nothing is synced then). */
  library: () => Promise<FolderLibrary | null>;
  maxFileBytes: number;
  env: FolderEnvironment;
  onChange: (folders: FolderView[]) => void;
  /** Indexing progress of the files a sync adds or re-indexes (the library's own events). */
  onProgress?: (p: IndexProgress) => void;
  /** After each sync that could read the folder. */
  onSynced?: (folder: FolderView) => void;
  /** Scans while visible, where there is no observer (default 3 minutes). */
  pollMs?: number;
  /** An observer's records are gathered this long before one sync (default 500 ms). */
  settleMs?: number;
}

interface Entry<H extends PickedFolder> {
  folder: LinkedFolder<H>;
  status: FolderStatus;
  observer?: ObserverLike;
  running?: Promise<void>;
  /** Aborted when the folder is unlinked: a sync under way stops after the step it is in. */
  abort: AbortController;
  /** A change came in while a sync ran: one more sync after it. */
  again?: boolean;
  settle?: unknown;
}

export class LinkedFolders<H extends PickedFolder> {
  private readonly entries = new Map<string, Entry<H>>();
  private readonly disposers: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly opts: LinkedFoldersOptions<H>) {}

  /** Reads the linked folders, syncs each (this visit), then watches them. */
  async start(): Promise<void> {
    const folders = await this.opts.store.list();
    // Stopped while reading (the page's library closed): nothing to watch.
    if (this.stopped) return;
    for (const folder of folders)
      this.entries.set(folder.id, { folder, status: { state: 'ready' }, abort: new AbortController() });
    this.emit();
    const { env } = this.opts;
    const visibility = env.visibility;
    if (visibility) {
      const onVisible = () => visibility.visibilityState === 'visible' && this.syncUnobserved();
      visibility.addEventListener('visibilitychange', onVisible);
      this.disposers.push(() => visibility.removeEventListener('visibilitychange', onVisible));
    }
    const timer = env.setInterval(() => {
      if (!visibility || visibility.visibilityState === 'visible') this.syncUnobserved();
    }, this.opts.pollMs ?? 180_000);
    this.disposers.push(() => env.clearInterval(timer));
    await Promise.all([...this.entries.keys()].map((id) => this.sync(id)));
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.disposers.splice(0)) d();
    for (const e of this.entries.values()) {
      e.observer?.disconnect();
      if (e.settle !== undefined) this.opts.env.clearTimeout(e.settle);
    }
  }

  views(): FolderView[] {
    return [...this.entries.values()].map((e) => ({
      id: e.folder.id,
      name: e.folder.name,
      documents: e.folder.files.filter((f) => f.documentId).length,
      status: e.status,
      ...(e.folder.lastSync ? { lastSync: e.folder.lastSync } : {}),
      watching: e.observer ? 'observer' : 'scans',
    }));
  }

  /** Links a picked folder (the same folder again is synced, not doubled) and indexes it. */
  async link(handle: H): Promise<string> {
    for (const e of this.entries.values()) {
      if (await e.folder.handle.isSameEntry?.(handle).catch(() => false)) {
        await this.sync(e.folder.id);
        return e.folder.id;
      }
    }
    const folder: LinkedFolder<H> = {
      id: crypto.randomUUID(),
      name: handle.name,
      handle,
      linkedAt: Date.now(),
      files: [],
    };
    await this.opts.store.put(folder);
    this.entries.set(folder.id, { folder, status: { state: 'ready' }, abort: new AbortController() });
    this.emit();
    await this.sync(folder.id);
    return folder.id;
  }

  /**
   * Asks the browser to let Folio read the folder again; must run inside the click that asked
   * for it (the browser shows its own prompt). Syncs once it is granted.
   */
  async reconnect(id: string): Promise<PermissionState> {
    const e = this.entries.get(id);
    if (!e) return 'denied';
    const answer =
      (await e.folder.handle.requestPermission?.({ mode: 'read' }).catch(() => 'denied' as const)) ?? 'granted';
    if (answer === 'granted') await this.sync(id);
    else
      this.setStatus(e, {
        state: 'needs-permission',
        reason: `Folio may not read “${e.folder.name}” until you allow it.`,
      });
    return answer;
  }

  /** Forgets a folder; its documents are removed only when asked to. */
  async unlink(id: string, removeDocuments: boolean): Promise<void> {
    const e = this.entries.get(id);
    if (!e) return;
    e.observer?.disconnect();
    e.abort.abort();
    this.entries.delete(id);
    // What a sync under way stored before it stopped is in e.folder.files by then.
    await e.running?.catch(() => {});
    await this.opts.store.remove(id);
    this.emit();
    if (removeDocuments) {
      const library = await this.opts.library();
      for (const f of e.folder.files) if (f.documentId) await library?.removeDocument(f.documentId);
    }
  }

  /** Syncs a folder now (or once more after the sync under way). */
  sync(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e || this.stopped) return Promise.resolve();
    if (e.running) {
      e.again = true;
      return e.running;
    }
    // Shown at once: the folder is busy from the moment a sync is asked for.
    const before = e.status;
    this.setStatus(e, { state: 'syncing', done: 0, total: 0 });
    const run = (async () => {
      try {
        do {
          e.again = false;
          const locks = this.opts.env.locks;
          await (locks
            ? locks.request(`folio-folder-${id}`, () => this.syncOnce(e, before))
            : this.syncOnce(e, before));
        } while (e.again && this.entries.has(id) && !this.stopped);
      } finally {
        e.running = undefined;
      }
    })();
    e.running = run;
    return run;
  }

  private syncUnobserved(): void {
    // Observed folders need no scan; one being synced is left to finish.
    for (const e of this.entries.values())
      if (e.status.state !== 'syncing' && (!e.observer || e.status.state !== 'ready')) void this.sync(e.folder.id);
  }

  private async syncOnce(e: Entry<H>, before: FolderStatus): Promise<void> {
    const library = await this.opts.library();
    if (!library) return this.setStatus(e, before);
    // Another tab may have synced (or unlinked) the folder since this one read it.
    const stored = (await this.opts.store.list()).find((f) => f.id === e.folder.id);
    if (!stored) {
      this.entries.delete(e.folder.id);
      e.observer?.disconnect();
      this.emit();
      return;
    }
    e.folder = { ...stored, handle: e.folder.handle };
    if (e.status.state !== 'syncing') this.setStatus(e, { state: 'syncing', done: 0, total: 0 });
    // Files of this sync finished out of those it indexes, for the folder's status line.
    const finished = new Set<string>();
    let total = 0;
    const result = await syncLinkedFolder(e.folder, library, {
      maxFileBytes: this.opts.maxFileBytes,
      signal: e.abort.signal,
      onPlanned: (work) => {
        total = work.index;
        if (total) this.setStatus(e, { state: 'syncing', done: 0, total });
      },
      onProgress: (p) => {
        if (p.stage === 'done' || p.stage === 'duplicate' || p.stage === 'failed') {
          finished.add(p.file);
          if (e.status.state === 'syncing')
            this.setStatus(e, { state: 'syncing', done: Math.min(finished.size, total), total });
        }
        this.opts.onProgress?.(p);
      },
      save: async (files: LinkedFile[]) => {
        e.folder = { ...e.folder, files };
        // An unlinked folder is not written back.
        if (this.entries.has(e.folder.id)) await this.opts.store.put(e.folder);
      },
    }).catch((err: unknown) => ({
      status: 'error' as const,
      reason: err instanceof Error ? err.message : String(err),
    }));
    if (result.status === 'ok') e.folder = { ...e.folder, files: result.files, lastSync: result.summary };
    if (!this.entries.has(e.folder.id)) return;
    if (result.status === 'ok') {
      await this.opts.store.put(e.folder);
      this.setStatus(e, { state: 'ready' });
      await this.observe(e);
      this.opts.onSynced?.(this.views().find((v) => v.id === e.folder.id)!);
    } else if (result.status === 'no-permission') {
      this.setStatus(e, {
        state: 'needs-permission',
        reason: `${result.reason}. Nothing of it is removed from your library meanwhile.`,
      });
    } else if (result.status === 'unavailable') {
      this.setStatus(e, {
        state: 'unavailable',
        reason: `${result.reason}. Its documents stay; Folio tries again later.`,
      });
    } else {
      this.setStatus(e, { state: 'error', reason: result.reason });
    }
  }

  private async observe(e: Entry<H>): Promise<void> {
    const Observer = this.opts.env.Observer;
    if (!Observer || e.observer) return;
    const observer = new Observer(() => {
      // Records arrive in bursts (a save is several); one sync after they settle. The sync scans
      // the folder anyway, so what the records say is not needed beyond "something changed".
      if (e.settle !== undefined) this.opts.env.clearTimeout(e.settle);
      e.settle = this.opts.env.setTimeout(() => {
        e.settle = undefined;
        void this.sync(e.folder.id);
      }, this.opts.settleMs ?? 500);
    });
    try {
      await observer.observe(e.folder.handle, { recursive: true });
      if (this.entries.has(e.folder.id) && !this.stopped) {
        e.observer = observer;
        this.emit();
      } else observer.disconnect();
    } catch {
      // Not observable (permission, or a kind of folder the browser does not watch): scans it is.
      observer.disconnect();
    }
  }

  private setStatus(e: Entry<H>, status: FolderStatus): void {
    e.status = status;
    if (status.state === 'needs-permission' || status.state === 'unavailable') {
      // A folder that cannot be read is not observed; it is looked at again on visibility.
      e.observer?.disconnect();
      delete e.observer;
    }
    this.emit();
  }

  private emit(): void {
    this.opts.onChange(this.views());
  }
}
