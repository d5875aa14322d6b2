import fs from 'node:fs';
import path from 'node:path';
import {
  contentHash,
  FolioError,
  planSync,
  readBytes,
  scanFolder,
  type AddOutcome,
  type FileInput,
  type FolderScan,
  type IndexProgress,
  type ListedFile,
  type SkippedFile,
} from '../core';
import { dropLibrary, joinLibraryFiles, memoryLibrary } from './libraryFile';
import { loadEmbedder } from './models';
import { nodeDirectory, nodeFile } from './nodeFolder';
import { Progress } from './progress';
import { partRecord, shardScan, type Shard } from './shards';
import { IndexState, type IndexConfig, type SavedFile } from './state';

export interface IndexArgs {
  inputs: string[];
  out: string;
  model: string;
  batch: number;
  maxFileBytes: number;
  maxTokens?: number;
  overlapTokens?: number;
  restart?: boolean;
  /** Index only this share of the files (1-based index of count); see shards.ts. */
  shard?: Shard;
}

export interface IndexSummary {
  out: string;
  model: string;
  /** Documents in the library file, and their passages. */
  documents: number;
  chunks: number;
  bytes: number;
  /** Files found in the inputs (hidden and system files are not counted). */
  files: number;
  duplicates: { file: string; of: string }[];
  failed: { file: string; code: string; reason: string }[];
  /** Files an earlier, interrupted run had already done (not read or embedded again). */
  resumed: number;
  thisRun: {
    files: string[];
    chunks: number;
    indexSeconds: number;
    /**
     * Of indexSeconds, the time until each document was stored and searchable: a large table is
     * stored before its vectors, which are then added before the library file is written.
     */
    searchableSeconds: number;
    chunksPerSecond: number;
  };
  modelLoadSeconds: number;
  totalSeconds: number;
  shard?: Shard;
}

/** A file to index: where it is (its identity across runs), its document name, its bytes. */
interface Item {
  key: string;
  name: string;
  size: number;
  lastModified: number;
  data: Blob;
}

export class UsageError extends Error {}

/**
 * `folio index`: lists the inputs with the linked-folder scan, compares them with what an
 * interrupted earlier run saved (the linked-folder sync plan: unchanged files are done, changed
 * or new ones are to do, vanished ones drop out), indexes what is left in groups of `batch`
 * files, each saved as it finishes, then joins the saved groups into one library file.
 */
