import { chunkDocumentAsync, passageText, type Chunk } from '../chunk/chunker';
import { mineTerms } from '../search/terms';
import type { EmbedDevice } from '../embed/embedder';
import { asFolioError, FolioError, type SerializedFolioError } from '../errors';
import { buildPostings } from '../search/keywordIndex';
import type { PendingRecord } from '../store/schema';
import { storedBytesOf, type ChunkRecord, type DocumentRecord } from '../store/store';
import type { FileInput, ParsedDocument } from '../types';
import type { LibraryParts } from './parts';
import { BatchNotRecorded, type BatchHandle } from './recovery';

/**
 * 'recognising': OCR of a scan or image, page `done` of `total`; 'ocr-download': the OCR engine's
 * files being fetched the first time it is used (bytes `done` of `total`).
 */
export type IndexStage =
  | 'reading'
  | 'parsing'
  | 'ocr-download'
  | 'recognising'
  | 'chunking'
  | 'embedding'
  | 'storing'
  | 'done'
  | 'failed'
  | 'duplicate';

export interface IndexProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  stage: IndexStage;
  /** This file's chunks embedded so far / in all during 'embedding'; pages during 'recognising'; bytes during 'ocr-download'. */
  done?: number;
  total?: number;
  /** During 'embedding': where the vectors are computed. */
  device?: EmbedDevice;
  /** During 'embedding': estimated seconds until this file's vectors are done, once there is a rate to go by. */
  secondsLeft?: number;
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

/** A file as the app has it (a browser File), or name + bytes. */
export type AddInput = FileInput | (Blob & { name: string });

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
  /** Vectors of its first passages, kept by an interrupted run. */
  resumed?: { done: number; vectors: Float32Array };
  /** Its passages' fingerprint, once computed (see `fingerprint`). */
  fingerprint?: string;
}

type Loaded = DocumentRecord | { parsed: ParsedDocument; hash: string; size: number; original?: Uint8Array };

let pipelined = true;
/** Benchmarks compare indexing with and without reading the next file during this one's embedding. */
export function setIndexPipelining(on: boolean): void {
  pipelined = on;
}

/** Chunks embedded together: large enough to fill batches across small files, small enough to bound memory. */
const EMBED_WINDOW = 256;
/**
 * Passages per embedding call. Progress is kept at this grain: a large file's vectors are saved
 * with its pending record after each slice, so a closed tab resumes from the last slice.
 */
const EMBED_SLICE = 64;
/**
 * A table of more passages than this is stored before its vectors are made: the rows are
 * searchable by keywords and computed over at once, and the vectors follow in the background
 * (fill.ts). Embedding 10,000 rows (2,090 passages) took 47 s in Node and about 4 minutes in the
 * browser (issue 24, docs/tables.md "Large tables").
 */
const DEFER_VECTORS_ABOVE = EMBED_WINDOW;
const SHEET_TYPES = new Set(['csv', 'tsv', 'xlsx', 'ods']);

/** Whether a document is stored searchable by keywords first, its vectors filled after. */
const defersVectors = (parsed: ParsedDocument, chunks: Chunk[]) =>
  SHEET_TYPES.has(parsed.type) && !!parsed.tables?.length && chunks.length > DEFER_VECTORS_ABOVE;

/** Files above this size take long to parse and chunk: the files before them are stored first. */
const LARGE_FILE_BYTES = 1024 * 1024;

const asFileInput = (f: AddInput): FileInput => ('data' in f ? f : { name: f.name, data: f });
const sizeOf = (f: FileInput) =>
  f.data instanceof Uint8Array || f.data instanceof ArrayBuffer ? f.data.byteLength : f.data.size;
// The parsers (and the libraries they use) load when a file is first added, not when a worker opens a library.
const ingest = () => import('../ingest');

/**
 * Adds files as one batch that survives the tab (see recovery.ts): each file is read, parsed and
 * chunked in turn; chunks of consecutive files are embedded together in bounded windows; each
 * document is then committed in its own transaction. A file that fails is reported with its
 * reason and leaves nothing behind; the others go on.
 */
