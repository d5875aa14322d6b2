import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { passageText } from '../chunk/chunker';
import { buildPostings, type KeywordPostings } from '../search/keywordIndex';
import { mineTerms } from '../search/terms';
import type { TableData } from '../table/types';
import type { DocType, SourceLocation } from '../types';

export interface DocumentRecord {
  id: string;
  name: string;
  type: DocType;
  size: number;
  /** SHA-256 of the file's bytes, hex. */
  hash: string;
  title?: string;
  pageCount?: number;
  chunkCount: number;
  /**
   * Passages that have their vector so far, when fewer than `chunkCount`: a large table is stored
   * searchable by keywords at once and its vectors are added after, in order, passage 0 first (see
   * library/fill.ts). Absent: every passage has its vector. No schema step: a field of the record.
   */
  vectorCount?: number;
  /** 'ready' is the commit marker: a document in any other state is never searched. */
  status: 'indexing' | 'ready';
  /** The model whose vector space this document's vectors live in. */
  embeddingModel: string;
  addedAt: number;
  /** Ids of the collections it belongs to (schema 6); none: only in "All documents". */
  collections?: string[];
  /**
   * Bytes it keeps in storage (text, passages, vectors, keyword postings, original), before
   * IndexedDB's own overhead; written with it (schema 6), and by the upgrade for older documents.
   */
  storedBytes?: number;
  /**
   * The acronyms it defines and their long forms ("MMLU" → "Massive Multitask Language
   * Understanding"), mined when it was indexed (search/terms.ts), or from its stored text by the
   * upgrade to schema 8 for documents indexed before.
   */
  terms?: [string, string][];
}

/** A named set of documents (schema 6); a document can be in several. */
export interface CollectionRecord {
  id: string;
  name: string;
  createdAt: number;
  /** Filled from a library file (published or opened): its documents come and go only with that file. */
  readOnly?: boolean;
  source?: CollectionSource;
}

/** Where a read-only collection's documents came from, to tell when that file changes. */
export interface CollectionSource {
  /** The published file's URL, or the name of the file opened. */
  url?: string;
  fileName?: string;
  etag?: string;
  lastModified?: string;
  /** SHA-256 of the file as last stored. */
  sha256: string;
  /** When it was last fetched or opened (ms since the epoch). */
  checkedAt: number;
}

export interface ChunkRecord {
  docId: string;
  index: number;
  text: string;
  tokens: number;
  location: SourceLocation;
}

/** Up to VECTOR_BLOCK vectors of one document in one typed array, not one JS array per chunk. */
export interface VectorBlockRecord {
  docId: string;
  block: number;
  /** Index of the first chunk in this block. */
  first: number;
  count: number;
  dimensions: number;
  vectors: Float32Array;
}

/**
 * A vector block as stored: since schema 5 its floats are a Blob. IndexedDB hands a Blob back
 * without deserialising it on the reading thread, and the bytes then arrive as file reads that
 * go on while that thread is busy (loading the model), which made reading 100k vectors on
 * opening several times faster than structured-cloned typed arrays. Blocks written before
 * schema 5 hold a Float32Array and are read as they are.
 */
export type StoredVectorBlock = Omit<VectorBlockRecord, 'vectors'> & { vectors: Float32Array | Blob };

/**
 * Keyword postings as stored: like vectors, their numbers are a Blob since schema 5, of 16- or
 * 32-bit numbers as `bytesPer` says.
 */
export type StoredKeywordRecord = Omit<KeywordRecord, 'data'> &
  ({ data: Uint32Array | Uint16Array } | { data: Blob; bytesPer: 2 | 4 });

export interface LibraryMeta {
  key: 'library';
  embeddingModel: string;
  dimensions: number;
  createdAt: number;
}

/** A document's source guide, kept so that opening the document again costs nothing (no schema step: the meta store holds it). */
export interface GuideRecord {
  key: `guide:${string}`;
  docId: string;
  guide: unknown;
}

export interface FolioSchema extends DBSchema {
  /** The library's settings ('library'), and each document's source guide ('guide:<docId>', issue 21). */
  meta: { key: string; value: LibraryMeta | GuideRecord };
  documents: { key: string; value: DocumentRecord; indexes: { byHash: string; byCollection: string } };
  collections: { key: string; value: CollectionRecord };
  texts: { key: string; value: { docId: string; text: string } };
  chunks: { key: [string, number]; value: ChunkRecord };
  vectors: { key: [string, number]; value: StoredVectorBlock };
  keywords: { key: string; value: StoredKeywordRecord };
  files: { key: string; value: OriginalRecord };
  pending: { key: string; value: PendingRecord };
  tables: { key: string; value: TablesRecord };
}

/** A document's sheets and tables as typed columns (schema 7), written and removed with it. */
export interface TablesRecord {
  docId: string;
  tables: TableData[];
}

/**
 * A file the user asked to add that has not finished yet. Written before indexing starts and
 * deleted when the file's outcome is known, so files still listed after a crash or a closed tab
 * are exactly the interrupted ones, and their bytes are there to resume from.
 */
export interface PendingRecord {
  id: string;
  /** The batch being indexed; its tab holds a Web Lock of that name while it works on it. */
  batch: string;
  name: string;
  /** The file itself (browsers keep a File/Blob on disk) or its bytes. */
  data: Blob | Uint8Array;
  size: number;
  addedAt: number;
  /** Place in its batch, so a resumed batch keeps the order the user gave. */
  position: number;
  /** How far embedding got, for a large file: resuming starts there instead of at zero. */
  progress?: PendingProgress;
  /** Collections it goes into once stored (no schema change: `pending` holds any shape). */
  collections?: string[];
}

