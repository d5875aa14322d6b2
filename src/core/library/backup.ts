import { BACKUP_MAGIC, encodeFrame, readFrames, type BackupHeader, type DocumentBundle } from '../store/backup';
import { SCHEMA_VERSION } from '../store/store';
import { checkBundle, mergeMembership, restoreCollections } from './collections';
import type { LibraryParts } from './parts';

/**
 * The whole library as one file: every document with its text, chunks, vectors, keyword
 * postings and original, plus whatever the app adds (`extra`: conversation, settings).
 */
export async function exportBackup(parts: LibraryParts, extra: unknown = null): Promise<Blob> {
  const docs = [...parts.state.docs.values()].sort((a, b) => a.addedAt - b.addedAt);
  const header: BackupHeader = {
    kind: 'header',
    schema: SCHEMA_VERSION,
    createdAt: Date.now(),
    meta: await parts.store.getMeta(),
    documents: docs.length,
    extra,
    collections: [...parts.state.collections.values()],
  };
  const frames: Uint8Array<ArrayBuffer>[] = [new TextEncoder().encode(BACKUP_MAGIC), ...encodeFrame(header)];
  for (const d of docs) {
    const bundle = await parts.store.documentBundle(d.id);
    if (bundle) frames.push(...encodeFrame({ kind: 'document', ...bundle }));
  }
  return new Blob(frames, { type: 'application/octet-stream' });
}

/**
 * Restores a backup into this library, one document per transaction (a damaged frame stops the
 * import there; every document before it is whole). Content already present is skipped (it joins
 * the collections it had in the backup). Collections come back with their documents.
 * Documents embedded with another model are kept and show up as needing re-embedding.
 */
export async function importBackup(
  parts: LibraryParts,
  file: Blob,
  onProgress?: (done: number, total: number) => void,
): Promise<{ added: number; duplicates: number; extra: unknown }> {
  let header: BackupHeader | undefined;
  let added = 0;
  let duplicates = 0;
  try {
    for await (const frame of readFrames(file)) {
      if (!header) {
        header = frame as BackupHeader;
        if (header.kind !== 'header') throw new Error('the backup file has no header');
        if (header.schema > SCHEMA_VERSION)
          throw new Error('the backup was made by a newer version of Folio; update the app first');
        await restoreCollections(parts, header.collections);
        continue;
      }
      checkBundle(frame);
      const b: DocumentBundle = frame;
      // Only memberships of collections that exist here (a backup edited by hand may name others).
      const collections = (b.doc.collections ?? []).filter((c) => parts.state.collections.has(c));
      const existing = await parts.state.restore({
        doc: { ...b.doc, collections },
        text: b.text,
        chunks: b.chunks,
        vectors: b.vectors,
        keywords: b.keywords,
        original: b.original,
        ...(b.tables ? { tables: b.tables } : {}),
      });
      if (existing) {
        duplicates++;
        await mergeMembership(parts, existing, collections);
      } else added++;
      onProgress?.(added + duplicates, header.documents);
    }
  } finally {
    if (added || duplicates) parts.announce();
  }
  if (!header) throw new Error('this is not a Folio backup file');
  return { added, duplicates, extra: header.extra };
}