export async function addFiles(
  parts: LibraryParts,
  files: AddInput[],
  onProgress: ((p: IndexProgress) => void) | undefined,
  signal: AbortSignal,
  resumed?: PendingRecord[],
  /** Collections every file goes into (a resumed batch: each file's own, as recorded). */
  collections?: string[],
): Promise<AddOutcome[]> {
  const inputs = files.map(asFileInput);
  const collectionsOf = (i: number) => resumed?.[i]?.collections ?? collections;
  const pending = inputs.map((f, i) => ({
    name: f.name,
    data: f.data instanceof ArrayBuffer ? new Uint8Array(f.data) : f.data,
    size: sizeOf(f),
    ...(collectionsOf(i)?.length ? { collections: collectionsOf(i) } : {}),
  }));
  try {
    return await parts.recovery.run(
      pending,
      (batch) =>
        runPipeline(
          parts,
          inputs,
          (p) => {
            if (p.stage === 'done' || p.stage === 'duplicate' || p.stage === 'failed') batch.crossOff(p.fileIndex);
            onProgress?.(p);
          },
          (file, report) => loadFile(parts, file, report, signal),
          { signal, isLarge: (f) => sizeOf(f) > LARGE_FILE_BYTES, sizeOf, batch, collectionsOf },
        ),
      resumed,
    );
  } catch (err) {
    if (!(err instanceof BatchNotRecorded)) throw err;
    // Not even the list could be written (e.g. the disk is full): every file fails, clearly.
    return inputs.map((f, i) => {
      onProgress?.({ file: f.name, fileIndex: i, fileCount: inputs.length, stage: 'failed' });
      return { file: f.name, status: 'failed' as const, error: asFolioError(err.cause, f.name).toJSON() };
    });
  }
}

/** Indexes documents that were parsed elsewhere, through the same chunk → embed → store path. */
export function addParsed(
  parts: LibraryParts,
  inputs: ParsedInput[],
  onProgress?: (p: IndexProgress) => void,
): Promise<AddOutcome[]> {
  return runPipeline(parts, inputs, onProgress, async (input) => {
    // Pre-parsed documents have identities of their own (a corpus may hold two records with the
    // same text), so the name is part of what makes them the same document.
    const bytes = new TextEncoder().encode(`${input.name}\u0000${input.parsed.text}`);
    const hash = await sha256(bytes);
    return (await parts.store.findByHash(hash)) ?? { parsed: input.parsed, hash, size: bytes.byteLength };
  });
}

/**
 * Indexes a document again from its kept original (after changing passage size, or when the
 * parsers improved). The new version is built completely before it replaces the old one, in
 * one transaction, so a failure leaves the old version as it was.
 */
export async function reindex(
  parts: LibraryParts,
  id: string,
  onProgress?: (p: IndexProgress) => void,
): Promise<AddOutcome> {
  await parts.embedder.whenReady?.();
  const doc = parts.state.docs.get(id);
  if (!doc)
    return {
      file: id,
      status: 'failed',
      error: new FolioError(
        'not-found',
        'This document is no longer in the library (another tab may have removed it).',
      ).toJSON(),
    };
  const original = await parts.store.getOriginal(id);
  if (!original) {
    return {
      file: doc.name,
      status: 'failed',
      error: new FolioError(
        'corrupt-file',
        'its original file was not kept (it was added by an older version of Folio); add the file again',
        doc.name,
      ).toJSON(),
    };
  }
  const outcomes = await runPipeline(
    parts,
    [{ name: doc.name }],
    onProgress,
    async (_input, report) => {
      report('parsing');
      return {
        parsed: await (await ingest()).parseBytes(original, doc.name, { onProgress: report }),
        hash: doc.hash,
        size: doc.size,
        original,
      };
    },
    { replaces: id, collectionsOf: () => doc.collections },
  );
  return outcomes[0]!;
}

/**
 * Indexes `file` as the new version of document `id` (a linked folder's file that changed): the
 * new version is built completely, then replaces the old one in one transaction, so a failure
 * (or a tab closed half-way) leaves the old version as it was. Content already in the library
 * (the old version's own included) comes back as 'duplicate' and nothing changes.
 */
export async function replaceDocument(
  parts: LibraryParts,
  id: string,
  file: AddInput,
  onProgress: ((p: IndexProgress) => void) | undefined,
  signal: AbortSignal,
): Promise<AddOutcome> {
  const input = asFileInput(file);
  const old = parts.state.docs.get(id);
  if (!old)
    return {
      file: input.name,
      status: 'failed',
      error: new FolioError('not-found', 'the document it replaces is no longer in the library', input.name).toJSON(),
    };
  // The new version stays in the collections the old one was in.
  const outcomes = await runPipeline(parts, [input], onProgress, (f, report) => loadFile(parts, f, report, signal), {
    replaces: id,
    signal,
    collectionsOf: () => old.collections,
  });
  return outcomes[0]!;
}

