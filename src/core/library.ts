import { chunkDocumentAsync, DEFAULT_CHUNK_OPTIONS, passageText, type Chunk, type ChunkOptions } from './chunk/chunker';
import type { Embedder } from './embed/embedder';
import { asFolioError, FolioError, type SerializedFolioError } from './errors';
import { evaluate, type EvalQuestion, type EvalReport } from './eval/userEval';
import { parseBytes, readBytes, sizeOf } from './ingest';
import { ANALYZER_VERSION } from './search/analyzer';
import { selectContext, type ContextOptions, type ContextPassage } from './search/context';
import { reciprocalRankFusion, scoreFusion } from './search/fusion';
import { buildPostings, DEFAULT_BM25, KeywordIndex, type Bm25Params } from './search/keywordIndex';
import { VectorIndex, type VectorHit } from './search/vectorIndex';
import { BACKUP_MAGIC, encodeFrame, readFrames, type BackupHeader, type DocumentBundle } from './store/backup';
import type { PendingRecord } from './store/schema';
import { LibraryStore, SCHEMA_VERSION, type ChunkRecord, type DocumentRecord, type IntegrityReport, type KeywordRecord } from './store/store';
import type { FileInput, ParsedDocument, SourceLocation } from './types';

export interface AddOptions {
  /** Cancels the files not yet stored (each reported as 'cancelled'); stored ones stay. */
  signal?: AbortSignal;
  /** Ids of interrupted files being added again (internal to resumeInterrupted). */
  resuming?: string[];
}

export interface LibraryOptions {
  /** IndexedDB database name; one library per name. */
  name?: string;
  embedder: Embedder;
  chunking?: Partial<ChunkOptions>;
  maxFileBytes?: number;
  bm25?: Bm25Params;
  /** Another tab opened this library with a newer schema; this connection has been closed. */
  onVersionChange?: () => void;
}

export type IndexStage = 'reading' | 'parsing' | 'chunking' | 'embedding' | 'storing' | 'done' | 'failed' | 'duplicate';

export interface IndexProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  stage: IndexStage;
  /** This file's chunks embedded so far / in all, during 'embedding'. */
  done?: number;
  total?: number;
  /** With 'done': the stored document, so a list can show it at once. */
  document?: DocumentRecord;
}

export type AddOutcome =
  | { file: string; status: 'added'; document: DocumentRecord }
  | { file: string; status: 'duplicate'; document: DocumentRecord; error: SerializedFolioError }
  | { file: string; status: 'failed'; error: SerializedFolioError };

/** A document already parsed elsewhere (e.g. a benchmark corpus), indexed by the same pipeline. */
export interface ParsedInput {
  name: string;
  parsed: ParsedDocument;
}

export type SearchMode = 'dense' | 'keyword' | 'hybrid';

export interface FusionOptions {
  method: 'rrf' | 'zscore' | 'minmax';
  /** Weight of the dense list; the keyword list gets 1 − weight. */
  denseWeight: number;
  /** How many candidates each list contributes before fusion. */
  depth: number;
}

// Measured on SciFact (README, "Retrieval quality"): z-score fusion beat min-max and reciprocal
// rank fusion at every weight tried; equal weights were best or within 0.004 of it on both halves
// of the queries, so nothing here is fitted to one test set.
export const DEFAULT_FUSION: FusionOptions = { method: 'zscore', denseWeight: 0.5, depth: 100 };

export interface SearchOptions {
  k?: number;
  /** Only search these documents. */
  documents?: string[];
  /** 'hybrid' (default) fuses vector and keyword rankings. */
  mode?: SearchMode;
  fusion?: Partial<FusionOptions>;
  /** Overrides the library's BM25 parameters for this query (used when tuning them). */
  bm25?: Bm25Params;
}

export interface SearchHit {
  docId: string;
  docName: string;
  chunkIndex: number;
  text: string;
  score: number;
  location: SourceLocation;
  /** This chunk's raw cosine with the query, when it was among the dense list's candidates. */
  dense?: number;
  /** This chunk's raw BM25 score, when it was among the keyword list's candidates. */
  keyword?: number;
}

