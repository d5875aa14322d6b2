import type { AddInput, AddOutcome, IndexProgress } from '../library/indexing';
import { scanFolder, type FolderDirectory, type ListedFile } from './folder';
import { planSync, type KnownFile, type SyncDecision } from './plan';

/**
 * Keeping a linked folder and the library in step: scan, plan (plan.ts), then apply the plan
 * through the library's own calls, so every file goes through the same all-or-nothing path as a
 * file the user adds. What each file became is handed to `save` after every step, so a tab closed
 * mid-sync loses at most the step it was in, and the next sync finishes it.
 */

/** One file of a linked folder as remembered between syncs. */
export interface LinkedFile extends KnownFile {
  /** Why it is not (or not in this version) in the library; kept so it is not retried until it changes. */
  note?: string;
}

/**
 * A linked folder as kept between visits. `id` and `name` are the folder's identity in the
 * library (documents carry no mark of their folder: `files` says which documents are its own).
 */
export interface LinkedFolder<H extends FolderDirectory = FolderDirectory> {
  id: string;
  name: string;
  handle: H;
  linkedAt: number;
  files: LinkedFile[];
  lastSync?: SyncSummary;
}

/** The library calls a sync uses: `Library` and the worker's `RemoteLibrary` both fit. */
export interface FolderLibrary {
  addFiles(files: AddInput[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]>;
  replaceDocument(id: string, file: AddInput, onProgress?: (p: IndexProgress) => void): Promise<AddOutcome>;
  removeDocument(id: string): Promise<boolean>;
}

export interface SyncSummary {
  at: number;
  /** New files stored, changed files stored in their new version, documents removed with their file. */
  added: number;
  reindexed: number;
  removed: number;
  /** Renamed or moved inside the folder (same content: nothing re-embedded). */
  moved: number;
  unchanged: number;
  /** Files whose passages were embedded by this sync (from the library's progress): what it cost. */
  embedded: number;
  /** Files of the folder that are not in the library, each with why. */
  notIndexed: { path: string; reason: string }[];
}

export type SyncResult =
  | { status: 'ok'; summary: SyncSummary; files: LinkedFile[] }
  /** Nothing was changed, nothing deleted: the folder cannot be read now. */
  | { status: 'no-permission' | 'unavailable'; reason: string };

export interface SyncOptions {
  /** The library's size limit: larger files are listed, not read. */
  maxFileBytes: number;
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  /** Keeps the folder's files (after each step that changed them). */
  save: (files: LinkedFile[]) => Promise<void>;
  /** Once the plan is made: how many files this sync will index (added or changed), and remove. */
  onPlanned?: (work: { index: number; remove: number }) => void;
  /** Files per `addFiles` call: each finished group is saved. */
  groupSize?: number;
}

const GROUP_SIZE = 32;

export async function syncLinkedFolder(
  folder: LinkedFolder,
  library: FolderLibrary,
  opts: SyncOptions,
): Promise<SyncResult> {
  const scan = await scanFolder(folder.handle, {
    maxFileBytes: opts.maxFileBytes,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const plan = await planSync(scan, folder.files);
  if (plan.status !== 'ok') return { status: plan.status, reason: plan.reason };

  const files = new Map(folder.files.map((f) => [f.path, f]));
  const summary: SyncSummary = {
    at: Date.now(),
    added: 0,
    reindexed: 0,
    removed: 0,
    moved: 0,
    unchanged: 0,
    embedded: 0,
    notIndexed: [],
  };
  const embedded = new Set<string>();
  const onProgress = (p: IndexProgress) => {
    if (p.stage === 'embedding') embedded.add(p.file);
    opts.onProgress?.(p);
  };
  const sorted = () => [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const save = () => opts.save(sorted());
  const input = (f: ListedFile): AddInput => ({ name: f.path, data: f.data });
  const listed = (f: ListedFile, rest: Partial<LinkedFile> = {}): LinkedFile => ({
    path: f.path,
    size: f.size,
    lastModified: f.lastModified,
    ...rest,
  });

  // Bookkeeping first: nothing to read or embed.
  const toRemove: LinkedFile[] = [];
  const toReplace: { file: ListedFile; known: LinkedFile }[] = [];
  const toAdd: ListedFile[] = [];
  for (const d of plan.decisions as SyncDecision<LinkedFile>[]) {
    switch (d.kind) {
      case 'unchanged':
        summary.unchanged++;
        break;
      case 'touched':
        files.set(d.file.path, { ...d.known, lastModified: d.file.lastModified });
        summary.unchanged++;
        break;
      case 'moved':
        files.delete(d.known.path);
        files.set(d.file.path, { ...d.known, path: d.file.path, lastModified: d.file.lastModified });
        summary.moved++;
        break;
      case 'too-large':
        // An earlier, smaller version's document stays; a new file is remembered with why it is left out.
        if (!d.known)
          files.set(d.file.path, {
            path: d.file.path,
            size: d.file.size,
            lastModified: d.file.lastModified,
            note: `over the ${Math.round(opts.maxFileBytes / 1048576)} MB size limit`,
          });
        break;
      case 'unreadable':
        // Changed or deleted while it was being compared: left as it is until the next scan.
        break;
      case 'remove':
        toRemove.push(d.known);
        break;
      case 'reindex':
        if (d.known.documentId) toReplace.push({ file: d.file, known: d.known });
        else toAdd.push(d.file);
        break;
      case 'add':
        toAdd.push(d.file);
        break;
    }
  }
  await save();
  opts.onPlanned?.({ index: toReplace.length + toAdd.length, remove: toRemove.length });

  for (const known of toRemove) {
    opts.signal?.throwIfAborted();
    if (known.documentId) await library.removeDocument(known.documentId);
    files.delete(known.path);
    summary.removed++;
  }
  if (toRemove.length) await save();

  // The documents this folder owns: a duplicate is adopted only when it is not already another file's.
  const owned = () => new Set([...files.values()].map((f) => f.documentId).filter(Boolean));

  for (const { file, known } of toReplace) {
    opts.signal?.throwIfAborted();
    const out = await library.replaceDocument(known.documentId!, input(file), onProgress);
    if (out.status === 'added') {
      files.set(file.path, listed(file, { hash: out.document.hash, documentId: out.document.id }));
      summary.reindexed++;
    } else if (out.status === 'duplicate' && out.document.id === known.documentId) {
      // Saved again with the same content: only the date changes.
      files.set(file.path, { ...known, size: file.size, lastModified: file.lastModified });
      summary.unchanged++;
    } else if (out.status === 'duplicate') {
      // Its new content is another document's: its old version goes, the other stays as it is.
      await library.removeDocument(known.documentId!);
      files.set(file.path, adopt(file, out, owned()));
      summary.removed++;
    } else if (out.error.code === 'not-found') {
      // Its document was removed meanwhile (by the user, or another tab): index it as new.
      toAdd.push(file);
    } else if (out.error.code !== 'cancelled') {
      // The new version cannot be read: the old one stays searchable, and says why.
      files.set(file.path, {
        ...known,
        size: file.size,
        lastModified: file.lastModified,
        note: `this version could not be indexed (${out.error.reason}); the earlier one is kept`,
      });
      summary.notIndexed.push({ path: file.path, reason: out.error.reason });
    }
    await save();
  }

  const groupSize = opts.groupSize ?? GROUP_SIZE;
  for (let i = 0; i < toAdd.length; i += groupSize) {
    opts.signal?.throwIfAborted();
    const group = toAdd.slice(i, i + groupSize);
    const outcomes = await library.addFiles(group.map(input), onProgress);
    const mine = owned();
    for (const [j, out] of outcomes.entries()) {
      const file = group[j]!;
      if (out.status === 'added') {
        files.set(file.path, listed(file, { hash: out.document.hash, documentId: out.document.id }));
        mine.add(out.document.id);
        summary.added++;
      } else if (out.status === 'duplicate') {
        const rec = adopt(file, out, mine);
        if (rec.documentId) {
          mine.add(rec.documentId);
          summary.added++;
        }
        files.set(file.path, rec);
      } else if (out.error.code !== 'cancelled') {
        files.set(file.path, listed(file, { note: out.error.reason }));
      }
    }
    await save();
  }

  summary.embedded = embedded.size;
  for (const f of files.values())
    if (!f.documentId && f.note) summary.notIndexed.push({ path: f.path, reason: f.note });
  summary.notIndexed = uniqueByPath(summary.notIndexed);
  return { status: 'ok', summary, files: sorted() };
}

/**
 * A file whose content is already a document. A document of that very name that no other file
 * of the folder owns is this file's own (stored by a sync the tab did not finish, or resumed as
 * an interrupted batch); any other is left alone: removing the file will not remove it.
 */
function adopt(
  file: ListedFile,
  out: Extract<AddOutcome, { status: 'duplicate' }>,
  owned: Set<string | undefined>,
): LinkedFile {
  const base = { path: file.path, size: file.size, lastModified: file.lastModified, hash: out.document.hash };
  if (out.document.name === file.path && !owned.has(out.document.id)) return { ...base, documentId: out.document.id };
  return { ...base, note: `the same content is already in your library as “${out.document.name}”` };
}

function uniqueByPath<T extends { path: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.path, i])).values()];
}

