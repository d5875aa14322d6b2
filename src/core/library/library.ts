/**
 * The library: one facade over jobs that each live in their own file under `library/`: the state
 * held in memory (state.ts), adding and re-indexing (indexing.ts), interrupted batches
 * (recovery.ts), search (retrieval.ts over search/ranking.ts), backup (backup.ts), re-embedding
 * (reembed.ts). Every method here is one call into them; the worker exposes this class as it is
 * (see core/protocol.ts), so a new call is one method here plus its test.
 */
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../chunk/chunker';
import { answerFromTables, type DocumentTables, type TableAnswer, type TableProposeFn } from '../table/answer';
import { formatValue } from '../table/run';
import type { Embedder } from '../embed/embedder';
import type { EvalQuestion, EvalReport } from '../eval/userEval';
import { exportBackup, importBackup } from './backup';
import { Cancellation } from './cancel';
import { FILL_QUIET_MS, VectorFill } from './fill';
import {
  createCollection,
  deleteCollection,
  importLibraryFile,
  listCollections,
  readOnlyHolder,
  renameCollection,
  setMembership,
  type CollectionInfo,
  type DeleteCollectionOptions,
  type LibraryFileOptions,
  type LibraryFileResult,
} from './collections';
import type { LibraryParts } from './parts';
import {
  addFiles,
  addParsed,
  reindex,
  replaceDocument,
  type AddInput,
  type AddOutcome,
  type IndexProgress,
  type ParsedInput,
} from './indexing';
import { defaultLocks, type LockManagerLike } from './locks';
import { Recovery, type InterruptedFile } from './recovery';
import { embeddingStatus, reembed, type EmbeddingStatus } from './reembed';
import { context, evaluate, queryTerms, ranked, search, searchModelReady, whenSearchModelReady } from './retrieval';
import { LibraryState } from './state';
import { shareChanges, type ChangeChannel } from './tabs';
import type { ContextOptions, ContextPassage } from '../search/context';
import { DEFAULT_BM25, type Bm25Params } from '../search/keywordIndex';
import { SEARCH_DEFAULTS } from '../search/defaults';
import type { SearchHit, SearchOptions } from '../search/ranking';
import type { VectorHit } from '../search/vectorIndex';
import { LibraryStore, type ChunkRecord, type DocumentRecord, type IntegrityReport } from '../store/store';
import { computeSourceGuide, type SourceGuide } from '../whole/guide';

/**
 * What happens to the library outside this instance: another tab changed it (already re-read
 * here), or another tab upgraded its schema (this connection is closed; the page must reload);
 * or, in the background here, a document stored before its vectors got more of them ('vectors':
 * its record's `vectorCount` moved on, see fill.ts).
 */
export type LibraryEvent = 'changed' | 'outdated' | 'vectors';

export interface AddOptions {
  /** Cancels the files not yet stored (each reported as 'cancelled'); stored ones stay. */
  signal?: AbortSignal;
  /**
   * The collection the files go into: a new document is stored in it (in its own transaction),
   * one already in the library joins it. A linked folder's files are added this way.
   */
  collection?: string;
}

export interface LibraryOptions {
  /** IndexedDB database name; one library per name. */
  name?: string;
  embedder: Embedder;
  chunking?: Partial<ChunkOptions>;
  maxFileBytes?: number;
  bm25?: Bm25Params;
  /** Tell other tabs on this library about changes, and re-read it when they change it. */
  shareChanges?: boolean;
  onEvent?: (event: LibraryEvent) => void;
  /** Resolve once keyword search works; vectors are read right after (see `searchModelReady`). */
  keywordsFirst?: boolean;
  /** After a search, how long the background vector fill waits (default FILL_QUIET_MS, 30 s; tests shorten it). */
  fillQuietMs?: number;
  /** Web Locks (default: the platform's, else one in-memory manager per process). */
  locks?: LockManagerLike;
}

/** How long an opening for keywords first waits for a first search before reading vectors. */
const FIRST_SEARCH_GRACE_MS = 250;

export class Library {
  private constructor(
    private readonly parts: LibraryParts,
    private readonly channel: ChangeChannel | undefined,
    private readonly keywordsServed: Promise<unknown> | undefined,
    private readonly adding: Cancellation,
    private readonly fill: VectorFill,
  ) {}