export interface EmbeddingStatus {
  /** The model this library's vectors are in. */
  libraryModel: string;
  /** The model of the embedder in use now. */
  currentModel: string;
  /** Documents whose vectors are in another model's space; they are not searched until re-embedded. */
  staleDocuments: string[];
}

/** A parsed and chunked file waiting for its vectors. */
interface Prepared {
  fileIndex: number;
  /** The file's bytes, kept with the document (absent for pre-parsed inputs). */
  original?: Uint8Array;
  name: string;
  size: number;
  hash: string;
  parsed: ParsedDocument;
  chunks: Chunk[];
  passages: string[];
}

/** Chunks embedded together: large enough to fill batches across small files, small enough to bound memory. */
const EMBED_WINDOW = 256;
/** Files above this size take long to parse and chunk: the files before them are stored first. */
const LARGE_FILE_BYTES = 1024 * 1024;

export class Library {
  private index: VectorIndex;
  private keywords: KeywordIndex;
  private docs = new Map<string, DocumentRecord>();

  private constructor(
    private readonly store: LibraryStore,
    private readonly embedder: Embedder,
    private libraryModel: string,
    private chunking: ChunkOptions,
    private readonly maxFileBytes: number | undefined,
    private readonly bm25: Bm25Params,
  ) {
    this.index = new VectorIndex(embedder.model.dimensions);
    this.keywords = new KeywordIndex(bm25);
  }

  static async open(opts: LibraryOptions): Promise<Library> {
    const store = await LibraryStore.open(opts.name ?? 'folio', opts.onVersionChange);
    const model = opts.embedder.model;
    let meta = await store.getMeta();
    if (!meta) {
      meta = { key: 'library', embeddingModel: model.id, dimensions: model.dimensions, createdAt: Date.now() };
      await store.setMeta(meta);
    }
    const maxTokens = Math.min(opts.chunking?.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens, model.maxTokens - 16);
    const lib = new Library(store, opts.embedder, meta.embeddingModel, { ...DEFAULT_CHUNK_OPTIONS, ...opts.chunking, maxTokens }, opts.maxFileBytes, opts.bm25 ?? DEFAULT_BM25);
    await lib.reload();
    return lib;
  }

  /** Passage sizing for documents indexed from now on (stored documents keep theirs until re-indexed). */
  setChunking(opts: Partial<ChunkOptions>): void {
    const maxTokens = Math.min(opts.maxTokens ?? this.chunking.maxTokens, this.embedder.model.maxTokens - 16);
    this.chunking = { ...this.chunking, ...opts, maxTokens };
  }

  get embeddingModel(): string {
    return this.embedder.model.id;
  }

  /** Re-reads documents and vectors from IndexedDB (after another tab changed them, or on open). */
  /** Milliseconds the last reload spent per step (shown by the benchmark). */
  reloadTimings: Record<string, number> = {};

