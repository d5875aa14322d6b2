import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { KeywordPostings } from '../search/keywordIndex';
import type { DocumentBundle } from './backup';
import {
  MIGRATIONS,
  VECTOR_BLOCK,
  type CollectionRecord,
  type PendingProgress,
  type PendingRecord,
  type ChunkRecord,
  type DocumentRecord,
  type FolioSchema,
  type GuideRecord,
  type KeywordRecord,
  type LibraryMeta,
  type StoredKeywordRecord,
  type StoredVectorBlock,
  type TablesRecord,
  type VectorBlockRecord,
} from './schema';

export type {
  ChunkRecord,
  CollectionRecord,
  CollectionSource,
  DocumentRecord,
  KeywordRecord,
  LibraryMeta,
  TablesRecord,
  VectorBlockRecord,
} from './schema';
export { SCHEMA_VERSION, storedBytesOf } from './schema';

export interface IntegrityReport {
  documents: number;
  chunks: number;
  vectors: number;
  problems: string[];
}

/** All keys of one document in a store keyed [docId, n]. */
const docRange = (docId: string) => IDBKeyRange.bound([docId, -Infinity], [docId, Infinity]);

/**
 * IndexedDB behind a handful of methods. Each write that must be all-or-nothing is exactly one
 * transaction: if the tab dies or the disk is full mid-way, IndexedDB rolls the whole of it back.
 */
export class LibraryStore {
  private constructor(private readonly db: IDBPDatabase<FolioSchema>) {}

  static async open(name: string, onVersionChange?: () => void): Promise<LibraryStore> {
    let store: LibraryStore | undefined;
    const version = MIGRATIONS.length;
    const db = await openDB<FolioSchema>(name, version, {
      blocked() {
        // Another tab holds an older schema open; its `blocking` handler closes it and we proceed.
      },
      async upgrade(database, oldVersion, newVersion, tx) {
        // Steps run in order inside the one upgrade transaction; any failure aborts all of them,
        // leaving the database at its old version with its data untouched.
        try {
          for (let v = oldVersion; v < (newVersion ?? version); v++) await MIGRATIONS[v]!(database, tx);
        } catch (err) {
          tx.abort();
          throw err;
        }
      },
      // Another tab wants a newer schema: step aside so its upgrade is not blocked.
      blocking() {
        store?.db.close();
        onVersionChange?.();
      },
    }).catch((err: unknown) => {
      if ((err as { name?: string } | null)?.name === 'VersionError') {
        throw new Error('This library was saved by a newer version of Folio. Reload the page to update the app.', {
          cause: err,
        });
      }
      throw err;
    });
    store = new LibraryStore(db);
    return store;
  }

  close(): void {
    this.db.close();
  }

  getMeta(): Promise<LibraryMeta | undefined> {
    return this.db.get('meta', 'library') as Promise<LibraryMeta | undefined>;
  }

  /** A document's stored source guide (issue 21), as it was put. */
  async getGuide(docId: string): Promise<unknown> {
    return ((await this.db.get('meta', `guide:${docId}`)) as GuideRecord | undefined)?.guide;
  }

  async putGuide(docId: string, guide: unknown): Promise<void> {
    await this.db.put('meta', { key: `guide:${docId}`, docId, guide });
  }

  async deleteGuide(docId: string): Promise<void> {
    await this.db.delete('meta', `guide:${docId}`);
  }

  /** Documents that have a stored guide (some may have been replaced or removed since). */
  async guideDocIds(): Promise<string[]> {
    const keys = await this.db.getAllKeys('meta');
    return keys.filter((k) => k.startsWith('guide:')).map((k) => k.slice('guide:'.length));
  }

  async setMeta(meta: LibraryMeta): Promise<void> {
    await this.db.put('meta', meta);
  }

  listDocuments(): Promise<DocumentRecord[]> {
    return this.db.getAll('documents');
  }

  getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.db.get('documents', id);
  }

  async findByHash(hash: string): Promise<DocumentRecord | undefined> {
    const docs = await this.db.getAllFromIndex('documents', 'byHash', hash);
    return docs.find((d) => d.status === 'ready');
  }

  /**
   * Writes a document with its text, chunks and vectors in one transaction. Returns the existing
   * document instead if the same content was committed meanwhile (e.g. from another tab).
   */
  async addDocument(
    doc: DocumentRecord,
    text: string,
    chunks: ChunkRecord[],
    vectors: Float32Array,
    dims: number,
    postings: KeywordPostings,
    original?: Uint8Array,
    /** A document this one replaces (re-indexing): removed in the same transaction. */
    replaces?: string,
    tables?: TablesRecord['tables'],
  ): Promise<DocumentRecord | null> {
    const tx = this.db.transaction(DOCUMENT_STORES, 'readwrite');
    const existing = (await tx.objectStore('documents').index('byHash').getAll(doc.hash)).find(
      (d) => d.status === 'ready' && d.id !== replaces,
    );
    if (existing) {
      tx.abort();
      await tx.done.catch(() => {});
      return existing;
    }
    await atomically(tx, (track) => {
      if (replaces) deleteDocumentRecords(tx, replaces, track);
      track(tx.objectStore('documents').put(doc));
      track(tx.objectStore('texts').put({ docId: doc.id, text }));
      for (const c of chunks) track(tx.objectStore('chunks').put(c));
      for (const block of toBlocks(doc.id, vectors, dims)) track(tx.objectStore('vectors').put(block));
      track(tx.objectStore('keywords').put(storedKeywords({ docId: doc.id, ...postings })));
      if (original) track(tx.objectStore('files').put({ docId: doc.id, bytes: original }));
      if (tables?.length) track(tx.objectStore('tables').put({ docId: doc.id, tables }));
    });
    return null;
  }

  /**
   * Adds the vectors of passages first, first + 1, … of a document stored without all of them, with
   * its new count, in one transaction. Returns the document as written, or null when it is gone
   * (removed or replaced meanwhile) or its count is not `first` (another tab added these already).
   */
  async appendVectors(
    docId: string,
    first: number,
    vectors: Float32Array,
    dims: number,
  ): Promise<DocumentRecord | null> {
    const tx = this.db.transaction(['documents', 'vectors'], 'readwrite');
    const doc = await tx.objectStore('documents').get(docId);
    if (!doc || doc.vectorCount !== first) {
      tx.abort();
      await tx.done.catch(() => {});
      return null;
    }
    const count = vectors.length / dims;
    const { vectorCount: _, ...rest } = doc;
    const filled = first + count >= doc.chunkCount;
    const updated: DocumentRecord = {
      ...rest,
      ...(filled ? {} : { vectorCount: first + count }),
      storedBytes: (doc.storedBytes ?? 0) + vectors.byteLength,
    };
    await atomically(tx, (track) => {
      // Keyed by its first passage: blocks written at once (toBlocks) start at 0, and a document
      // filled later was stored with none.
      track(
        tx.objectStore('vectors').put(storedBlock({ docId, block: first, first, count, dimensions: dims, vectors })),
      );
      track(tx.objectStore('documents').put(updated));
    });
    return updated;
  }

  /** Replaces a document's vectors (re-embedding with another model) in one transaction. */
  async replaceVectors(docId: string, model: string, vectors: Float32Array, dims: number): Promise<void> {
    const tx = this.db.transaction(['documents', 'vectors'], 'readwrite');
    const doc = await tx.objectStore('documents').get(docId);
    if (!doc) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new Error(`document ${docId} no longer exists`);
    }
    await atomically(tx, (track) => {
      track(tx.objectStore('vectors').delete(docRange(docId)));
      for (const block of toBlocks(docId, vectors, dims)) track(tx.objectStore('vectors').put(block));
      const { vectorCount: _, ...whole } = doc;
      track(tx.objectStore('documents').put({ ...whole, embeddingModel: model }));
    });
  }

  async removeDocument(docId: string): Promise<boolean> {
    const tx = this.db.transaction(DOCUMENT_STORES, 'readwrite');
    const existed = !!(await tx.objectStore('documents').get(docId));
    await atomically(tx, (track) => deleteDocumentRecords(tx, docId, track));
    return existed;
  }

  getOriginal(docId: string): Promise<Uint8Array | undefined> {
    return this.db.get('files', docId).then((r) => r?.bytes);
  }

  /** Every document's tables (schema 7), in bulk. */
  allTables(): Promise<TablesRecord[]> {
    return this.db.getAll('tables');
  }

  getText(docId: string): Promise<string | undefined> {
    return this.db.get('texts', docId).then((r) => r?.text);
  }

  getChunks(docId: string): Promise<ChunkRecord[]> {
    return this.db.getAll('chunks', docRange(docId));
  }

  /** Reads many chunks in one transaction. */
  async getChunksByKey(keys: [string, number][]): Promise<(ChunkRecord | undefined)[]> {
    const tx = this.db.transaction('chunks');
    const out = await Promise.all(keys.map((k) => tx.store.get(k)));
    await tx.done;
    return out;
  }

  /**
   * Cross-checks the stores: every committed document has exactly its chunks and one vector per
   * chunk (a document still being filled: exactly its first `vectorCount`, fewer than its chunks),
   * and nothing belongs to a document that does not exist. Returns the problems found.
   */
  async integrityReport(): Promise<IntegrityReport> {
    const tx = this.db.transaction(DOCUMENT_STORES);
    const [docs, textKeys, chunkKeys, blocks, keywords, fileKeys, tableKeys] = await Promise.all([
      tx.objectStore('documents').getAll(),
      tx.objectStore('texts').getAllKeys(),
      tx.objectStore('chunks').getAllKeys(),
      tx.objectStore('vectors').getAll(),
      tx.objectStore('keywords').getAll(),
      tx.objectStore('files').getAllKeys(),
      tx.objectStore('tables').getAllKeys(),
    ]);
    await tx.done;
    const problems: string[] = [];
    const ids = new Set(docs.map((d) => d.id));
    const chunksOf = new Map<string, number>();
    for (const [docId] of chunkKeys) chunksOf.set(docId, (chunksOf.get(docId) ?? 0) + 1);
    const vectorsOf = new Map<string, number>();
    const blocksOf = new Map<string, StoredVectorBlock[]>();
    for (const b of blocks) {
      vectorsOf.set(b.docId, (vectorsOf.get(b.docId) ?? 0) + b.count);
      const list = blocksOf.get(b.docId);
      if (list) list.push(b);
      else blocksOf.set(b.docId, [b]);
    }
    const keywordChunks = new Map((await readKeywords(keywords)).map((k) => [k.docId, countPostingRows(k.data)]));
    for (const d of docs) {
      if ((keywordChunks.get(d.id) ?? 0) !== d.chunkCount)
        problems.push(`${d.name}: ${keywordChunks.get(d.id) ?? 0} keyword entries stored, ${d.chunkCount} expected`);
      if (d.status !== 'ready') problems.push(`${d.name}: not committed (${d.status})`);
      if ((chunksOf.get(d.id) ?? 0) !== d.chunkCount)
        problems.push(`${d.name}: ${chunksOf.get(d.id) ?? 0} chunks stored, ${d.chunkCount} expected`);
      if (d.vectorCount !== undefined && !(d.vectorCount >= 0 && d.vectorCount < d.chunkCount))
        problems.push(`${d.name}: ${d.vectorCount} vectors recorded as added, of ${d.chunkCount} passages`);
      const expected = d.vectorCount ?? d.chunkCount;
      if ((vectorsOf.get(d.id) ?? 0) !== expected)
        problems.push(`${d.name}: ${vectorsOf.get(d.id) ?? 0} vectors stored, ${expected} expected`);
      else if (!coversFirst(blocksOf.get(d.id) ?? [], expected))
        problems.push(`${d.name}: its vectors are not those of its first ${expected} passages`);
    }
    for (const id of new Set([
      ...chunksOf.keys(),
      ...vectorsOf.keys(),
      ...textKeys,
      ...keywordChunks.keys(),
      ...fileKeys,
      ...tableKeys,
    ])) {
      if (!ids.has(id)) problems.push(`orphaned data for missing document ${id}`);
    }
    return {
      documents: docs.length,
      chunks: chunkKeys.length,
      vectors: blocks.reduce((n, b) => n + b.count, 0),
      problems,
    };
  }

  /** Every document's keyword postings, in bulk. */
  async allKeywords(): Promise<KeywordRecord[]> {
    return readKeywords(await this.db.getAll('keywords'));
  }

  /**
   * Stores a document's rebuilt postings if the document is still there, in one transaction: false
   * when it is gone (removed in another tab since it was listed), so nothing is left behind for it.
   */
  async putKeywords(record: KeywordRecord): Promise<boolean> {
    const tx = this.db.transaction(['documents', 'keywords'], 'readwrite');
    if (!(await tx.objectStore('documents').get(record.docId))) {
      tx.abort();
      await tx.done.catch(() => {});
      return false;
    }
    await atomically(tx, (track) => track(tx.objectStore('keywords').put(storedKeywords(record))));
    return true;
  }

  /** Every vector block, read in bulk (one getAll) rather than row by row. */
  async allVectorBlocks(): Promise<VectorBlockRecord[]> {
    return readBlocks(await this.db.getAll('vectors'));
  }

  /** Everything stored for one document, read in one transaction (for backups). */
  async documentBundle(docId: string): Promise<DocumentBundle | undefined> {
    const tx = this.db.transaction(DOCUMENT_STORES);
    const [doc, text, chunks, vectors, keywords, original, tables] = await Promise.all([
      tx.objectStore('documents').get(docId),
      tx.objectStore('texts').get(docId),
      tx.objectStore('chunks').getAll(docRange(docId)),
      tx.objectStore('vectors').getAll(docRange(docId)),
      tx.objectStore('keywords').get(docId),
      tx.objectStore('files').get(docId),
      tx.objectStore('tables').get(docId),
    ]);
    await tx.done;
    return (
      doc && {
        doc,
        text: text?.text ?? '',
        chunks,
        vectors: await readBlocks(vectors),
        keywords: keywords && (await readKeywords([keywords]))[0],
        original: original?.bytes,
        ...(tables ? { tables: tables.tables } : {}),
      }
    );
  }

  /**
   * Stores a document from a backup exactly as it was, in one transaction; returns the document
   * already holding the same content instead, if there is one.
   */
  async putBundle(b: DocumentBundle): Promise<DocumentRecord | null> {
    const tx = this.db.transaction(DOCUMENT_STORES, 'readwrite');
    const existing = (await tx.objectStore('documents').index('byHash').getAll(b.doc.hash)).find(
      (d) => d.status === 'ready',
    );
    if (existing) {
      tx.abort();
      await tx.done.catch(() => {});
      return existing;
    }
    await atomically(tx, (track) => {
      deleteDocumentRecords(tx, b.doc.id, track);
      track(tx.objectStore('documents').put(b.doc));
      track(tx.objectStore('texts').put({ docId: b.doc.id, text: b.text }));
      for (const c of b.chunks) track(tx.objectStore('chunks').put(c));
      for (const v of b.vectors) track(tx.objectStore('vectors').put(storedBlock(v)));
      if (b.keywords) track(tx.objectStore('keywords').put(storedKeywords(b.keywords)));
      if (b.original) track(tx.objectStore('files').put({ docId: b.doc.id, bytes: b.original }));
      if (b.tables?.length) track(tx.objectStore('tables').put({ docId: b.doc.id, tables: b.tables }));
    });
    return null;
  }

  // ---- Collections (schema 6) ---------------------------------------------------------------

  listCollections(): Promise<CollectionRecord[]> {
    return this.db.getAll('collections');
  }

  async putCollection(c: CollectionRecord): Promise<void> {
    await this.db.put('collections', c);
  }

  /**
   * Adds documents to a collection or takes them out of it, in one transaction; returns the
   * records as written (documents that no longer exist are skipped).
   */
  async setMembership(collectionId: string, docIds: string[], member: boolean): Promise<DocumentRecord[]> {
    const tx = this.db.transaction('documents', 'readwrite');
    const docs = (await Promise.all(docIds.map((id) => tx.store.get(id)))).filter((d): d is DocumentRecord => !!d);
    const changed = docs.flatMap((d) => {
      const has = d.collections?.includes(collectionId) ?? false;
      if (has === member) return [];
      const collections = member
        ? [...(d.collections ?? []), collectionId]
        : (d.collections ?? []).filter((c) => c !== collectionId);
      return [{ ...d, collections }];
    });
    await atomically(tx, (track) => changed.forEach((d) => track(tx.store.put(d))));
    return changed;
  }

  /**
   * Deletes a collection in one transaction. Its documents leave it; with `removeDocuments`,
   * those in no other collection are deleted (with everything stored for them). Returns the
   * documents changed and the ids deleted.
   */
  async deleteCollection(
    id: string,
    removeDocuments: boolean,
  ): Promise<{ changed: DocumentRecord[]; removed: string[] }> {
    const tx = this.db.transaction(['collections', ...DOCUMENT_STORES], 'readwrite');
    const members = await tx.objectStore('documents').index('byCollection').getAll(id);
    const changed: DocumentRecord[] = [];
    const removed: string[] = [];
    for (const d of members) {
      const collections = (d.collections ?? []).filter((c) => c !== id);
      if (removeDocuments && collections.length === 0) removed.push(d.id);
      else changed.push({ ...d, collections });
    }
    await atomically(tx, (track) => {
      track(tx.objectStore('collections').delete(id));
      for (const d of changed) track(tx.objectStore('documents').put(d));
      // The same stores plus `collections`: idb's types cannot say a wider transaction will do.
      for (const docId of removed)
        deleteDocumentRecords(
          tx as unknown as IDBPTransaction<FolioSchema, DocumentStores[], 'readwrite'>,
          docId,
          track,
        );
    });
    return { changed, removed };
  }

  /** Records a batch of files about to be indexed, in one transaction. */
  async putPending(records: PendingRecord[]): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    await atomically(tx, (track) => records.forEach((r) => track(tx.objectStore('pending').put(r))));
  }

  async removePending(ids: string[]): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    await atomically(tx, (track) => ids.forEach((id) => track(tx.objectStore('pending').delete(id))));
  }

  /** Keeps how far a pending file's embedding got; a file already crossed off stays gone. */
  async setPendingProgress(id: string, progress: PendingProgress): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    const record = await tx.store.get(id);
    if (record) await tx.store.put({ ...record, progress });
    await tx.done;
  }

  listPending(): Promise<PendingRecord[]> {
    return this.db.getAll('pending');
  }
}

