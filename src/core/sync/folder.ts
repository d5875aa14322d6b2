/**
 * Reading a folder the user linked: the File System Access API's directory handles in browsers
 * (`showDirectoryPicker`, or the Origin Private File System standing in for one in tests), and a
 * stand-in with the same shape in Node (src/cli/nodeFolder.ts). Only what a scan needs is typed
 * here, so both fit; the real `FileSystemDirectoryHandle` is assignable to `FolderDirectory`.
 */

/** A File, or anything with its size, date and lazily read bytes. */
export type FolderFileData = Blob & { readonly name: string; readonly lastModified: number };

export interface FolderFile {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<FolderFileData>;
}

export interface FolderDirectory {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<FolderDirectory | FolderFile>;
  /** Chromium's permission check on picked folders (absent on OPFS and in Node: always readable). */
  queryPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

/** A file found by a scan. `path` is relative to the linked folder, with `/` between parts. */
export interface ListedFile {
  path: string;
  size: number;
  lastModified: number;
  data: FolderFileData;
}

export interface SkippedFile {
  path: string;
  size: number;
  lastModified: number;
  reason: 'too-large';
  /** Not read; there so the library can refuse it by name, size and limit as it refuses any file. */
  data: FolderFileData;
}

export type FolderScan =
  | { status: 'ok'; files: ListedFile[]; skipped: SkippedFile[] }
  /** The browser no longer lets us read the folder: ask the user to reconnect it. */
  | { status: 'no-permission'; reason: string }
  /** The folder is gone, or could not be read through (moved, deleted, a disk unplugged). */
  | { status: 'unavailable'; reason: string };

export interface ScanOptions {
  /** Files larger than this are listed as skipped and never read (the library's size limit). */
  maxFileBytes: number;
  signal?: AbortSignal;
}

// Operating systems' and tools' own files, never documents. Compared case-insensitively, as
// Windows and macOS file systems do.
const SYSTEM_NAMES = new Set([
  'thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  '$recycle.bin',
  'system volume information',
  '__macosx',
  'icon\r',
]);

/**
 * Hidden (a leading dot: .git, .DS_Store, ._resource forks), system files, and the lock files
 * Office leaves beside an open document (`~$report.docx`).
 */
export function isHiddenOrSystem(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || SYSTEM_NAMES.has(name.toLowerCase());
}

/**
 * Every file under `root`, recursively, sorted by path; hidden and system entries are left out,
 * files over the size limit are listed as skipped. A scan that cannot finish reports why instead
 * of a partial listing: a listing with holes would look like deleted files.
 */
export async function scanFolder(root: FolderDirectory, opts: ScanOptions): Promise<FolderScan> {
  try {
    const permission = await root.queryPermission?.({ mode: 'read' });
    if (permission !== undefined && permission !== 'granted')
      return { status: 'no-permission', reason: `reading “${root.name}” needs your permission again` };
    const files: ListedFile[] = [];
    const skipped: SkippedFile[] = [];
    const walk = async (dir: FolderDirectory, prefix: string): Promise<void> => {
      for await (const entry of dir.values()) {
        opts.signal?.throwIfAborted();
        if (isHiddenOrSystem(entry.name)) continue;
        const path = prefix + entry.name;
        if (entry.kind === 'directory') {
          await walk(entry, `${path}/`);
          continue;
        }
        const data = await entry.getFile();
        if (data.size > opts.maxFileBytes)
          skipped.push({ path, size: data.size, lastModified: data.lastModified, reason: 'too-large', data });
        else files.push({ path, size: data.size, lastModified: data.lastModified, data });
      }
    };
    await walk(root, '');
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return { status: 'ok', files: files.sort(byPath), skipped: skipped.sort(byPath) };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return scanFailure(root.name, err);
  }
}

function scanFailure(folder: string, err: unknown): FolderScan {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return { status: 'no-permission', reason: `reading “${folder}” needs your permission again` };
  if (name === 'NotFoundError')
    return {
      status: 'unavailable',
      reason: `“${folder}” or a folder in it was moved or deleted while it was being read`,
    };
  return {
    status: 'unavailable',
    reason: `“${folder}” could not be read: ${err instanceof Error ? err.message : String(err)}`,
  };
}

/** SHA-256 of the content, hex: the same hash the library keeps for each document. */
export async function contentHash(bytes: Uint8Array | Blob): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(await bytes.arrayBuffer());
  const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