export async function indexCommand(
  args: IndexArgs,
  io: { stderr: NodeJS.WriteStream; signal: AbortSignal },
): Promise<IndexSummary | 'stopped'> {
  const started = performance.now();
  const out = path.resolve(args.out);
  const listed = await listInputs(args.inputs, args.maxFileBytes, out);
  if (listed.scan.status !== 'ok') throw new Error(listed.scan.reason);
  const { names } = listed;
  const scan = args.shard ? shardScan(listed.scan, names, args.shard) : listed.scan;
  const config: IndexConfig = {
    model: args.model,
    maxFileBytes: args.maxFileBytes,
    batch: args.batch,
    ...(args.maxTokens ? { maxTokens: args.maxTokens } : {}),
    ...(args.overlapTokens !== undefined ? { overlapTokens: args.overlapTokens } : {}),
  };
  const state = await IndexState.open(out, config, { restart: args.restart });
  const plan = await planSync(scan, state.known());

  // What this run keeps from earlier runs, and what it must (re)do.
  const kept = new Map<string, SavedFile>();
  const todo: Item[] = [];
  const item = (f: ListedFile | SkippedFile): Item => ({
    key: f.path,
    name: names.get(f.path)!,
    size: f.size,
    lastModified: f.lastModified,
    data: f.data,
  });
  for (const d of plan.decisions) {
    if (d.kind === 'unchanged' || d.kind === 'touched') kept.set(d.file.path, d.known);
    else if (d.kind !== 'remove') todo.push(item(d.file));
  }
  // A file kept as a duplicate of content no longer kept (its twin changed or went) is redone.
  const keptHashes = new Map([...kept.values()].filter((f) => f.documentId && f.hash).map((f) => [f.hash!, f.name]));
  for (const [key, f] of kept) {
    if (f.duplicateOf && !(f.hash && keptHashes.has(f.hash))) {
      kept.delete(key);
      todo.push(item(scan.files.find((l) => l.path === key)!));
    }
  }
  todo.sort((a, b) => (a.key < b.key ? -1 : 1));

  const loadStart = performance.now();
  const embedder = await loadEmbedder(args.model);
  const modelLoadSeconds = (performance.now() - loadStart) / 1000;
  const total = scan.files.length + scan.skipped.length;
  const progress = new Progress(io.stderr, total, kept.size);
  const done: SavedFile[] = [];
  const indexStart = performance.now();
  let searchableMs = 0;
  try {
    for (let g = 0; g < todo.length && !io.signal.aborted; g += args.batch) {
      const files = await indexGroup(todo.slice(g, g + args.batch), keptHashes, args, embedder, progress, io.signal);
      if (!files) break;
      searchableMs += files.searchableMs;
      await state.saveGroup(files.saved, files.part);
      for (const f of files.saved) {
        done.push(f);
        if (f.documentId && f.hash) keptHashes.set(f.hash, f.name);
      }
      progress.group();
    }
  } finally {
    progress.done();
  }
  const indexSeconds = (performance.now() - indexStart) / 1000;
  if (io.signal.aborted) {
    await embedder.dispose();
    io.stderr.write(
      `Stopped: ${kept.size + done.length} of ${total} files are done and saved in ${state.dir}; run the same command again to continue from there.\n`,
    );
    return 'stopped';
  }

  const final = [...kept.values(), ...done].sort((a, b) => (a.key < b.key ? -1 : 1));
  const documents = final.filter((f) => f.documentId);
  await joinLibraryFiles(out, state.parts(), {
    embedder,
    include: new Set(documents.map((f) => f.documentId!)),
    extra: {
      createdBy: 'folio index',
      ...(args.shard ? { shard: partRecord(args.shard, config, final) } : {}),
    },
  });
  await embedder.dispose();
  await state.remove();
  const thisRun = done.filter((f) => f.documentId);
  const thisRunChunks = thisRun.reduce((n, f) => n + f.chunks!, 0);
  return {
    out,
    model: args.model,
    documents: documents.length,
    chunks: documents.reduce((n, f) => n + f.chunks!, 0),
    bytes: fs.statSync(out).size,
    files: total,
    duplicates: final.flatMap((f) => (f.duplicateOf ? [{ file: f.name, of: f.duplicateOf }] : [])),
    failed: final.flatMap((f) => (f.error ? [{ file: f.name, ...f.error }] : [])),
    resumed: kept.size,
    thisRun: {
      files: thisRun.map((f) => f.name),
      chunks: thisRunChunks,
      indexSeconds: round(indexSeconds),
      searchableSeconds: round(searchableMs / 1000),
      chunksPerSecond: round(thisRunChunks / Math.max(indexSeconds, 1e-3)),
    },
    modelLoadSeconds: round(modelLoadSeconds),
    totalSeconds: round((performance.now() - started) / 1000),
    ...(args.shard ? { shard: args.shard } : {}),
  };
}

/**
 * One group: read and hash each file (content already in the library is a duplicate without
 * being parsed), index the rest into a library of its own, and return what to save. Returns
 * undefined when stopped: a group is saved whole or not at all, so a resumed run embeds the same
 * passages together as an uninterrupted one and gets the same vectors.
 */
