import { contentHash, type FolderScan, type ListedFile, type SkippedFile } from './folder';

/**
 * What the library remembers about one file of a linked folder: enough to tell, from a listing
 * alone, whether the file changed, and which document it became.
 */
export interface KnownFile {
  /** Relative to the folder, `/` between parts (as ListedFile.path). */
  path: string;
  size: number;
  lastModified: number;
  /** SHA-256 of the content last indexed (the document's hash); absent if never read. */
  hash?: string;
  /** The document made from it; absent when the file could not be indexed (its outcome is kept so it is not retried until it changes). */
  documentId?: string;
}

/** Decisions carry the caller's own records (`K`), so whatever else it keeps per file comes back with them. */
export type SyncDecision<K extends KnownFile = KnownFile> =
  /** A file the library has not seen: index it. */
  | { kind: 'add'; file: ListedFile }
  /** The content changed (or a failed file changed): index it again, replacing `known.documentId` atomically. */
  | { kind: 'reindex'; file: ListedFile; known: K }
  /** The file is gone from the folder: remove its document. */
  | { kind: 'remove'; known: K }
  /** Same size and date: nothing to do. */
  | { kind: 'unchanged'; file: ListedFile; known: K }
  /** Same content under a new date (saved without changes, copied back): only the record's date changes. */
  | { kind: 'touched'; file: ListedFile; known: K }
  /** The same content at a new path (renamed or moved inside the folder): only the record's path changes. */
  | { kind: 'moved'; file: ListedFile; known: K }
  /** Over the size limit: not read. A document made from an earlier, smaller version stays. */
  | { kind: 'too-large'; file: SkippedFile; known?: K }
  /** Listed, but its bytes could not be read to compare (changed or deleted meanwhile): left as it is until the next scan. */
  | { kind: 'unreadable'; file: ListedFile; known?: K; reason: string };

export type SyncPlan<K extends KnownFile = KnownFile> =
  | { status: 'ok'; decisions: SyncDecision<K>[] }
  /** Permission lost or folder unavailable: no decision at all, so nothing is deleted meanwhile. */
  | { status: 'no-permission' | 'unavailable'; reason: string; decisions: [] };

export interface PlanOptions {
  /** How content is hashed (default: SHA-256 of the bytes, as the library hashes documents). */
  hash?: (file: ListedFile) => Promise<string>;
}

/**
 * Compares a folder's listing with what the library knows about it. Size and date decide first;
 * the content hash is read only where they cannot: a changed date with an unchanged size (an
 * untouched file saved again is not re-embedded) and a new file as large as a vanished one (a
 * rename is not re-embedded). Decisions come back in path order.
 */
export async function planSync<K extends KnownFile>(
  scan: FolderScan,
  known: readonly K[],
  opts: PlanOptions = {},
): Promise<SyncPlan<K>> {
  if (scan.status !== 'ok') return { status: scan.status, reason: scan.reason, decisions: [] };
  const hashOf = opts.hash ?? ((f: ListedFile) => contentHash(f.data));
  const byPath = new Map(known.map((k) => [k.path, k]));
  const decisions: SyncDecision<K>[] = [];
  const added: ListedFile[] = [];
  const hashed = async (file: ListedFile): Promise<string | { error: string }> => {
    try {
      return await hashOf(file);
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };

  for (const file of scan.files) {
    const k = byPath.get(file.path);
    byPath.delete(file.path);
    if (!k) {
      added.push(file);
    } else if (k.size !== file.size) {
      decisions.push({ kind: 'reindex', file, known: k });
    } else if (k.lastModified === file.lastModified) {
      decisions.push({ kind: 'unchanged', file, known: k });
    } else if (!k.hash) {
      decisions.push({ kind: 'reindex', file, known: k });
    } else {
      const h = await hashed(file);
      if (typeof h !== 'string') decisions.push({ kind: 'unreadable', file, known: k, reason: h.error });
      else decisions.push({ kind: h === k.hash ? 'touched' : 'reindex', file, known: k });
    }
  }
  for (const file of scan.skipped) {
    const k = byPath.get(file.path);
    byPath.delete(file.path);
    decisions.push({ kind: 'too-large', file, ...(k ? { known: k } : {}) });
  }

  // What is left was not listed: removed, unless it reappears under another path.
  const gone = [...byPath.values()];
  for (const file of added) {
    const candidates = gone.filter((k) => k.hash && k.size === file.size);
    if (!candidates.length) {
      decisions.push({ kind: 'add', file });
      continue;
    }
    const h = await hashed(file);
    if (typeof h !== 'string') {
      decisions.push({ kind: 'unreadable', file, reason: h.error });
      continue;
    }
    const from = candidates.find((k) => k.hash === h);
    if (from) {
      gone.splice(gone.indexOf(from), 1);
      decisions.push({ kind: 'moved', file, known: from });
    } else {
      decisions.push({ kind: 'add', file });
    }
  }
  for (const k of gone) decisions.push({ kind: 'remove', known: k });

  const pathOf = (d: SyncDecision<K>) => ('file' in d ? d.file.path : d.known.path);
  decisions.sort((a, b) => (pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0));
  return { status: 'ok', decisions };
}

/** How many decisions of each kind (for a summary line, or a test). */
export function countDecisions(plan: SyncPlan<KnownFile>): Record<SyncDecision['kind'], number> {
  const counts = { add: 0, reindex: 0, remove: 0, unchanged: 0, touched: 0, moved: 0, 'too-large': 0, unreadable: 0 };
  for (const d of plan.decisions) counts[d.kind]++;
  return counts;
}