  async reload(): Promise<void> {
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      this.reloadTimings[name] = Math.round(now - mark);
      mark = now;
    };
    const docs = await this.store.listDocuments();
    // A document without its commit marker was interrupted mid-write by an older build: drop it.
    for (const d of docs.filter((d) => d.status !== 'ready')) await this.store.removeDocument(d.id);
    this.docs = new Map(docs.filter((d) => d.status === 'ready').map((d) => [d.id, d]));
    const searchable = new Set([...this.docs.values()].filter((d) => d.embeddingModel === this.embedder.model.id).map((d) => d.id));
    lap('documents');
    const blocks = (await this.store.allVectorBlocks()).filter((b) => searchable.has(b.docId) && b.dimensions === this.embedder.model.dimensions);
    lap('readVectors');
    // Sized once: growing by doubling would copy 100k × 384 floats several times over.
    const index = new VectorIndex(this.embedder.model.dimensions, Math.max(1024, blocks.reduce((n, b) => n + b.count, 0)));
    for (const block of blocks) {
      index.add(block.docId, block.vectors, block.first);
    }
    index.prepare();
    this.index = index;
    lap('indexVectors');
    const keywords = new KeywordIndex(this.bm25);
    const stored = new Map((await this.store.allKeywords()).map((k) => [k.docId, k]));
    lap('readPostings');
    const records: KeywordRecord[] = [];
    for (const doc of this.docs.values()) {
      let record = stored.get(doc.id);
      // Postings made by another analyzer version (or missing) are rebuilt from the chunk text.
      if (!record || record.analyzer !== ANALYZER_VERSION) {
        const chunks = await this.store.getChunks(doc.id);
        record = { docId: doc.id, ...buildPostings(chunks.map((c) => passageText(c.text, c.location.headings))) };
        await this.store.putKeywords(record);
      }
      records.push(record);
    }
    keywords.addAll(records);
    this.keywords = keywords;
    lap('indexPostings');
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
   * Indexes files as a pipeline: each file is read, parsed and chunked in turn; chunks of
   * consecutive files are embedded together in bounded windows; each document is then committed
   * in its own transaction. A file that fails is reported with its reason and leaves nothing
   * behind; the others go on.
   */
  async addFiles(files: FileInput[], onProgress?: (p: IndexProgress) => void, opts: AddOptions = {}): Promise<AddOutcome[]> {
    const { resuming, signal } = opts;
    // The batch is written down first; each file is crossed off when its outcome is known. What
    // remains after a crash is exactly what was interrupted (see listInterrupted / resume).
    const ids = resuming ?? files.map(() => randomId());
    const batch = randomId();
    const now = Date.now();
    try {
      await this.store.putPending(files.map((f, i) => ({ id: ids[i]!, batch, name: f.name, data: f.data instanceof ArrayBuffer ? new Uint8Array(f.data) : f.data, size: sizeOf(f), addedAt: now, position: i })));
    } catch (err) {
      // Not even the list could be written (e.g. the disk is full): every file fails, clearly.
      return files.map((f, i) => {
        onProgress?.({ file: f.name, fileIndex: i, fileCount: files.length, stage: 'failed' });
        return { file: f.name, status: 'failed' as const, error: asFolioError(err, f.name).toJSON() };
      });
    }
    // Crossed off in as few transactions as possible: ids that finish while one removal is being
    // written go together in the next (a 1,000-file drop is not 1,000 transactions).
    const finished: string[] = [];
    let crossing: Promise<void> = Promise.resolve();
    const track = (p: IndexProgress) => {
      if (p.stage === 'done' || p.stage === 'duplicate' || p.stage === 'failed') {
        finished.push(ids[p.fileIndex]!);
        crossing = crossing.then(() => (finished.length ? this.store.removePending(finished.splice(0)) : undefined));
      }
      onProgress?.(p);
    };
    const run = () => this.index_(files, track, async (file, report) => {
      report('reading');
      const bytes = await readBytes(file, this.maxFileBytes !== undefined ? { maxFileBytes: this.maxFileBytes } : {});
      const hash = await sha256(bytes);
      const known = await this.store.findByHash(hash);
      if (known) return known;
      report('parsing');
      return { parsed: await parseBytes(bytes, file.name), hash, size: bytes.byteLength, original: bytes };
    }, { signal, isLarge: (f) => sizeOf(f) > LARGE_FILE_BYTES });
    // While this tab works on the batch it holds a lock named after it; the browser releases it
    // when the tab closes or crashes. Another tab thus tells "in progress" from "interrupted".
    const locks = webLocks();
    const outcomes = locks ? await locks.request(`folio-batch:${batch}`, run) : await run();
    await crossing;
    return outcomes;
  }

  /** Pending files whose batch no live tab is working on. */
  private async interrupted(): Promise<PendingRecord[]> {
    const held = new Set(((await webLocks()?.query())?.held ?? []).map((l) => l.name));
    return (await this.store.listPending()).filter((p) => !held.has(`folio-batch:${p.batch}`)).sort((a, b) => a.addedAt - b.addedAt || a.position - b.position);
  }

  /** Files whose adding was interrupted (tab closed or crashed), oldest first. */
  async listInterrupted(): Promise<{ id: string; name: string; size: number; addedAt: number }[]> {
    return (await this.interrupted()).map(({ id, name, size, addedAt }) => ({ id, name, size, addedAt }));
  }