type DocumentStores = 'documents' | 'texts' | 'chunks' | 'vectors' | 'keywords' | 'files' | 'tables';

/** Every store that holds something of a document: written, read and deleted together. */
const DOCUMENT_STORES: DocumentStores[] = ['documents', 'texts', 'chunks', 'vectors', 'keywords', 'files', 'tables'];

/** Queues the deletion of everything stored for one document. */
function deleteDocumentRecords(
  tx: IDBPTransaction<FolioSchema, DocumentStores[], 'readwrite'>,
  docId: string,
  track: (request: Promise<unknown>) => void,
): void {
  track(tx.objectStore('documents').delete(docId));
  track(tx.objectStore('texts').delete(docId));
  track(tx.objectStore('chunks').delete(docRange(docId)));
  track(tx.objectStore('vectors').delete(docRange(docId)));
  track(tx.objectStore('keywords').delete(docId));
  track(tx.objectStore('files').delete(docId));
  track(tx.objectStore('tables').delete(docId));
}

/** Whether a document's blocks hold passages 0 … n − 1, each once. */
function coversFirst(blocks: StoredVectorBlock[], n: number): boolean {
  const mine = blocks.toSorted((a, b) => a.first - b.first);
  let next = 0;
  for (const b of mine) {
    if (b.first !== next) return false;
    next += b.count;
  }
  return next === n;
}

