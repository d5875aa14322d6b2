import { passageText } from '../chunk/chunker';
import type { TableData } from '../table/types';
import type { EmbeddingModelSpec } from '../embed/models';
import { ANALYZER_VERSION } from '../search/analyzer';
import { buildPostings, KeywordIndex, type Bm25Params, type KeywordPostings } from '../search/keywordIndex';
import { evenSample, VectorIndex } from '../search/vectorIndex';
import type { DocumentBundle } from '../store/backup';
import {
  storedBytesOf,
  type ChunkRecord,
  type CollectionRecord,
  type DocumentRecord,
  type KeywordRecord,
  type LibraryStore,
} from '../store/store';

/** A document ready to be written: everything `LibraryStore.addDocument` stores for it. */
export interface NewDocument {
  doc: DocumentRecord;
  text: string;
  chunks: ChunkRecord[];
  vectors: Float32Array;
  postings: KeywordPostings;
  original?: Uint8Array;
  /** Its sheets and tables as typed columns (issue 24). */
  tables?: TableData[];
}

/**
 * What a library holds in memory: its documents, their vectors and their keyword postings, kept
 * in step with IndexedDB. Every change to documents goes through here (written to the store
 * first, then to memory), one at a time, so a reload never interleaves with a commit and the
 * three never disagree.
 *
 * Opening reads the documents and keyword postings first (keyword search works from then on),
 * then the vectors: `vectorsLoaded` says whether dense search can run yet.
 */