  /**
   * Resolves once no tab holds any batch that is pending now: each either finished (its files are
   * crossed off) or its tab went away (they are interrupted). A tab just closed may still be
   * letting go of its lock when the next page opens; this is when to look again.
   */
  async pendingSettled(): Promise<void> {
    const locks = webLocks();
    if (!locks) return;
    const batches = new Set((await this.store.listPending()).map((p) => `folio-batch:${p.batch}`));
    await Promise.all([...batches].map((name) => locks.request(name, async () => {})));
  }

  /** Adds the interrupted files again, from the copies kept when they were first added. */
  async resumeInterrupted(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<AddOutcome[]> {
    const pending = await this.interrupted();
    return this.addFiles(
      pending.map((p) => ({ name: p.name, data: p.data })),
      onProgress,
      { resuming: pending.map((p) => p.id), ...(signal ? { signal } : {}) },
    );
  }

  async discardInterrupted(): Promise<void> {
    await this.store.removePending((await this.interrupted()).map((p) => p.id));
  }

  /** Indexes documents that were parsed elsewhere, through the same chunk → embed → store path. */
  async addParsed(inputs: ParsedInput[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]> {
    return this.index_(inputs, onProgress, async (input) => {
      // Pre-parsed documents have identities of their own (a corpus may hold two records with the
      // same text), so the name is part of what makes them the same document.
      const bytes = new TextEncoder().encode(`${input.name}\u0000${input.parsed.text}`);
      const hash = await sha256(bytes);
      return (await this.store.findByHash(hash)) ?? { parsed: input.parsed, hash, size: bytes.byteLength };
    });
  }

  private async index_<T extends { name: string }>(
    inputs: T[],
    onProgress: ((p: IndexProgress) => void) | undefined,
    load: (input: T, report: (stage: IndexStage) => void) => Promise<DocumentRecord | { parsed: ParsedDocument; hash: string; size: number; original?: Uint8Array }>,
    { signal, isLarge }: { signal?: AbortSignal | undefined; isLarge?: (input: T) => boolean } = {},
  ): Promise<AddOutcome[]> {
    await this.embedder.whenReady?.();
    const outcomes: AddOutcome[] = new Array(inputs.length);
    const report = (i: number, stage: IndexStage, done?: number, total?: number, document?: DocumentRecord) =>
      onProgress?.({ file: inputs[i]!.name, fileIndex: i, fileCount: inputs.length, stage, ...(total !== undefined ? { done, total } : {}), ...(document ? { document } : {}) });
    const fail = (i: number, err: unknown) => {
      const error = signal?.aborted ? new FolioError('cancelled', 'adding it was cancelled; nothing of it was saved', inputs[i]!.name) : asFolioError(err, inputs[i]!.name);
      outcomes[i] = { file: inputs[i]!.name, status: 'failed', error: error.toJSON() };
      report(i, 'failed');
    };

    let window: Prepared[] = [];
    let windowChunks = 0;
    const flush = async () => {
      const batch = window;
      window = [];
      windowChunks = 0;
      if (batch.length) await this.embedAndStore(batch, outcomes, report, fail, signal);
    };

    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      if (signal?.aborted) {
        fail(i, signal.reason);
        continue;
      }
      try {
        if (window.length && isLarge?.(input)) await flush();
        const loaded = await load(input, (stage) => report(i, stage));
        if (!('parsed' in loaded)) {
          outcomes[i] = duplicate(input.name, loaded);
          report(i, 'duplicate');
          continue;
        }
        report(i, 'chunking');
        const chunks = await chunkDocumentAsync(loaded.parsed, (t) => this.embedder.countTokens(t), this.chunking, signal);
        const passages = chunks.map((c) => passageText(c.text, c.location.headings));
        // Small files share a window; a file that would overflow it is embedded after the files
        // before it are stored, so one huge file never holds the others back (or takes them
        // down with it when cancelled).
        if (window.length && windowChunks + chunks.length > EMBED_WINDOW) await flush();
        window.push({ fileIndex: i, name: input.name, size: loaded.size, hash: loaded.hash, parsed: loaded.parsed, chunks, passages, ...(loaded.original ? { original: loaded.original } : {}) });
        windowChunks += chunks.length;
      } catch (err) {
        fail(i, err);
        continue;
      }
      if (windowChunks >= EMBED_WINDOW) await flush();
    }
    await flush();
    return outcomes;
  }

  private async embedAndStore(
    batch: Prepared[],
    outcomes: AddOutcome[],
    report: (i: number, stage: IndexStage, done?: number, total?: number, document?: DocumentRecord) => void,
    fail: (i: number, err: unknown) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const dims = this.embedder.model.dimensions;
    const offsets: number[] = [];
    let total = 0;
    for (const p of batch) {
      offsets.push(total);
      total += p.chunks.length;
      report(p.fileIndex, 'embedding', 0, p.chunks.length);
    }
    let vectors: Float32Array | null;
    try {
      vectors = await this.embedder.embed(
        batch.flatMap((p) => p.passages),
        'passage',
        (done) => batch.forEach((p, j) => {
          const mine = Math.max(0, Math.min(p.chunks.length, done - offsets[j]!));
          if (mine > 0) report(p.fileIndex, 'embedding', mine, p.chunks.length);
        }),
        signal,
      );
    } catch (err) {
      if (signal?.aborted) return batch.forEach((p) => fail(p.fileIndex, err));
      // One file's text broke the shared batch: embed each file alone to find which.
      vectors = null;
    }
    for (let j = 0; j < batch.length; j++) {
      const p = batch[j]!;
      try {
        const v = vectors ? vectors.subarray(offsets[j]! * dims, (offsets[j]! + p.chunks.length) * dims) : await this.embedder.embed(p.passages, 'passage', undefined, signal);
        signal?.throwIfAborted();
        report(p.fileIndex, 'storing');
        outcomes[p.fileIndex] = await this.commit(p, v);
        const outcome = outcomes[p.fileIndex]!;
        if (outcome.status === 'added') report(p.fileIndex, 'done', undefined, undefined, outcome.document);
        else report(p.fileIndex, 'duplicate');
      } catch (err) {
        fail(p.fileIndex, err);
      }
    }
  }

  /**
   * Indexes a document again from its kept original (after changing passage size, or when the
   * parsers improved). The new version is built completely before it replaces the old one, in
   * one transaction, so a failure leaves the old version as it was.
   */
  async reindex(id: string, onProgress?: (p: IndexProgress) => void): Promise<AddOutcome> {
    await this.embedder.whenReady?.();
    const doc = this.docs.get(id);
    if (!doc) throw new FolioError('corrupt-file', 'the document is no longer in the library');
    const original = await this.store.getOriginal(id);
    if (!original) {
      return { file: doc.name, status: 'failed', error: new FolioError('corrupt-file', 'its original file was not kept (it was added by an older version of Folio); add the file again', doc.name).toJSON() };
    }
    const report = (stage: IndexStage, done?: number, total?: number) =>
      onProgress?.({ file: doc.name, fileIndex: 0, fileCount: 1, stage, ...(total !== undefined ? { done, total } : {}) });
    try {
      report('parsing');
      const parsed = await parseBytes(original, doc.name);
      report('chunking');
      const chunks = await chunkDocumentAsync(parsed, (t) => this.embedder.countTokens(t), this.chunking);
      const passages = chunks.map((c) => passageText(c.text, c.location.headings));
      report('embedding', 0, chunks.length);
      const vectors = await this.embedder.embed(passages, 'passage', (d, t) => report('embedding', d, t));
      report('storing');
      const outcome = await this.commit({ fileIndex: 0, name: doc.name, size: doc.size, hash: doc.hash, parsed, chunks, passages, original }, vectors, id);
      report('done');
      return outcome;
    } catch (err) {
      report('failed');
      return { file: doc.name, status: 'failed', error: asFolioError(err, doc.name).toJSON() };
    }
  }

  private async commit(p: Prepared, vectors: Float32Array, replaces?: string): Promise<AddOutcome> {
    const id = randomId();
    const doc: DocumentRecord = {
      id,
      name: p.name,
      type: p.parsed.type,
      size: p.size,
      hash: p.hash,
      chunkCount: p.chunks.length,
      status: 'ready',
      embeddingModel: this.embedder.model.id,
      addedAt: Date.now(),
      ...(p.parsed.title ? { title: p.parsed.title } : {}),
      ...(p.parsed.pageCount ? { pageCount: p.parsed.pageCount } : {}),
    };
    const records: ChunkRecord[] = p.chunks.map((c) => ({ docId: id, index: c.index, text: c.text, tokens: c.tokens, location: c.location }));
    const postings = buildPostings(p.passages);
    const existing = await this.store.addDocument(doc, p.parsed.text, records, vectors, this.embedder.model.dimensions, postings, p.original, replaces);
    if (existing) return duplicate(p.name, existing);
    if (replaces) {
      this.docs.delete(replaces);
      this.index.remove(replaces);
      this.keywords.remove(replaces);
    }
    this.docs.set(id, doc);
    this.index.add(id, vectors);
    this.keywords.add(id, postings);
    return { file: p.name, status: 'added', document: doc };
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const hits = await this.rank(query, opts);
    const records = await this.store.getChunksByKey(hits.map((h) => [h.docId, h.chunkIndex]));
    return hits.flatMap((h, i) => {
      const rec = records[i];
      const doc = this.docs.get(h.docId);
      if (!rec || !doc) return [];
      return [{ docId: h.docId, docName: doc.name, chunkIndex: h.chunkIndex, text: rec.text, score: h.score, location: rec.location, ...raw(h) }];
    });
  }

  /** Ranked chunk ids without their text: what search and evaluation share. */
  async rank(query: string, opts: SearchOptions = {}): Promise<RankedHit[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'hybrid';
    if (!query.trim()) return [];
    // Only documents in the current model's vector space take part, in either ranking.
    const searchable = opts.documents ?? (this.embeddingStatus().staleDocuments.length ? [...this.docs.values()].filter((d) => d.embeddingModel === this.embedder.model.id).map((d) => d.id) : undefined);
    if (mode === 'keyword') return this.keywords.search(query, k, searchable, opts.bm25).map((h) => ({ ...h, keyword: h.score }));
    if (this.index.size === 0) return [];
    const q = await this.embedder.embed([query], 'query');
    if (mode === 'dense') return this.index.search(q, k, searchable).map((h) => ({ ...h, dense: h.score }));
    const fusion = { ...DEFAULT_FUSION, ...opts.fusion };
    const depth = Math.max(k, fusion.depth);
    const lists = [this.index.search(q, depth, searchable), this.keywords.search(query, depth, searchable, opts.bm25)];
    const weights = [fusion.denseWeight, 1 - fusion.denseWeight];
    const fused = fusion.method === 'rrf' ? reciprocalRankFusion(lists, 60, weights) : scoreFusion(lists, weights, fusion.method);
    // Each list's own score rides along: fused scores are relative to this query's lists, raw
    // ones can be compared across queries (the answer pipeline's coverage decision uses them).
    const [dense, keyword] = lists.map((list) => new Map(list.map((h) => [`${h.docId}\u0000${h.chunkIndex}`, h.score])));
    return fused.slice(0, k).map((h) => {
      const id = `${h.docId}\u0000${h.chunkIndex}`;
      return { ...h, dense: dense!.get(id), keyword: keyword!.get(id) };
    });
  }

  /**
   * Retrieves and assembles the passages an answer model should read for a question, within a
   * token budget (see search/context.ts).
   */
  async context(query: string, opts: SearchOptions & ContextOptions): Promise<ContextPassage[]> {
    const hits = await this.search(query, { ...opts, k: opts.k ?? 8 });
    return selectContext(hits, {
      text: (id) => this.store.getText(id),
      chunk: async (id, index) => (index < 0 ? undefined : (await this.store.getChunksByKey([[id, index]]))[0]),
      countTokens: (t) => this.embedder.countTokens(t),
    }, opts);
  }

  /** Scores the library on the user's own questions (hit@k, MRR, and what was found instead). */
  evaluate(questions: EvalQuestion[], k = 5, opts: SearchOptions = {}): Promise<EvalReport> {
    return evaluate(questions, async (q, n) => (await this.search(q, { ...opts, k: n })).map((h) => ({ docName: h.docName, text: h.text, score: h.score })), k);
  }

  /**
   * The whole library as one file: every document with its text, chunks, vectors, keyword
   * postings and original, plus whatever the app adds (`extra`: conversation, settings).
   */
  async exportBackup(extra: unknown = null): Promise<Blob> {
    const docs = await this.listDocuments();
    const header: BackupHeader = { kind: 'header', schema: SCHEMA_VERSION, createdAt: Date.now(), meta: await this.store.getMeta(), documents: docs.length, extra };
    const parts: Uint8Array<ArrayBuffer>[] = [new TextEncoder().encode(BACKUP_MAGIC), ...encodeFrame(header)];
    for (const d of docs) {
      const bundle = await this.store.documentBundle(d.id);
      if (bundle) parts.push(...encodeFrame({ kind: 'document', ...bundle }));
    }
    return new Blob(parts, { type: 'application/octet-stream' });
  }

  /**
   * Restores a backup into this library, one document per transaction (a damaged frame stops the
   * import there; every document before it is whole). Content already present is skipped.
   * Documents embedded with another model are kept and show up as needing re-embedding.
   */
  async importBackup(file: Blob, onProgress?: (done: number, total: number) => void): Promise<{ added: number; duplicates: number; extra: unknown }> {
    let header: BackupHeader | undefined;
    let added = 0;
    let duplicates = 0;
    try {
      for await (const frame of readFrames(file)) {
        if (!header) {
          header = frame as BackupHeader;
          if (header.kind !== 'header') throw new Error('the backup file has no header');
          if (header.schema > SCHEMA_VERSION) throw new Error('the backup was made by a newer version of Folio; update the app first');
          continue;
        }
        const b = frame as DocumentBundle & { kind: string };
        const rows = b.vectors.reduce((n, v) => n + v.count, 0);
        if (b.kind !== 'document' || b.chunks.length !== b.doc.chunkCount || rows !== b.doc.chunkCount) throw new Error(`the entry for ${b.doc?.name ?? 'a document'} is damaged`);
        if (await this.store.putBundle({ doc: b.doc, text: b.text, chunks: b.chunks, vectors: b.vectors, keywords: b.keywords, original: b.original })) duplicates++;
        else added++;
        onProgress?.(added + duplicates, header.documents);
      }
    } finally {
      if (added) await this.reload();
    }
    if (!header) throw new Error('this is not a Folio backup file');
    return { added, duplicates, extra: header.extra };
  }

  async removeDocument(id: string): Promise<boolean> {
    const existed = await this.store.removeDocument(id);
    this.docs.delete(id);
    this.index.remove(id);
    this.keywords.remove(id);
    return existed;
  }

  /** The file as it was added (documents added before schema 3 have none). */
  getOriginal(id: string): Promise<Uint8Array | undefined> {
    return this.store.getOriginal(id);
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
    await this.embedder.whenReady?.();
    const stale = this.embeddingStatus().staleDocuments;
    const dims = this.embedder.model.dimensions;
    for (let i = 0; i < stale.length; i++) {
      const id = stale[i]!;
      const chunks = await this.store.getChunks(id);
      const vectors = await this.embedder.embed(chunks.map((c) => passageText(c.text, c.location.headings)), 'passage');
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

/** A ranked chunk with the raw score of each list it was found in. */
export type RankedHit = VectorHit & { dense?: number | undefined; keyword?: number | undefined };

function raw(h: RankedHit): { dense?: number; keyword?: number } {
  return { ...(h.dense !== undefined ? { dense: h.dense } : {}), ...(h.keyword !== undefined ? { keyword: h.keyword } : {}) };
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

interface WebLocks {
  request<T>(name: string, work: () => Promise<T>): Promise<T>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** Web Locks where the platform has them (browsers, workers); Node runs without. */
function webLocks(): WebLocks | undefined {
  return (globalThis as { navigator?: { locks?: WebLocks } }).navigator?.locks;
}

export async function openLibrary(opts: LibraryOptions): Promise<Library> {
  return Library.open(opts);
}