const HEX64 = /^[0-9a-f]{64}$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A linked folder read back from storage, checked field by field: a record that is not one (a
 * newer or damaged version) is refused whole; a file entry that is not one is dropped (the next
 * sync finds that file again and indexes it, or adopts its document by name).
 */
export function validLinkedFolder<H extends FolderDirectory>(
  raw: unknown,
  isHandle: (h: unknown) => h is H,
): LinkedFolder<H> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (
    typeof r.id !== 'string' ||
    !r.id ||
    typeof r.name !== 'string' ||
    !isHandle(r.handle) ||
    !isCount(r.linkedAt) ||
    !Array.isArray(r.files)
  )
    return undefined;
  const files: LinkedFile[] = [];
  for (const f of r.files as unknown[]) {
    if (!f || typeof f !== 'object') continue;
    const e = f as Record<string, unknown>;
    if (typeof e.path !== 'string' || !e.path || e.path.startsWith('/') || !isCount(e.size) || !isCount(e.lastModified))
      continue;
    if (e.hash !== undefined && (typeof e.hash !== 'string' || !HEX64.test(e.hash))) continue;
    if (e.documentId !== undefined && (typeof e.documentId !== 'string' || !e.documentId)) continue;
    if (e.note !== undefined && typeof e.note !== 'string') continue;
    files.push({
      path: e.path,
      size: e.size,
      lastModified: e.lastModified,
      ...(e.hash !== undefined ? { hash: e.hash as string } : {}),
      ...(e.documentId !== undefined ? { documentId: e.documentId as string } : {}),
      ...(e.note !== undefined ? { note: e.note as string } : {}),
    });
  }
  const folder: LinkedFolder<H> = {
    id: r.id,
    name: r.name,
    handle: r.handle,
    linkedAt: r.linkedAt,
    files: uniqueByPath(files),
  };
  const last = validSummary(r.lastSync);
  return last ? { ...folder, lastSync: last } : folder;
}

function validSummary(raw: unknown): SyncSummary | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const s = raw as Record<string, unknown>;
  const counts = ['at', 'added', 'reindexed', 'removed', 'moved', 'unchanged', 'embedded'] as const;
  if (!counts.every((k) => isCount(s[k])) || !Array.isArray(s.notIndexed)) return undefined;
  const notIndexed = (s.notIndexed as unknown[]).filter(
    (n): n is { path: string; reason: string } =>
      !!n &&
      typeof (n as { path?: unknown }).path === 'string' &&
      typeof (n as { reason?: unknown }).reason === 'string',
  );
  return { ...(Object.fromEntries(counts.map((k) => [k, s[k]])) as Omit<SyncSummary, 'notIndexed'>), notIndexed };
}
