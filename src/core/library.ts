import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './chunk/chunker';
import type { Embedder } from './embed/embedder';
import { asFolioError, FolioError, type SerializedFolioError } from './errors';
import { parseBytes, readBytes } from './ingest';
import { VectorIndex } from './search/vectorIndex';
import { LibraryStore, type ChunkRecord, type DocumentRecord, type IntegrityReport } from './store/store';
import type { FileInput, SourceLocation } from './types';

export interface LibraryOptions {
  /** IndexedDB database name; one library per name. */
  name?: string;
  embedder: Embedder;
  chunking?: Partial<ChunkOptions>;
  maxFileBytes?: number;
}

export type IndexStage = 'reading' | 'parsing' | 'chunking' | 'embedding' | 'storing' | 'done' | 'failed' | 'duplicate';

export interface IndexProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  stage: IndexStage;
  /** Chunks embedded so far / in all, during 'embedding'. */
  done?: number;
  total?: number;
}

export type AddOutcome =
  | { file: string; status: 'added'; document: DocumentRecord }
  | { file: string; status: 'duplicate'; document: DocumentRecord; error: SerializedFolioError }
  | { file: string; status: 'failed'; error: SerializedFolioError };

export interface SearchOptions {
  k?: number;
  /** Only search these documents. */
  documents?: string[];
}

export interface SearchHit {
  docId: string;
  docName: string;
  chunkIndex: number;
  text: string;
  score: number;
  location: SourceLocation;
}

export interface EmbeddingStatus {
  /** The model this library's vectors are in. */
  libraryModel: string;
  /** The model of the embedder in use now. */
  currentModel: string;
  /** Documents whose vectors are in another model's space; they are not searched until re-embedded. */
  staleDocuments: string[];
}

/**
 * The public face of the core: the app (through its worker), the CLI and the tests all use this.
 * Search sees only committed documents whose vectors were made by the current embedding model.
 */
export class Library {
  private index: VectorIndex;
  private docs = new Map<string, DocumentRecord>();

  private constructor(
    private readonly store: LibraryStore,
    private readonly embedder: Embedder,
    private libraryModel: string,
    private readonly chunking: ChunkOptions,
    private readonly maxFileBytes: number | undefined,
  ) {
    this.index = new VectorIndex(embedder.model.dimensions);
  }

  static async open(opts: LibraryOptions): Promise<Library> {
    const store = await LibraryStore.open(opts.name ?? 'folio');
    const model = opts.embedder.model;
    let meta = await store.getMeta();
    if (!meta) {
      meta = { key: 'library', embeddingModel: model.id, dimensions: model.dimensions, createdAt: Date.now() };
      await store.setMeta(meta);
    }
    const maxTokens = Math.min(opts.chunking?.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens, model.maxTokens - 16);
    const lib = new Library(store, opts.embedder, meta.embeddingModel, { ...DEFAULT_CHUNK_OPTIONS, ...opts.chunking, maxTokens }, opts.maxFileBytes);
    await lib.reload();
    return lib;
  }

  get embeddingModel(): string {
    return this.embedder.model.id;
  }

  /** Re-reads documents and vectors from IndexedDB (after another tab changed them, or on open). */
  async reload(): Promise<void> {
    const docs = await this.store.listDocuments();
    // A document without its commit marker was interrupted mid-write by an older build: drop it.
    for (const d of docs.filter((d) => d.status !== 'ready')) await this.store.removeDocument(d.id);
    this.docs = new Map(docs.filter((d) => d.status === 'ready').map((d) => [d.id, d]));
    const index = new VectorIndex(this.embedder.model.dimensions, 1024);
    const searchable = new Set([...this.docs.values()].filter((d) => d.embeddingModel === this.embedder.model.id).map((d) => d.id));
    for (const block of await this.store.allVectorBlocks()) {
      if (searchable.has(block.docId) && block.dimensions === index.dimensions) index.add(block.docId, block.vectors, block.first);
    }
    this.index = index;
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return [...this.docs.values()].sort((a, b) => a.addedAt - b.addedAt);
  }

  embeddingStatus(): EmbeddingStatus {
    return {
      libraryModel: this.libraryModel,
      currentModel: this.embedder.model.id,
      staleDocuments: [...this.docs.values()].filter((d) => d.embeddingModel !== this.embedder.model.id).map((d) => d.id),
    };
  }

  /**
   * Indexes files one after another. A file that fails is reported with its reason and leaves
   * nothing behind; the others go on.
   */
  async addFiles(files: FileInput[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]> {
    const outcomes: AddOutcome[] = [];
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const report = (stage: IndexStage, done?: number, total?: number) =>
        onProgress?.({ file: file.name, fileIndex: i, fileCount: files.length, stage, ...(total !== undefined ? { done, total } : {}) });
      try {
        const outcome = await this.addOne(file, report);
        outcomes.push(outcome);
        report(outcome.status === 'added' ? 'done' : 'duplicate');
      } catch (err) {
        outcomes.push({ file: file.name, status: 'failed', error: asFolioError(err, file.name).toJSON() });
        report('failed');
      }
    }
    return outcomes;
  }

