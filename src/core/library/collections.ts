import { BACKUP_MAGIC, readFrames, type BackupHeader, type DocumentBundle } from '../store/backup';
import { SCHEMA_VERSION, type CollectionRecord, type CollectionSource, type DocumentRecord } from '../store/store';
import type { LibraryParts } from './parts';
import { sha256 } from './indexing';

/** A collection with what is in it: documents, passages, and the bytes they keep in storage. */
export interface CollectionInfo extends CollectionRecord {
  documents: number;
  chunks: number;
  bytes: number;
}

export interface DeleteCollectionOptions {
  /** Also delete its documents that are in no other collection (default: they stay in the library). */
  removeDocuments?: boolean;
}

/** What opening (or updating from) a library file did. */
export interface LibraryFileResult {
  collection: CollectionInfo;
  /** Documents stored from the file. */
  added: number;
  /** Documents of the file already in the library (now also in the collection). */
  duplicates: number;
  /** Documents that left the collection because the new version of the file no longer has them. */
  removed: number;
  /** The file was the one already stored (same SHA-256): nothing was read into the library. */
  unchanged: boolean;
  /** Documents embedded by another model than this library's (searchable after re-embedding). */
  otherModel: number;
}

export interface LibraryFileOptions {
  /** The collection's name when it is created (default: the source's file name). */
  name?: string;
  /** Where the file came from; a read-only collection with the same URL (or file name) is updated. */
  source?: Omit<CollectionSource, 'sha256' | 'checkedAt'>;
}

export function listCollections(parts: LibraryParts): CollectionInfo[] {
  const info = new Map(
    [...parts.state.collections.values()].map((c) => [c.id, { ...c, documents: 0, chunks: 0, bytes: 0 }]),
  );
  for (const d of parts.state.docs.values()) {
    for (const id of new Set(d.collections ?? [])) {
      const c = info.get(id);
      if (!c) continue;
      c.documents++;
      c.chunks += d.chunkCount;
      c.bytes += d.storedBytes ?? 0;
    }
  }
  return [...info.values()].sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt);
}

function collectionInfo(parts: LibraryParts, id: string): CollectionInfo {
  const c = listCollections(parts).find((x) => x.id === id);
  if (!c) throw new Error('This collection no longer exists (another tab may have deleted it).');
  return c;
}

/** A name people can tell apart: trimmed, not empty, not one another collection has (case aside). */
function checkedName(parts: LibraryParts, name: string, except?: string): string {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean) throw new Error('A collection needs a name.');
  if (clean.length > 120) throw new Error('A collection name can be at most 120 characters long.');
  const taken = [...parts.state.collections.values()].find(
    (c) => c.id !== except && c.name.toLocaleLowerCase() === clean.toLocaleLowerCase(),
  );
  if (taken) throw new Error(`There is already a collection called “${taken.name}”.`);
  return clean;
}

/** A free name: `name`, else `name (2)`, `name (3)`, … */
function freeName(parts: LibraryParts, name: string): string {
  const taken = new Set([...parts.state.collections.values()].map((c) => c.name.toLocaleLowerCase()));
  let candidate = name.trim() || 'Library';
  for (let n = 2; taken.has(candidate.toLocaleLowerCase()); n++) candidate = `${name.trim() || 'Library'} (${n})`;
  return candidate;
}

export async function createCollection(parts: LibraryParts, name: string): Promise<CollectionInfo> {
  const record: CollectionRecord = { id: crypto.randomUUID(), name: checkedName(parts, name), createdAt: Date.now() };
  await parts.state.putCollection(record);
  parts.announce();
  return collectionInfo(parts, record.id);
}

export async function renameCollection(parts: LibraryParts, id: string, name: string): Promise<CollectionInfo> {
  const c = existing(parts, id);
  await parts.state.putCollection({ ...c, name: checkedName(parts, name, id) });
  parts.announce();
  return collectionInfo(parts, id);
}

/** Deletes a collection; its documents stay unless asked (then those in no other collection go). Returns the ids deleted. */
export async function deleteCollection(
  parts: LibraryParts,
  id: string,
  opts: DeleteCollectionOptions = {},
): Promise<{ removedDocuments: string[] }> {
  existing(parts, id);
  const removed = await parts.state.deleteCollection(id, opts.removeDocuments ?? false);
  parts.announce();
  return { removedDocuments: removed };
}