/** Vectors of a pending file's first passages, kept as embedding goes (no schema change: `pending` holds any shape). */
export interface PendingProgress {
  /** Model and passages the vectors belong to (a hash): resuming with other settings starts over. */
  fingerprint: string;
  /** Passages embedded so far: the file's first `done`. */
  done: number;
  /** Their vectors, `done` × dimensions float32, as a Blob like stored vector blocks. */
  vectors: Blob;
}

/** The file as the user added it: to show a PDF page, or to index it again. */
export interface OriginalRecord {
  docId: string;
  bytes: Uint8Array;
}

/** A document's keyword postings (see search/keywordIndex.ts), written with its chunks. */
export interface KeywordRecord extends KeywordPostings {
  docId: string;
}

export const VECTOR_BLOCK = 4096;

type UpgradeTx = IDBPTransaction<FolioSchema, StoreNames<FolioSchema>[], 'versionchange'>;

/**
 * migrations[i] upgrades a database from version i to version i + 1. A browser that last saw any
 * earlier version runs every step after it, in order; steps are never edited once released.
 */
export const MIGRATIONS: ((db: IDBPDatabase<FolioSchema>, tx: UpgradeTx) => void | Promise<void>)[] = [
  // 0 → 1: the first schema.
  (db) => {
    db.createObjectStore('meta', { keyPath: 'key' });
    const docs = db.createObjectStore('documents', { keyPath: 'id' });
    docs.createIndex('byHash', 'hash');
    db.createObjectStore('texts', { keyPath: 'docId' });
    db.createObjectStore('chunks', { keyPath: ['docId', 'index'] });
    db.createObjectStore('vectors', { keyPath: ['docId', 'block'] });
  },
  // 1 → 2: keyword (BM25) postings per document, built from the chunks already stored.
  async (db, tx) => {
    db.createObjectStore('keywords', { keyPath: 'docId' });
    let docId: string | undefined;
    let texts: string[] = [];
    const flush = async () => {
      if (docId !== undefined) await tx.objectStore('keywords').put({ docId, ...buildPostings(texts) });
      texts = [];
    };
    for (let cursor = await tx.objectStore('chunks').openCursor(); cursor; cursor = await cursor.continue()) {
      const chunk = cursor.value;
      if (chunk.docId !== docId) {
        await flush();
        docId = chunk.docId;
      }
      texts.push(passageText(chunk.text, chunk.location.headings));
    }
    await flush();
  },
  // 2 → 3: original files, kept from now on (documents added before have none).
  (db) => {
    db.createObjectStore('files', { keyPath: 'docId' });
  },
  // 3 → 4: files being added, so an interrupted batch can be listed and resumed.
  (db) => {
    db.createObjectStore('pending', { keyPath: 'id' });
  },
  // 4 → 5: vector blocks and keyword postings are written as Blobs (StoredVectorBlock,
  // StoredKeywordRecord). Nothing to convert: older records stay readable as they are. The
  // version changes so that a tab still running schema-4 code, which cannot read Blob vectors,
  // is told to reload instead.
  () => {},
  // 5 → 6: collections. Documents list theirs (`collections`, indexed one entry per id) and
  // carry what they keep in storage (`storedBytes`), computed here for the documents already in.
  async (db, tx) => {
    db.createObjectStore('collections', { keyPath: 'id' });
    const docs = tx.objectStore('documents');
    docs.createIndex('byCollection', 'collections', { multiEntry: true });
    for (let cursor = await docs.openCursor(); cursor; cursor = await cursor.continue()) {
      const id = cursor.value.id;
      const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
      const [text, chunks, vectors, keywords, original] = await Promise.all([
        tx.objectStore('texts').get(id),
        tx.objectStore('chunks').getAll(range),
        tx.objectStore('vectors').getAll(range),
        tx.objectStore('keywords').get(id),
        tx.objectStore('files').get(id),
      ]);
      const storedBytes = storedBytesOf({
        text: text?.text ?? '',
        chunks,
        vectorBytes: vectors.reduce((n, v) => n + byteSize(v.vectors), 0),
        postingBytes: keywords ? byteSize(keywords.data) : 0,
        originalBytes: original?.bytes.byteLength ?? 0,
      });
      await cursor.update({ ...cursor.value, collections: [], storedBytes });
    }
  },
  // 6 → 7: tables kept as typed columns, one record per document that has any (issue 24).
  // Documents added before have none until indexed again; nothing to convert.
  (db) => {
    db.createObjectStore('tables', { keyPath: 'docId' });
  },
  // 7 → 8: documents carry the acronyms they define (`terms`), mined here from the text already
  // stored so that a library indexed before understands them without indexing anything again.
  async (_db, tx) => {
    const docs = tx.objectStore('documents');
    for (let cursor = await docs.openCursor(); cursor; cursor = await cursor.continue()) {
      const text = await tx.objectStore('texts').get(cursor.value.id);
      const terms = mineTerms(text?.text ?? '');
      if (terms.length) await cursor.update({ ...cursor.value, terms });
    }
  },
];

const byteSize = (v: Blob | ArrayBufferView) => (v instanceof Blob ? v.size : v.byteLength);

const utf8 = new TextEncoder();

/**
 * What one document keeps in storage, in bytes: its text, its passages' text, vectors, keyword
 * postings and original file (IndexedDB's own overhead left out). Per-collection storage is the
 * sum over its documents.
 */
export function storedBytesOf(d: {
  text: string;
  chunks: { text: string }[];
  vectorBytes: number;
  postingBytes: number;
  originalBytes: number;
}): number {
  let bytes = utf8.encode(d.text).byteLength + d.vectorBytes + d.postingBytes + d.originalBytes;
  for (const c of d.chunks) bytes += utf8.encode(c.text).byteLength;
  return bytes;
}

export const SCHEMA_VERSION = MIGRATIONS.length;