/** Reads and parses a file, or finds the document already holding its content. */
async function loadFile(
  parts: LibraryParts,
  file: FileInput,
  report: (stage: IndexStage, done?: number, total?: number) => void,
  signal: AbortSignal,
): Promise<Loaded> {
  report('reading');
  const { readBytes, parseBytes } = await ingest();
  const bytes = await readBytes(
    file,
    parts.settings.maxFileBytes !== undefined ? { maxFileBytes: parts.settings.maxFileBytes } : {},
  );
  const hash = await sha256(bytes);
  const known = await parts.store.findByHash(hash);
  if (known) return known;
  report('parsing');
  return {
    parsed: await parseBytes(bytes, file.name, { signal, onProgress: report }),
    hash,
    size: bytes.byteLength,
    original: bytes,
  };
}

interface PipelineOptions<T> {
  signal?: AbortSignal;
  isLarge?: (input: T) => boolean;
  /** Inputs are read smallest first, so a big file never keeps the small ones from being searchable. */
  sizeOf?: (input: T) => number;
  batch?: BatchHandle;
  /** Re-indexing: the one input replaces this document, in the same transaction. */
  replaces?: string;
  /** The collections input i's document is stored in. */
  collectionsOf?: (fileIndex: number) => string[] | undefined;
}