/** Chunks described by an encoded postings array ([length, n, (term, tf) × n] per chunk). */
function countPostingRows(data: Uint32Array | Uint16Array): number {
  let rows = 0;
  for (let p = 0; p < data.length; p += 2 + 2 * data[p + 1]!) rows++;
  return rows;
}

/**
 * Issues a transaction's writes and waits for it to commit. If any write throws, synchronously
 * (DataCloneError, some quota errors) or not, the transaction is aborted so that the writes
 * already queued are rolled back instead of auto-committing.
 */
async function atomically(
  tx: { abort(): void; done: Promise<void> },
  issue: (track: (request: Promise<unknown>) => void) => void,
): Promise<void> {
  const pending: Promise<unknown>[] = [];
  // Once aborted, every queued request rejects too; those rejections are expected, not errors.
  const track = (request: Promise<unknown>) => {
    request.catch(() => {});
    pending.push(request);
  };
  try {
    issue(track);
    await Promise.all([...pending, tx.done]);
  } catch (err) {
    try {
      tx.abort();
    } catch {
      /* already finished or aborted */
    }
    await tx.done.catch(() => {});
    throw err;
  }
}

function* toBlocks(docId: string, vectors: Float32Array, dims: number): Generator<StoredVectorBlock> {
  const n = vectors.length / dims;
  for (let first = 0, block = 0; first < n; first += VECTOR_BLOCK, block++) {
    const count = Math.min(VECTOR_BLOCK, n - first);
    yield storedBlock({
      docId,
      block,
      first,
      count,
      dimensions: dims,
      vectors: vectors.subarray(first * dims, (first + count) * dims),
    });
  }
}