  static async open(opts: LibraryOptions): Promise<Library> {
    const name = opts.name ?? 'folio';
    const store = await LibraryStore.open(name, () => opts.onEvent?.('outdated'));
    const model = opts.embedder.model;
    let meta = await store.getMeta();
    if (!meta) {
      meta = { key: 'library', embeddingModel: model.id, dimensions: model.dimensions, createdAt: Date.now() };
      await store.setMeta(meta);
    }
    const state = new LibraryState(store, model, opts.bm25 ?? DEFAULT_BM25);
    const adding = new Cancellation();
    let fill: VectorFill | undefined;
    // Changes announced while a re-read runs are covered by one more re-read after it, not one each.
    let rereading = false;
    let stale = false;
    const follow = async () => {
      stale = true;
      if (rereading) return;
      rereading = true;
      try {
        while (stale) {
          stale = false;
          await state.reload();
        }
      } finally {
        rereading = false;
      }
      opts.onEvent?.('changed');
      // A document another tab stored, or left half-filled when it closed.
      void fill?.start();
    };
    const channel = opts.shareChanges ? shareChanges(name, () => void follow().catch(() => {})) : undefined;
    // Opening for keywords first, reading the vectors (and, in the worker's host, loading the
    // model) holds the thread for a while: it starts once the first search is answered, or after
    // a short quiet moment when none comes, so a question asked on reopening is answered first.
    let searched!: () => void;
    const firstSearch = new Promise<void>((resolve) => (searched = resolve));
    const locks = opts.locks ?? defaultLocks();
    let lastAsked = Number.NEGATIVE_INFINITY;
    const parts: LibraryParts = {
      store,
      state,
      embedder: opts.embedder,
      recovery: new Recovery(store, locks),
      settings: {
        chunking: fitChunking(DEFAULT_CHUNK_OPTIONS, opts.chunking ?? {}, opts.embedder),
        maxFileBytes: opts.maxFileBytes,
      },
      libraryModel: meta.embeddingModel,
      announce: () => channel?.announce(),
      searched,
      asked: () => {
        lastAsked = performance.now();
      },
    };
    fill = new VectorFill(parts, {
      lockName: `folio-fill:${name}`,
      locks,
      adding,
      lastAsked: () => lastAsked,
      quietMs: opts.fillQuietMs ?? FILL_QUIET_MS,
      onStep: () => opts.onEvent?.('vectors'),
    });
    await state.loadDocuments();
    const keywordsServed = opts.keywordsFirst
      ? Promise.race([firstSearch, new Promise((r) => setTimeout(r, FIRST_SEARCH_GRACE_MS))])
      : undefined;
    const vectors = keywordsServed ? keywordsServed.then(() => state.loadVectors()) : state.loadVectors();
    // Opening for keywords first, a failure to read vectors is reported by whenSearchModelReady().
    if (keywordsServed) vectors.catch(() => {});
    else await vectors;
    // What a closed or crashed tab left unfilled goes on (after the vectors are read).
    void fill.start();
    return new Library(parts, channel, keywordsServed, adding, fill);
  }

  // ---- Documents ---------------------------------------------------------------------------

  async listDocuments(): Promise<DocumentRecord[]> {
    return [...this.parts.state.docs.values()].sort((a, b) => a.addedAt - b.addedAt);
  }

  /** The file as it was added (documents added before schema 3 have none). */
  getOriginal(id: string): Promise<Uint8Array | undefined> {
    return this.parts.store.getOriginal(id);
  }

  getDocumentText(id: string): Promise<string | undefined> {
    return this.parts.store.getText(id);
  }

  getChunks(id: string): Promise<ChunkRecord[]> {
    return this.parts.store.getChunks(id);
  }

  /** Deletes a document (one that came with a library file leaves only with that file's collection). */
  async removeDocument(id: string): Promise<boolean> {
    const holder = readOnlyHolder(this.parts, id);
    if (holder)
      throw new Error(
        `This document came with the library file “${holder.name}”; delete that collection to remove it.`,
      );
    this.fill.forget(id);
    const existed = await this.parts.state.remove(id);
    await this.parts.store.deleteGuide(id);
    this.parts.announce();
    return existed;
  }

  // ---- Source guides (issue 21) --------------------------------------------------------------

  /**
   * A document's source guide: stored once computed; recomputed when its document record changed
   * (a re-indexed or replaced document has a new id, so it gets a new guide). Undefined for a
   * document that is not in the library.
   */
  async sourceGuide(id: string): Promise<SourceGuide | undefined> {
    const doc = this.parts.state.docs.get(id);
    if (!doc) return undefined;
    const stored = (await this.parts.store.getGuide(id)) as SourceGuide | undefined;
    if (stored && guideFits(stored, doc)) return stored;
    const guide = await computeSourceGuide(this, doc);
    await this.parts.store.putGuide(id, guide);
    return guide;
  }