async function runPipeline<T extends { name: string }>(
  parts: LibraryParts,
  inputs: T[],
  onProgress: ((p: IndexProgress) => void) | undefined,
  load: (input: T, report: (stage: IndexStage, done?: number, total?: number) => void) => Promise<Loaded>,
  { signal, isLarge, sizeOf: size, batch, replaces, collectionsOf }: PipelineOptions<T> = {},
): Promise<AddOutcome[]> {
  await parts.embedder.whenReady?.();
  const outcomes: AddOutcome[] = new Array(inputs.length);
  const report: Report = (i, stage, extra = {}) =>
    onProgress?.({ file: inputs[i]!.name, fileIndex: i, fileCount: inputs.length, stage, ...extra });
  const fail = (i: number, err: unknown) => {
    const error = signal?.aborted
      ? new FolioError('cancelled', 'adding it was cancelled; nothing of it was saved', inputs[i]!.name)
      : asFolioError(err, inputs[i]!.name);
    outcomes[i] = { file: inputs[i]!.name, status: 'failed', error: error.toJSON() };
    report(i, 'failed');
  };
  const rate = new Rate(parts.embedder.passagesPerSecond);

  let window: Prepared[] = [];
  let windowChunks = 0;
  const flush = async () => {
    const prepared = window;
    window = [];
    windowChunks = 0;
    if (!prepared.length) return;
    const vectors = await embedWindow(parts, prepared, { report, fail, rate, signal, batch });
    for (const [j, p] of prepared.entries()) {
      const v = vectors[j];
      if (v) await storeFile(p.fileIndex, p, v);
    }
  };
  /** Commits one file (without vectors: they are filled after, see fill.ts); a failure is its own. */
  const storeFile = async (i: number, p: Prepared, vectors: Float32Array = new Float32Array(0)) => {
    try {
      signal?.throwIfAborted();
      report(i, 'storing');
      const outcome = await commit(parts, p, vectors, replaces, collectionsOf?.(i));
      outcomes[i] = outcome;
      if (outcome.status === 'added') report(i, 'done', { document: outcome.document });
      else report(i, 'duplicate');
    } catch (err) {
      fail(i, err);
    }
  };

  const order = inputs.map((_, i) => i);
  if (size) {
    const sizes = inputs.map(size);
    order.sort((a, b) => sizes[a]! - sizes[b]! || a - b);
  }
  // Pipelined: the next file is read, parsed and recognised while this one is chunked and embedded
  // (two files' contents at most are held at once). Its outcome is taken in turn, in this order.
  const loading = new Map<number, Promise<Loaded>>();
  const loadOf = (i: number) => {
    let loaded = loading.get(i);
    if (!loaded) {
      loaded = load(inputs[i]!, (stage, done, total) =>
        report(i, stage, total !== undefined ? { done: done ?? 0, total } : {}),
      );
      loaded.catch(() => {});
      loading.set(i, loaded);
    }
    return loaded;
  };
  for (const [k, i] of order.entries()) {
    const input = inputs[i]!;
    if (signal?.aborted) {
      fail(i, signal.reason);
      continue;
    }
    try {
      if (window.length && isLarge?.(input)) await flush();
      const loaded = await loadOf(i);
      loading.delete(i);
      if (pipelined && k + 1 < order.length && !signal?.aborted) void loadOf(order[k + 1]!);
      if (!('parsed' in loaded)) {
        outcomes[i] = duplicate(input.name, loaded);
        report(i, 'duplicate');
        continue;
      }
      report(i, 'chunking');
      const chunks = await chunkDocumentAsync(
        loaded.parsed,
        (t) => parts.embedder.countTokens(t),
        parts.settings.chunking,
        signal,
      );
      const passages = chunks.map((c) => passageText(c.text, c.location.headings));
      const prepared: Prepared = {
        fileIndex: i,
        name: input.name,
        size: loaded.size,
        hash: loaded.hash,
        parsed: loaded.parsed,
        chunks,
        passages,
        ...(loaded.original ? { original: loaded.original } : {}),
      };
      if (defersVectors(loaded.parsed, chunks)) {
        await storeFile(i, prepared);
        continue;
      }
      const resumed = batch && (await resumedVectors(parts, batch, i, passages));
      // Small files share a window; a file that would overflow it is embedded after the files
      // before it are stored, so one huge file never holds the others back (or takes them
      // down with it when cancelled).
      if (window.length && windowChunks + chunks.length > EMBED_WINDOW) await flush();
      window.push({ ...prepared, ...(resumed ? { resumed } : {}) });
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

type Report = (
  i: number,
  stage: IndexStage,
  extra?: Pick<IndexProgress, 'done' | 'total' | 'device' | 'secondsLeft' | 'document'>,
) => void;

/**
 * Vectors for every file of a window (undefined for a file that failed). The passages are
 * embedded in slices, in order; after each slice, files not finished yet keep their vectors so
 * far with their pending record. If a shared slice fails, each unfinished file is embedded alone
 * to find which one broke it.
 */
async function embedWindow(
  parts: LibraryParts,
  window: Prepared[],
  {
    report,
    fail,
    rate,
    signal,
    batch,
  }: {
    report: Report;
    fail: (i: number, err: unknown) => void;
    rate: Rate;
    signal: AbortSignal | undefined;
    batch: BatchHandle | undefined;
  },
): Promise<(Float32Array | undefined)[]> {
  const dims = parts.embedder.model.dimensions;
  const device = parts.embedder.device;
  const vectors = window.map((p) => new Float32Array(p.chunks.length * dims));
  const done = window.map((p, j) => {
    if (p.resumed) vectors[j]!.set(p.resumed.vectors);
    return p.resumed?.done ?? 0;
  });
  // Passages are embedded fewest-first, so the small files of a window finish first; a file's
  // time left counts the passages queued before its own.
  const turn = window.map((_, j) => j).sort((a, b) => window[a]!.chunks.length - window[b]!.chunks.length);
  const todo = turn.flatMap((j) => window[j]!.passages.slice(done[j]).map((_, i) => [j, done[j]! + i] as const));
  const lastOf = new Map(todo.map(([j], t) => [j, t]));
  let position = 0;
  const progress = (j: number, extra = 0) => {
    const p = window[j]!;
    const left = rate.secondsFor(Math.max(p.chunks.length - done[j]! - extra, (lastOf.get(j) ?? -1) + 1 - position));
    report(p.fileIndex, 'embedding', {
      done: done[j]! + extra,
      total: p.chunks.length,
      device,
      ...(left !== undefined ? { secondsLeft: left } : {}),
    });
  };
  window.forEach((_, j) => progress(j));
  let shared = true;
  for (let s = 0; s < todo.length && shared; s += EMBED_SLICE) {
    const slice = todo.slice(s, s + EMBED_SLICE);
    const started = performance.now();
    try {
      const v = await parts.embedder.embed(
        slice.map(([j, i]) => window[j]!.passages[i]!),
        'passage',
        (n) => {
          // Progress inside the slice, attributed in order (the embedder works shortest first).
          const within = new Map<number, number>();
          for (const [j] of slice.slice(0, n)) within.set(j, (within.get(j) ?? 0) + 1);
          for (const [j, extra] of within) progress(j, extra);
        },
        signal,
      );
      slice.forEach(([j, i], r) => vectors[j]!.set(v.subarray(r * dims, (r + 1) * dims), i * dims));
    } catch (err) {
      if (signal?.aborted) {
        window.forEach((p) => fail(p.fileIndex, err));
        return [];
      }
      shared = false;
      break;
    }
    rate.record(slice.length, performance.now() - started);
    position = s + slice.length;
    const touched = new Set(slice.map(([j]) => j));
    for (const j of touched) {
      done[j] = slice.filter(([k]) => k === j).at(-1)![1] + 1;
      progress(j);
      const p = window[j]!;
      if (batch && done[j]! < p.chunks.length) await saveProgress(parts, batch, p, done[j]!, vectors[j]!);
    }
  }
  const out: (Float32Array | undefined)[] = [];
  for (const [j, p] of window.entries()) {
    if (done[j] === p.chunks.length) {
      out.push(vectors[j]);
      continue;
    }
    // One file's text broke the shared slice: this file alone, from where it got to.
    try {
      const rest = await parts.embedder.embed(p.passages.slice(done[j]), 'passage', undefined, signal);
      vectors[j]!.set(rest, done[j]! * dims);
      out.push(vectors[j]);
    } catch (err) {
      fail(p.fileIndex, err);
      out.push(undefined);
    }
  }
  return out;
}

/** Identifies a file's passages in the current model: vectors kept for it fit only if this matches. */
async function fingerprint(parts: LibraryParts, passages: string[]): Promise<string> {
  return sha256(new TextEncoder().encode(`${parts.embedder.model.id}\u0000${passages.join('\u0001')}`));
}

async function saveProgress(
  parts: LibraryParts,
  batch: BatchHandle,
  p: Prepared,
  done: number,
  vectors: Float32Array,
): Promise<void> {
  const dims = parts.embedder.model.dimensions;
  // slice(): a copy on a plain ArrayBuffer, as Blob requires.
  p.fingerprint ??= await fingerprint(parts, p.passages);
  await batch.saveProgress(p.fileIndex, {
    fingerprint: p.fingerprint,
    done,
    vectors: new Blob([vectors.slice(0, done * dims)]),
  });
}

async function resumedVectors(
  parts: LibraryParts,
  batch: BatchHandle,
  fileIndex: number,
  passages: string[],
): Promise<Prepared['resumed']> {
  const saved = batch.savedProgress(fileIndex);
  if (!saved || saved.done > passages.length || saved.fingerprint !== (await fingerprint(parts, passages)))
    return undefined;
  const vectors = new Float32Array(await saved.vectors.arrayBuffer());
  return vectors.length === saved.done * parts.embedder.model.dimensions ? { done: saved.done, vectors } : undefined;
}

async function commit(
  parts: LibraryParts,
  p: Prepared,
  vectors: Float32Array,
  replaces?: string,
  collections?: string[],
): Promise<AddOutcome> {
  const id = crypto.randomUUID();
  const postings = buildPostings(p.passages);
  const vectorCount = vectors.length / parts.embedder.model.dimensions;
  const terms = mineTerms(p.parsed.text);
  const doc: DocumentRecord = {
    id,
    name: p.name,
    type: p.parsed.type,
    size: p.size,
    hash: p.hash,
    chunkCount: p.chunks.length,
    ...(vectorCount < p.chunks.length ? { vectorCount } : {}),
    status: 'ready',
    embeddingModel: parts.embedder.model.id,
    addedAt: Date.now(),
    collections: [...new Set(collections ?? [])],
    storedBytes: storedBytesOf({
      text: p.parsed.text,
      chunks: p.chunks,
      vectorBytes: vectors.byteLength,
      postingBytes: postings.data.byteLength,
      originalBytes: p.original?.byteLength ?? 0,
    }),
    ...(p.parsed.title ? { title: p.parsed.title } : {}),
    ...(p.parsed.pageCount ? { pageCount: p.parsed.pageCount } : {}),
    ...(terms.length ? { terms } : {}),
  };
  const chunks: ChunkRecord[] = p.chunks.map((c) => ({
    docId: id,
    index: c.index,
    text: c.text,
    tokens: c.tokens,
    location: c.location,
  }));
  const existing = await parts.state.add(
    {
      doc,
      text: p.parsed.text,
      chunks,
      vectors,
      postings,
      ...(p.original ? { original: p.original } : {}),
      ...(p.parsed.tables?.length ? { tables: p.parsed.tables } : {}),
    },
    replaces,
  );
  if (existing) return duplicate(p.name, existing);
  return { file: p.name, status: 'added', document: doc };
}

function duplicate(fileName: string, existing: DocumentRecord): AddOutcome {
  const error = new FolioError(
    'duplicate',
    `the same content is already in your library as “${existing.name}”`,
    fileName,
  );
  return { file: fileName, status: 'duplicate', document: existing, error: error.toJSON() };
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Passages per second, measured on this run's slices (or the embedder's remembered speed until then). */
class Rate {
  private passages = 0;
  private ms = 0;
  constructor(private readonly known: number | undefined) {}

  record(passages: number, ms: number): void {
    this.passages += passages;
    this.ms += ms;
  }

  secondsFor(passages: number): number | undefined {
    const perSecond = this.ms > 0 ? (this.passages * 1000) / this.ms : this.known;
    return perSecond ? Math.round(passages / perSecond) : undefined;
  }
}