/** Puts documents into a collection (or takes them out); returns how many changed. */
export async function setMembership(
  parts: LibraryParts,
  id: string,
  docIds: string[],
  member: boolean,
): Promise<number> {
  const c = existing(parts, id);
  if (c.readOnly) throw new Error(`“${c.name}” comes from a library file: its documents change only with that file.`);
  const changed = await parts.state.setMembership(id, docIds, member);
  if (changed) parts.announce();
  return changed;
}

function existing(parts: LibraryParts, id: string): CollectionRecord {
  const c = parts.state.collections.get(id);
  if (!c) throw new Error('This collection no longer exists (another tab may have deleted it).');
  return c;
}

/** The read-only collection a document belongs to, if any: such documents leave only with their file. */
export function readOnlyHolder(parts: LibraryParts, docId: string): CollectionRecord | undefined {
  const doc = parts.state.docs.get(docId);
  return doc?.collections?.map((c) => parts.state.collections.get(c)).find((c) => c?.readOnly);
}

/**
 * The documents a search may use: those of the collections asked for (any of them), within the
 * documents asked for, within the searchable ones (the current model's). Undefined: no limit.
 * Applied inside both rankings (vector and keyword), so a collection's passages are found however
 * far down the whole library's ranking they would be.
 */
export function scopeDocuments(
  parts: LibraryParts,
  collections: string[] | undefined,
  documents: string[] | undefined,
): string[] | undefined {
  let ids = documents;
  if (collections) {
    const wanted = new Set(collections);
    const inScope = [...parts.state.docs.values()]
      .filter((d) => d.collections?.some((c) => wanted.has(c)))
      .map((d) => d.id);
    ids = ids ? ids.filter((id) => inScope.includes(id)) : inScope;
  }
  if (!ids) return parts.state.searchable();
  const searchable = parts.state.searchable();
  if (!searchable) return ids;
  const allowed = new Set(searchable);
  return ids.filter((id) => allowed.has(id));
}

/**
 * Reads a library file (the backup format the CLI writes) through to the end before anything is
 * stored: a file that is not one, is cut short, comes from a newer Folio or holds a damaged entry
 * is refused whole, with the reason.
 */
export async function checkLibraryFile(file: Blob): Promise<{ header: BackupHeader; documents: number }> {
  let header: BackupHeader | undefined;
  let documents = 0;
  for await (const frame of readFrames(file)) {
    if (!header) {
      header = frame as BackupHeader;
      if (header?.kind !== 'header') throw new Error('this is not a Folio library file (it has no header)');
      if (header.schema > SCHEMA_VERSION)
        throw new Error('the library file was made by a newer version of Folio; update the app first');
      continue;
    }
    checkBundle(frame);
    documents++;
  }
  if (!header) throw new Error(`this is not a Folio library file (it does not start with “${BACKUP_MAGIC.trim()}”)`);
  if (documents !== header.documents)
    throw new Error(`the library file is incomplete: ${documents} of ${header.documents} documents`);
  return { header, documents };
}

/** A document entry whose passages and vectors agree with its record. */
export function checkBundle(frame: unknown): asserts frame is DocumentBundle & { kind: 'document' } {
  const b = frame as Partial<DocumentBundle> & { kind?: string };
  const rows = Array.isArray(b.vectors) ? b.vectors.reduce((n, v) => n + v.count, 0) : -1;
  if (
    b.kind !== 'document' ||
    !b.doc ||
    !Array.isArray(b.chunks) ||
    b.chunks.length !== b.doc.chunkCount ||
    rows !== b.doc.chunkCount
  ) {
    throw new Error(`the entry for ${b.doc?.name ?? 'a document'} is damaged`);
  }
}

/**
 * Stores a library file as a read-only collection, or updates the one that came from the same
 * source: checked whole first; each document then stored in its own transaction (content already
 * in the library is not stored twice, it joins the collection); documents the new version no
 * longer has leave the collection, and are deleted when they are in no other one.
 */