async function indexGroup(
  group: Item[],
  known: Map<string, string>,
  args: IndexArgs,
  embedder: Awaited<ReturnType<typeof loadEmbedder>>,
  progress: Progress,
  signal: AbortSignal,
): Promise<{ saved: SavedFile[]; part: Blob | undefined; searchableMs: number } | undefined> {
  const started = performance.now();
  const saved: SavedFile[] = new Array(group.length);
  const inputs: FileInput[] = [];
  const positions: number[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < group.length; i++) {
    const it = group[i]!;
    const base = { key: it.key, name: it.name, size: it.size, lastModified: it.lastModified };
    let bytes: Uint8Array;
    try {
      // The core's own checks first (size limit, empty file): a file over the limit is never read.
      bytes = await readBytes({ name: it.name, data: it.data }, { maxFileBytes: args.maxFileBytes });
    } catch (err) {
      const error =
        err instanceof FolioError
          ? { code: err.code, reason: err.reason }
          : {
              code: 'unreadable',
              reason: `it could not be read (${err instanceof Error ? err.message : String(err)})`,
            };
      saved[i] = { ...base, error };
      progress.log(`✗ ${it.name}: ${error.reason}`);
      progress.finished();
      continue;
    }
    const hash = await contentHash(bytes);
    const twin = known.get(hash) ?? inputs[hashes.indexOf(hash)]?.name;
    if (twin) {
      saved[i] = { ...base, hash, duplicateOf: twin };
      progress.finished();
      continue;
    }
    inputs.push({ name: it.name, data: bytes });
    positions.push(i);
    hashes.push(hash);
  }
  if (!inputs.length) return { saved, part: undefined, searchableMs: performance.now() - started };

  const { library, name } = await memoryLibrary({
    embedder,
    maxFileBytes: args.maxFileBytes,
    chunking: {
      ...(args.maxTokens ? { maxTokens: args.maxTokens } : {}),
      ...(args.overlapTokens !== undefined ? { overlapTokens: args.overlapTokens } : {}),
    },
  });
  try {
    const embedded = new Map<number, number>();
    const onProgress = (p: IndexProgress) => {
      const count =
        p.stage === 'embedding' ? (p.done ?? 0) : p.stage === 'done' ? (p.document?.chunkCount ?? 0) : undefined;
      if (count !== undefined) {
        progress.embedded(count - (embedded.get(p.fileIndex) ?? 0));
        embedded.set(p.fileIndex, count);
      }
      if (p.stage === 'reading') progress.working(p.file);
      if (p.stage === 'done' || p.stage === 'duplicate' || p.stage === 'failed') progress.finished();
      if (p.stage === 'done' && p.document?.vectorCount !== undefined)
        progress.log(
          `${p.file}: searchable after ${round((performance.now() - started) / 1000)} s; its ${p.document.chunkCount} passages' vectors are being added`,
        );
    };
    // One file per call, so each document's passages are embedded only with each other: with the
    // q8 model a batch's activations share one quantisation scale, so a passage's vector moves
    // (up to 0.03 a component) with its batch-mates. Per file, a document's vectors depend on it
    // alone, the same however files are grouped, resumed or split into shards.
    const outcomes: AddOutcome[] = [];
    for (const [j, input] of inputs.entries()) {
      if (signal.aborted) return undefined;
      const [outcome] = await library.addFiles([input], (p) => onProgress({ ...p, fileIndex: j }), { signal });
      outcomes.push(outcome!);
    }
    if (signal.aborted) return undefined;
    const searchableMs = performance.now() - started;
    // A large table's vectors are added after it is stored: the library file holds them all.
    await Promise.race([
      library.vectorsFilled(),
      new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
    ]);
    if (signal.aborted) return undefined;
    outcomes.forEach((o, j) => {
      const i = positions[j]!;
      saved[i] = savedFile(group[i]!, o, hashes[j]!);
      if (o.status === 'failed') progress.log(`✗ ${o.error.message}`);
    });
    const part = saved.some((f) => f.documentId) ? await library.exportBackup({ createdBy: 'folio index' }) : undefined;
    return { saved, part, searchableMs };
  } finally {
    await dropLibrary(library, name);
  }
}

function savedFile(it: Item, o: AddOutcome, hash: string): SavedFile {
  const base = { key: it.key, name: it.name, size: it.size, lastModified: it.lastModified, hash };
  if (o.status === 'added') return { ...base, documentId: o.document.id, chunks: o.document.chunkCount };
  if (o.status === 'duplicate') return { ...base, duplicateOf: o.document.name };
  return { ...base, error: { code: o.error.code, reason: o.error.reason } };
}

/**
 * Folders are scanned as linked folders are (recursively, hidden and system files left out,
 * files over the size limit listed but not read); files named on the command line are taken as
 * they are. Paths become absolute (a file's identity across runs); document names are relative
 * to the folder given, or the file's own name.
 */
async function listInputs(
  inputs: string[],
  maxFileBytes: number,
  out: string,
): Promise<{ scan: FolderScan; names: Map<string, string> }> {
  const files = new Map<string, ListedFile>();
  const skipped = new Map<string, SkippedFile>();
  const names = new Map<string, string>();
  // The output, its temporary file and the state of an interrupted run are never inputs.
  const ours = (key: string) => key === out || key.startsWith(`${out}.`);
  const take = (key: string, name: string, f: ListedFile | SkippedFile) => {
    if (ours(key) || names.has(key)) return;
    names.set(key, name);
    if ('reason' in f) skipped.set(key, { ...f, path: key });
    else files.set(key, { ...f, path: key });
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    const stat = await fs.promises.stat(abs).catch(() => undefined);
    if (!stat) throw new UsageError(`no such file or folder: ${input}`);
    if (stat.isDirectory()) {
      const scan = await scanFolder(nodeDirectory(abs), { maxFileBytes });
      if (scan.status !== 'ok') return { scan, names };
      for (const f of [...scan.files, ...scan.skipped]) take(path.join(abs, f.path), f.path, f);
    } else {
      const data = await nodeFile(abs).getFile();
      const listed = { path: abs, size: data.size, lastModified: data.lastModified, data };
      take(abs, path.basename(abs), data.size > maxFileBytes ? { ...listed, reason: 'too-large' } : listed);
    }
  }
  const byKey = <T extends { path: string }>(a: T, b: T) => (a.path < b.path ? -1 : 1);
  return {
    scan: { status: 'ok', files: [...files.values()].sort(byKey), skipped: [...skipped.values()].sort(byKey) },
    names,
  };
}

const round = (x: number) => Number(x.toFixed(2));