// slice(): a copy on a plain ArrayBuffer, as Blob requires (a view might sit on shared memory).
const storedBlock = (b: VectorBlockRecord): StoredVectorBlock => ({ ...b, vectors: new Blob([b.vectors.slice()]) });

const storedKeywords = (k: KeywordRecord): StoredKeywordRecord => ({
  ...k,
  data: new Blob([k.data.slice()]),
  bytesPer: k.data instanceof Uint16Array ? 2 : 4,
});

function readKeywords(records: StoredKeywordRecord[]): Promise<KeywordRecord[]> {
  return Promise.all(
    records.map(async (k) => {
      if (!(k.data instanceof Blob)) return k as KeywordRecord;
      const bytes = await k.data.arrayBuffer();
      const { bytesPer, ...record } = k as Extract<StoredKeywordRecord, { bytesPer: 2 | 4 }>;
      return { ...record, data: bytesPer === 2 ? new Uint16Array(bytes) : new Uint32Array(bytes) };
    }),
  );
}

/** Stored blocks with their floats in hand, all Blobs read at once. */
function readBlocks(blocks: StoredVectorBlock[]): Promise<VectorBlockRecord[]> {
  return Promise.all(
    blocks.map(async (b) =>
      b.vectors instanceof Blob
        ? { ...b, vectors: new Float32Array(await b.vectors.arrayBuffer()) }
        : (b as VectorBlockRecord),
    ),
  );
}