  private async addOne(file: FileInput, report: (stage: IndexStage, done?: number, total?: number) => void): Promise<AddOutcome> {
    report('reading');
    const bytes = await readBytes(file, this.maxFileBytes !== undefined ? { maxFileBytes: this.maxFileBytes } : {});
    const hash = await sha256(bytes);
    const known = await this.store.findByHash(hash);
    if (known) return duplicate(file.name, known);

    report('parsing');
    const parsed = await parseBytes(bytes, file.name);
    report('chunking');
    const chunks = chunkDocument(parsed, (t) => this.embedder.countTokens(t), this.chunking);
    report('embedding', 0, chunks.length);
    const vectors = await this.embedder.embed(
      chunks.map((c) => embeddingText(c.text, c.location.headings)),
      'passage',
      (done, total) => report('embedding', done, total),
    );

    report('storing');
    const id = randomId();
    const doc: DocumentRecord = {
      id,
      name: file.name,
      type: parsed.type,
      size: bytes.byteLength,
      hash,
      chunkCount: chunks.length,
      status: 'ready',
      embeddingModel: this.embedder.model.id,
      addedAt: Date.now(),
      ...(parsed.title ? { title: parsed.title } : {}),
      ...(parsed.pageCount ? { pageCount: parsed.pageCount } : {}),
    };
    const records: ChunkRecord[] = chunks.map((c) => ({ docId: id, index: c.index, text: c.text, tokens: c.tokens, location: c.location }));
    const existing = await this.store.addDocument(doc, parsed.text, records, vectors, this.embedder.model.dimensions);
    if (existing) return duplicate(file.name, existing);
    this.docs.set(id, doc);
    this.index.add(id, vectors);
    return { file: file.name, status: 'added', document: doc };
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 5;
    if (!query.trim() || this.index.size === 0) return [];
    const q = await this.embedder.embed([query], 'query');
    const hits = this.index.search(q, k, opts.documents);
    const records = await this.store.getChunksByKey(hits.map((h) => [h.docId, h.chunkIndex]));
    return hits.flatMap((h, i) => {
      const rec = records[i];
      const doc = this.docs.get(h.docId);
      if (!rec || !doc) return [];
      return [{ docId: h.docId, docName: doc.name, chunkIndex: h.chunkIndex, text: rec.text, score: h.score, location: rec.location }];
    });
  }

  async removeDocument(id: string): Promise<boolean> {
    const existed = await this.store.removeDocument(id);
    this.docs.delete(id);
    this.index.remove(id);
    return existed;
  }

  getDocumentText(id: string): Promise<string | undefined> {
    return this.store.getText(id);
  }

  getChunks(id: string): Promise<ChunkRecord[]> {
    return this.store.getChunks(id);
  }

  /**
   * Moves every document into the current model's vector space, one document per transaction,
   * from the chunk text already stored (no re-parsing). Until a document is done it is not searched.
   */
  async reembed(onProgress?: (done: number, total: number) => void): Promise<void> {
    const stale = this.embeddingStatus().staleDocuments;
    const dims = this.embedder.model.dimensions;
    for (let i = 0; i < stale.length; i++) {
      const id = stale[i]!;
      const chunks = await this.store.getChunks(id);
      const vectors = await this.embedder.embed(chunks.map((c) => embeddingText(c.text, c.location.headings)), 'passage');
      await this.store.replaceVectors(id, this.embedder.model.id, vectors, dims);
      const doc = this.docs.get(id);
      if (doc) this.docs.set(id, { ...doc, embeddingModel: this.embedder.model.id });
      this.index.remove(id);
      this.index.add(id, vectors);
      onProgress?.(i + 1, stale.length);
    }
    this.libraryModel = this.embedder.model.id;
    await this.store.setMeta({ key: 'library', embeddingModel: this.libraryModel, dimensions: dims, createdAt: Date.now() });
  }

  checkIntegrity(): Promise<IntegrityReport> {
    return this.store.integrityReport();
  }

  close(): void {
    this.store.close();
  }
}

/**
 * What the embedding model sees for a passage: its heading path, then its text. The heading gives
 * a passage the context its own words often lack ("Results" sections rarely repeat the topic).
 */
export function embeddingText(text: string, headings: string[]): string {
  const path = headings.filter((h) => !text.startsWith(h)).join(' › ');
  return path ? `${path}\n${text}` : text;
}

function duplicate(fileName: string, existing: DocumentRecord): AddOutcome {
  const error = new FolioError('duplicate', `the same content is already in your library as “${existing.name}”`, fileName);
  return { file: fileName, status: 'duplicate', document: existing, error: error.toJSON() };
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function randomId(): string {
  return crypto.randomUUID();
}

export async function openLibrary(opts: LibraryOptions): Promise<Library> {
  return Library.open(opts);
}