  /**
   * Computes the guides not yet stored (or stale), one document at a time with a turn of the event
   * loop between them: the app's worker calls it after an add or re-index settles, in the background.
   */
  async prepareGuides(signal?: AbortSignal): Promise<number> {
    let made = 0;
    // A re-indexed or replaced document has a new id: the guide of the old one goes.
    for (const id of await this.parts.store.guideDocIds())
      if (!this.parts.state.docs.has(id)) await this.parts.store.deleteGuide(id);
    for (const doc of await this.listDocuments()) {
      if (signal?.aborted) break;
      const stored = (await this.parts.store.getGuide(doc.id)) as SourceGuide | undefined;
      if (stored && guideFits(stored, doc)) continue;
      await this.parts.store.putGuide(doc.id, await computeSourceGuide(this, doc));
      made++;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return made;
  }

  // ---- Tables (issue 24) --------------------------------------------------------------------

  private tableCache: { ids: string; tables: DocumentTables[] } | undefined;

  /** The documents' tables as typed columns, read once and kept while the documents stay the same. */
  async tables(): Promise<DocumentTables[]> {
    const docs = await this.listDocuments();
    const ids = docs.map((d) => d.id).join(',');
    if (this.tableCache?.ids !== ids) {
      const byId = new Map((await this.parts.store.allTables()).map((r) => [r.docId, r.tables]));
      const tables = docs.flatMap((d) => {
        const t = byId.get(d.id);
        return t ? [{ docId: d.id, docName: d.name, tables: t }] : [];
      });
      this.tableCache = { ids, tables };
    }
    return this.tableCache.tables;
  }

  /**
   * A question computed over the tables, when it is one (null otherwise): the value, the
   * computation in words, the query and the rows used. Runs where the tables are (the worker).
   */
  async tableAnswer(
    question: string,
    opts: { collections?: string[]; documents?: string[] } = {},
    propose?: TableProposeFn,
  ): Promise<TableAnswer | null> {
    let sources = await this.tables();
    if (opts.documents) {
      const named = new Set(opts.documents);
      sources = sources.filter((s) => named.has(s.docId));
    }
    if (opts.collections) {
      const wanted = new Set(opts.collections);
      sources = sources.filter((s) => this.parts.state.docs.get(s.docId)?.collections?.some((c) => wanted.has(c)));
    }
    // `propose` is a plain function (not a TableQueryProposer object) so that it crosses from the
    // page, where the answer model runs, to this worker as a callback.
    return answerFromTables(question, sources, propose ? { proposer: { propose: (q, s) => propose(q, s) } } : {});
  }

  /**
   * Some rows of one stored table, for showing a computed answer's rows (`rows`: source row
   * numbers, as a TableResult has them): the column names and each row's cells as shown.
   */
  async tableRows(
    docId: string,
    tableIndex: number,
    rows: number[],
  ): Promise<{ columns: string[]; rows: { row: number; cells: string[] }[] } | undefined> {
    const table = (await this.tables()).find((d) => d.docId === docId)?.tables.find((t) => t.index === tableIndex);
    if (!table) return undefined;
    const at = new Map(table.rows.map((r, i) => [r, i]));
    return {
      columns: table.columns.map((c) => c.name),
      rows: rows.flatMap((row) => {
        const i = at.get(row);
        return i === undefined
          ? []
          : [{ row, cells: table.columns.map((c) => (c.values[i] === null ? '' : formatValue(c.values[i]!))) }];
      }),
    };
  }

  /**
   * Resolves when every document stored before its vectors (a large table) has them all, filling
   * now if nothing is (e.g. `folio index` before writing its library file). Never rejects: a
   * document whose passages the model refused stays searchable by keywords (its `vectorCount` says
   * how far it got).
   */
  vectorsFilled(): Promise<void> {
    return this.fill.start();
  }

  checkIntegrity(): Promise<IntegrityReport> {
    return this.parts.store.integrityReport();
  }

  // ---- Adding ------------------------------------------------------------------------------

  /** Adds files (see library/indexing.ts); `cancelAdding()` or `opts.signal` stops what is not stored yet. */
  async addFiles(
    files: AddInput[],
    onProgress?: (p: IndexProgress) => void,
    opts: AddOptions = {},
  ): Promise<AddOutcome[]> {
    const into = opts.collection;
    if (into !== undefined && !this.parts.state.collections.get(into))
      throw new Error('This collection no longer exists (another tab may have deleted it).');
    if (into !== undefined && this.parts.state.collections.get(into)?.readOnly)
      throw new Error('Documents cannot be added to a collection that comes from a library file.');
    const out = await this.adding.run(opts.signal, (signal) =>
      addFiles(this.parts, files, onProgress, signal, undefined, into !== undefined ? [into] : undefined),
    );
    if (into !== undefined) {
      const known = out.flatMap((o) =>
        o.status === 'duplicate' && !o.document.collections?.includes(into) ? [o.document.id] : [],
      );
      if (known.length) await setMembership(this.parts, into, known, true);
    }
    return announced(this.parts, this.fill, out);
  }

  /** Indexes documents parsed elsewhere (benchmarks, evaluation), through the same pipeline. */
  async addParsed(inputs: ParsedInput[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]> {
    return announced(this.parts, this.fill, await addParsed(this.parts, inputs, onProgress));
  }

  /** Indexes a document again from its kept original; the old version stays until the new one is stored. */
  async reindex(id: string, onProgress?: (p: IndexProgress) => void): Promise<AddOutcome> {
    return announced(this.parts, this.fill, [await reindex(this.parts, id, onProgress)])[0]!;
  }

  /**
   * Indexes `file` as the new version of document `id` (a linked folder's changed file); the old
   * version stays until the new one is stored, in the same transaction. `cancelAdding()` stops it.
   */
  async replaceDocument(id: string, file: AddInput, onProgress?: (p: IndexProgress) => void): Promise<AddOutcome> {
    return announced(this.parts, this.fill, [
      await this.adding.run(undefined, (signal) => replaceDocument(this.parts, id, file, onProgress, signal)),
    ])[0]!;
  }

  /** Stops every batch being added; files not yet stored come back as 'cancelled'. */
  cancelAdding(): void {
    this.adding.cancelAll();
  }

  /** Passage sizing for documents indexed from now on (stored documents keep theirs until re-indexed). */
  setChunking(opts: Partial<ChunkOptions>): void {
    this.parts.settings.chunking = fitChunking(this.parts.settings.chunking, opts, this.parts.embedder);
  }

  // ---- Interrupted batches (see library/recovery.ts) ---------------------------------------

  listInterrupted(): Promise<InterruptedFile[]> {
    return this.parts.recovery.listInterrupted();
  }

  pendingSettled(): Promise<void> {
    return this.parts.recovery.pendingSettled();
  }

  /** Adds the interrupted files again, from the copies kept when they were first added (and the vectors already made). */
  async resumeInterrupted(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<AddOutcome[]> {
    const out = await this.parts.recovery.withInterrupted((records) =>
      this.adding.run(signal, (s) =>
        addFiles(
          this.parts,
          records.map((r) => ({ name: r.name, data: r.data })),
          onProgress,
          s,
          records,
        ),
      ),
    );
    return announced(this.parts, this.fill, out);
  }

  discardInterrupted(): Promise<void> {
    return this.parts.recovery.discardInterrupted();
  }

  // ---- Collections (see library/collections.ts) --------------------------------------------

  /** Every collection with its document and passage counts and the bytes its documents keep. */
  async listCollections(): Promise<CollectionInfo[]> {
    return listCollections(this.parts);
  }

  createCollection(name: string): Promise<CollectionInfo> {
    return createCollection(this.parts, name);
  }

  renameCollection(id: string, name: string): Promise<CollectionInfo> {
    return renameCollection(this.parts, id, name);
  }

  /** Deletes a collection; its documents stay in the library unless `removeDocuments` (then those in no other collection go). */
  deleteCollection(id: string, opts: DeleteCollectionOptions = {}): Promise<{ removedDocuments: string[] }> {
    return deleteCollection(this.parts, id, opts);
  }

  /** Puts documents into a collection; returns how many were not in it yet. */
  addToCollection(id: string, docIds: string[]): Promise<number> {
    return setMembership(this.parts, id, docIds, true);
  }

  /** Takes documents out of a collection (they stay in the library); returns how many were in it. */
  removeFromCollection(id: string, docIds: string[]): Promise<number> {
    return setMembership(this.parts, id, docIds, false);
  }

  /**
   * Opens a library file (the backup format `folio index` writes) as a read-only collection, or
   * updates the one that came from the same URL or file name. The file is checked whole before
   * anything is stored.
   */
  importLibraryFile(
    file: Blob,
    opts: LibraryFileOptions = {},
    onProgress?: (done: number, total: number) => void,
  ): Promise<LibraryFileResult> {
    const result = importLibraryFile(this.parts, file, opts, onProgress);
    // A library file may hold a document whose vectors were still being filled.
    void result.then(
      () => this.fill.start(),
      () => {},
    );
    return result;
  }

  // ---- Search ------------------------------------------------------------------------------

  search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    return search(this.parts, query, opts);
  }

  /** Ranked chunk ids without their text: what search and evaluation share. */
  async rank(query: string, opts: SearchOptions = {}): Promise<VectorHit[]> {
    return (await ranked(this.parts, query, opts)).hits;
  }

  context(query: string, opts: SearchOptions & ContextOptions): Promise<ContextPassage[]> {
    return context(this.parts, query, opts);
  }

  /** The acronyms and long forms defined in the library that the query uses (search/terms.ts). */
  async terms(query: string, opts: SearchOptions = {}): Promise<[string, string][]> {
    return queryTerms(this.parts, query, opts);
  }

  evaluate(
    questions: EvalQuestion[],
    k: number = SEARCH_DEFAULTS.k.hits,
    opts: SearchOptions = {},
  ): Promise<EvalReport> {
    return evaluate(this.parts, questions, k, opts);
  }

  /**
   * Whether hybrid search runs now. Until then (the model still loading on reopening), search
   * answers from keywords and marks its hits `keywordOnly`.
   */
  searchModelReady(): boolean {
    return searchModelReady(this.parts);
  }

  /** Resolves when hybrid search runs (rejects if the model could not be loaded). */
  whenSearchModelReady(): Promise<void> {
    return whenSearchModelReady(this.parts);
  }

  /**
   * Opened keywords first: resolves once the first search is answered (or a short quiet moment
   * passed), when heavy loading may take the thread. At once otherwise.
   */
  async firstResultsServed(): Promise<void> {
    await this.keywordsServed;
  }

  /** Vectors of texts in this library's model (one row of `dimensions` floats per text). */
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array> {
    // An answer being written embeds its sentences: the background fill gives way as to a search.
    this.parts.asked();
    return this.parts.embedder.embed(texts, kind);
  }

  // ---- Backup and models -------------------------------------------------------------------

  exportBackup(extra: unknown = null): Promise<Blob> {
    return exportBackup(this.parts, extra);
  }

  importBackup(
    file: Blob,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ added: number; duplicates: number; extra: unknown }> {
    const result = importBackup(this.parts, file, onProgress);
    void result.then(
      () => this.fill.start(),
      () => {},
    );
    return result;
  }

  embeddingStatus(): EmbeddingStatus {
    return embeddingStatus(this.parts);
  }

  reembed(onProgress?: (done: number, total: number) => void): Promise<void> {
    return reembed(this.parts, onProgress);
  }

  // ---- Lifecycle ---------------------------------------------------------------------------

  /** Re-reads documents, postings and vectors from IndexedDB. */
  reload(): Promise<void> {
    return this.parts.state.reload();
  }

  /** Milliseconds opening spent per step (shown by the benchmark). */
  loadTimings(): Record<string, number> {
    return { ...this.parts.state.timings };
  }

  /** Closes the database; a batch still being added is left to resume, as if the tab had closed. */
  close(): void {
    this.fill.stop();
    this.channel?.close();
    this.parts.store.close();
  }
}

function guideFits(guide: SourceGuide, doc: DocumentRecord): boolean {
  return (
    guide.basis.chunkCount === doc.chunkCount && guide.basis.addedAt === doc.addedAt && guide.basis.hash === doc.hash
  );
}

/** Tells other tabs when a call stored anything, starts filling what was stored without vectors, and hands the outcomes on. */
function announced(parts: LibraryParts, fill: VectorFill, out: AddOutcome[]): AddOutcome[] {
  if (out.some((o) => o.status === 'added')) parts.announce();
  if (out.some((o) => o.status === 'added' && o.document.vectorCount !== undefined)) void fill.start();
  return out;
}

/** Passages never longer than the model reads (less room for its special tokens). */
function fitChunking(current: ChunkOptions, opts: Partial<ChunkOptions>, embedder: Embedder): ChunkOptions {
  const maxTokens = Math.min(opts.maxTokens ?? current.maxTokens, embedder.model.maxTokens - 16);
  return { ...current, ...opts, maxTokens };
}

export function openLibrary(opts: LibraryOptions): Promise<Library> {
  return Library.open(opts);
}