export class LibraryState {
  docs = new Map<string, DocumentRecord>();
  collections = new Map<string, CollectionRecord>();
  vectors: VectorIndex;
  keywords: KeywordIndex;
  vectorsLoaded = false;
  /** Settles when the first `loadVectors` does. */
  readonly vectorsReady: Promise<void>;
  private vectorsSettled!: (error?: unknown) => void;
  /** Milliseconds the last load spent per step (shown by the benchmark). */
  readonly timings: Record<string, number> = {};
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LibraryStore,
    private readonly model: EmbeddingModelSpec,
    private readonly bm25: Bm25Params,
  ) {
    this.vectors = new VectorIndex(model.dimensions);
    this.keywords = new KeywordIndex(bm25);
    this.vectorsReady = new Promise<void>(
      (resolve, reject) => (this.vectorsSettled = (error) => (error ? reject(error) : resolve())),
    );
    // Reported by whoever waits for it; never an unhandled rejection on its own.
    this.vectorsReady.catch(() => {});
  }

  /** Runs changes one after another, in the order asked. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Documents, then keyword postings; the vectors follow in `loadVectors`. */
  loadDocuments(): Promise<void> {
    return this.exclusive(async () => {
      const lap = stopwatch(this.timings);
      const docs = await this.store.listDocuments();
      // A document without its commit marker was interrupted mid-write by an older build: drop it.
      for (const d of docs.filter((d) => d.status !== 'ready')) await this.store.removeDocument(d.id);
      this.docs = new Map(docs.filter((d) => d.status === 'ready').map((d) => [d.id, d]));
      this.collections = new Map((await this.store.listCollections()).map((c) => [c.id, c]));
      lap('documents');
      const stored = new Map((await this.store.allKeywords()).map((k) => [k.docId, k]));
      lap('readPostings');
      const records: KeywordRecord[] = [];
      for (const doc of [...this.docs.values()]) {
        let record = stored.get(doc.id);
        // Postings made by another analyzer version (or missing) are rebuilt from the chunk text.
        if (!record || record.analyzer !== ANALYZER_VERSION) {
          const chunks = await this.store.getChunks(doc.id);
          record = { docId: doc.id, ...buildPostings(chunks.map((c) => passageText(c.text, c.location.headings))) };
          // Missing because another tab removed the document after it was listed: it is gone here too.
          if (!(await this.store.putKeywords(record))) {
            this.docs.delete(doc.id);
            continue;
          }
        }
        records.push(record);
      }
      const keywords = new KeywordIndex(this.bm25);
      keywords.addAll(records);
      this.keywords = keywords;
      lap('indexPostings');
    });
  }

  /** The vectors of every document in the current model's space, read in bulk. */
  loadVectors(): Promise<void> {
    const loading = this.exclusive(async () => {
      const lap = stopwatch(this.timings);
      const searchable = new Set(this.searchableIds());
      const dims = this.model.dimensions;
      const blocks = (await this.store.allVectorBlocks()).filter(
        (b) => searchable.has(b.docId) && b.dimensions === dims,
      );
      lap('readVectors');
      // Sized once: growing by doubling would copy every code several times over.
      const total = blocks.reduce((n, b) => n + b.count, 0);
      const index = new VectorIndex(dims, Math.max(1024, total));
      // Codes fitted to the whole library, not to whichever documents come first.
      index.calibrate(
        evenSample(
          blocks.map((b) => b.vectors),
          dims,
        ),
        total,
      );
      for (const [i, block] of blocks.entries()) {
        index.add(block.docId, block.vectors, block.first);
        // A turn of the event loop now and then: a search asked meanwhile (keyword-only, on
        // reopening) is answered between blocks rather than after all of them.
        if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      index.prepare();
      this.vectors = index;
      this.vectorsLoaded = true;
      lap('indexVectors');
    });
    loading.then(
      () => this.vectorsSettled(),
      (err: unknown) => this.vectorsSettled(err ?? new Error('reading vectors failed')),
    );
    return loading;
  }

  /** Re-reads everything from IndexedDB (after another tab changed it). */
  async reload(): Promise<void> {
    await this.loadDocuments();
    await this.loadVectors();
  }

  /** Stores a new document (replacing `replaces` in the same transaction); returns the one already holding its content instead, if any. */
  add(d: NewDocument, replaces?: string): Promise<DocumentRecord | null> {
    return this.exclusive(async () => {
      const existing = await this.store.addDocument(
        d.doc,
        d.text,
        d.chunks,
        d.vectors,
        this.model.dimensions,
        d.postings,
        d.original,
        replaces,
        d.tables,
      );
      if (existing) return existing;
      if (replaces) this.forget(replaces);
      this.docs.set(d.doc.id, d.doc);
      this.vectors.add(d.doc.id, d.vectors);
      this.keywords.add(d.doc.id, d.postings);
      return null;
    });
  }

  /** Stores a document from a backup as it was; returns the one already holding its content instead, if any. */
  restore(bundle: DocumentBundle): Promise<DocumentRecord | null> {
    return this.exclusive(async () => {
      // A backup made before schema 6 has no storage size per document: counted as it is stored.
      const b =
        bundle.doc.storedBytes === undefined
          ? { ...bundle, doc: { ...bundle.doc, storedBytes: bundleBytes(bundle) } }
          : bundle;
      // Postings from another analyzer version (or none) are rebuilt, as opening would, and stored
      // with the rest in one transaction.
      const postings =
        b.keywords?.analyzer === ANALYZER_VERSION
          ? b.keywords
          : { docId: b.doc.id, ...buildPostings(b.chunks.map((c) => passageText(c.text, c.location.headings))) };
      const existing = await this.store.putBundle({ ...b, keywords: postings });
      if (existing) return existing;
      this.docs.set(b.doc.id, b.doc);
      if (b.doc.embeddingModel === this.model.id) {
        for (const block of b.vectors)
          if (block.dimensions === this.model.dimensions) this.vectors.add(b.doc.id, block.vectors, block.first);
      }
      this.keywords.add(b.doc.id, postings);
      return null;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.exclusive(async () => {
      const existed = await this.store.removeDocument(id);
      this.forget(id);
      return existed;
    });
  }

  /**
   * Vectors of a document's next passages, from `first` (see fill.ts), stored with its new count in
   * one transaction. False when it is gone, or its stored count is not `first` (another tab added them).
   */
  addVectors(id: string, first: number, vectors: Float32Array): Promise<boolean> {
    return this.exclusive(async () => {
      const doc = await this.store.appendVectors(id, first, vectors, this.model.dimensions);
      if (!doc) return false;
      if (this.docs.has(id)) {
        this.docs.set(id, doc);
        this.vectors.add(id, vectors, first);
      }
      return true;
    });
  }

  /** Documents of the current model's space stored without all their vectors yet, oldest first. */
  unfilled(): DocumentRecord[] {
    return [...this.docs.values()]
      .filter((d) => d.vectorCount !== undefined && d.embeddingModel === this.model.id)
      .sort((a, b) => a.addedAt - b.addedAt);
  }

  /** A document's vectors in the current model's space (re-embedding), written in one transaction. */
  replaceVectors(id: string, vectors: Float32Array): Promise<void> {
    return this.exclusive(async () => {
      await this.store.replaceVectors(id, this.model.id, vectors, this.model.dimensions);
      const doc = this.docs.get(id);
      if (doc) {
        const { vectorCount: _, ...whole } = doc;
        this.docs.set(id, { ...whole, embeddingModel: this.model.id });
      }
      this.vectors.remove(id);
      this.vectors.add(id, vectors);
    });
  }

  /** Creates or renames a collection. */
  putCollection(c: CollectionRecord): Promise<void> {
    return this.exclusive(async () => {
      await this.store.putCollection(c);
      this.collections.set(c.id, c);
    });
  }

  /** Puts documents into a collection, or takes them out; returns how many changed. */
  setMembership(collectionId: string, docIds: string[], member: boolean): Promise<number> {
    return this.exclusive(async () => {
      const changed = await this.store.setMembership(collectionId, docIds, member);
      for (const d of changed) this.docs.set(d.id, d);
      return changed.length;
    });
  }

  /** Deletes a collection (and, with `removeDocuments`, its documents that are in no other one); returns the ids deleted. */
  deleteCollection(id: string, removeDocuments: boolean): Promise<string[]> {
    return this.exclusive(async () => {
      const { changed, removed } = await this.store.deleteCollection(id, removeDocuments);
      this.collections.delete(id);
      for (const d of changed) this.docs.set(d.id, d);
      for (const docId of removed) this.forget(docId);
      return removed;
    });
  }

  private forget(id: string): void {
    this.docs.delete(id);
    this.vectors.remove(id);
    this.keywords.remove(id);
  }

  /** Documents embedded by another model than the current one: not searched until re-embedded. */
  staleIds(): string[] {
    return [...this.docs.values()].filter((d) => d.embeddingModel !== this.model.id).map((d) => d.id);
  }

  /** The documents search may use: all, unless some are still in another model's space. */
  searchable(): string[] | undefined {
    return this.staleIds().length ? this.searchableIds() : undefined;
  }

  private searchableIds(): string[] {
    return [...this.docs.values()].filter((d) => d.embeddingModel === this.model.id).map((d) => d.id);
  }
}

function bundleBytes(b: DocumentBundle): number {
  return storedBytesOf({
    text: b.text,
    chunks: b.chunks,
    vectorBytes: b.vectors.reduce((n, v) => n + v.vectors.byteLength, 0),
    postingBytes: b.keywords?.data.byteLength ?? 0,
    originalBytes: b.original?.byteLength ?? 0,
  });
}

function stopwatch(timings: Record<string, number>): (step: string) => void {
  let mark = performance.now();
  return (step) => {
    const now = performance.now();
    timings[step] = Math.round(now - mark);
    mark = now;
  };
}