export async function importLibraryFile(
  parts: LibraryParts,
  file: Blob,
  opts: LibraryFileOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<LibraryFileResult> {
  const { header } = await checkLibraryFile(file);
  const hash = await sha256(new Uint8Array(await file.arrayBuffer()));
  const source: CollectionSource = { ...opts.source, sha256: hash, checkedAt: Date.now() };
  const previous = [...parts.state.collections.values()].find(
    (c) =>
      c.readOnly &&
      c.source &&
      ((opts.source?.url && c.source.url === opts.source.url) ||
        (!opts.source?.url && opts.source?.fileName && !c.source.url && c.source.fileName === opts.source.fileName)),
  );
  const otherModel = header.meta && header.meta.embeddingModel !== parts.embedder.model.id ? header.documents : 0;
  if (previous?.source?.sha256 === hash) {
    await parts.state.putCollection({ ...previous, source: { ...previous.source, ...source } });
    return {
      collection: collectionInfo(parts, previous.id),
      added: 0,
      duplicates: 0,
      removed: 0,
      unchanged: true,
      otherModel,
    };
  }
  const collection: CollectionRecord = previous
    ? { ...previous, source: { ...previous.source, ...source } }
    : {
        id: crypto.randomUUID(),
        name: freeName(parts, opts.name ?? sourceName(opts.source)),
        createdAt: Date.now(),
        readOnly: true,
        source,
      };
  const before = new Set(
    [...parts.state.docs.values()].filter((d) => d.collections?.includes(collection.id)).map((d) => d.id),
  );
  // The record first (its new hash only at the end): a run cut short is redone by the next update.
  await parts.state.putCollection(previous ? previous : { ...collection, source: { ...source, sha256: '' } });
  let added = 0;
  let duplicates = 0;
  const inFile = new Set<string>();
  try {
    let seenHeader = false;
    for await (const frame of readFrames(file)) {
      if (!seenHeader) {
        seenHeader = true;
        continue;
      }
      checkBundle(frame);
      const existing = await parts.state.restore({ ...frame, doc: { ...frame.doc, collections: [collection.id] } });
      if (existing) {
        duplicates++;
        inFile.add(existing.id);
        await parts.state.setMembership(collection.id, [existing.id], true);
      } else {
        added++;
        inFile.add(frame.doc.id);
      }
      onProgress?.(added + duplicates, header.documents);
    }
    const gone = [...before].filter((id) => !inFile.has(id));
    await parts.state.setMembership(collection.id, gone, false);
    for (const id of gone) if (!parts.state.docs.get(id)?.collections?.length) await parts.state.remove(id);
    await parts.state.putCollection(collection);
    return {
      collection: collectionInfo(parts, collection.id),
      added,
      duplicates,
      removed: gone.length,
      unchanged: false,
      otherModel,
    };
  } finally {
    parts.announce();
  }
}

/** A name from where the file came from: its file name, or the last part of its URL, without `.folio`. */
function sourceName(source: LibraryFileOptions['source']): string {
  let name = source?.fileName;
  if (!name && source?.url) {
    try {
      name = decodeURIComponent(new URL(source.url, 'http://localhost/').pathname.split('/').pop() ?? '');
    } catch {
      name = undefined;
    }
  }
  return name?.replace(/\.folio$/i, '').trim() || 'Library';
}

/**
 * Collections restored from a backup: those this library lacks are created (a name already taken
 * gets a number), and each document keeps the memberships whose collections exist here.
 */
export async function restoreCollections(parts: LibraryParts, records: CollectionRecord[] | undefined): Promise<void> {
  for (const c of records ?? []) {
    if (parts.state.collections.has(c.id)) continue;
    await parts.state.putCollection({ ...c, name: freeName(parts, c.name) });
  }
}

/** After a backup's document was found already here: it joins the collections it had there. */
export async function mergeMembership(
  parts: LibraryParts,
  existing: DocumentRecord,
  collections: string[] | undefined,
): Promise<void> {
  for (const id of collections ?? [])
    if (parts.state.collections.has(id) && !existing.collections?.includes(id))
      await parts.state.setMembership(id, [existing.id], true);
}
