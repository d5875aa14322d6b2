import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BackupHeader, FolderScan } from '../core';
import { UsageError } from './indexCommand';
import { copyDocuments, readHeader } from './libraryFile';
import type { IndexConfig, SavedFile } from './state';

/**
 * Indexing as a job array: `folio index <dir> --shard i/N --out part-i.folio` indexes the files
 * whose name hashes to i, so N processes on any number of machines share a folder without talking
 * to each other; `folio merge` joins their parts into the library one process would have made.
 * A file's shard depends on its own name alone (its path relative to the folder given), so adding
 * files never moves another file to a different shard.
 */

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** What a part says about itself in its header (`extra.shard`): enough for merge to check and join. */
export interface PartRecord extends Shard {
  settings: { model: string; maxTokens?: number; overlapTokens?: number; maxFileBytes: number };
  /** Every file of this shard, by outcome. */
  documents: { id: string; name: string; hash: string; chunks: number }[];
  duplicates: { name: string; hash: string }[];
  failed: { name: string; code: string; reason: string }[];
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/N with 1 ≤ i ≤ N (for example 2/4), not “${value}”`);
  return { index, count };
}

/** The shard (1-based) a document name belongs to among `count`. */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name).digest().readUInt32BE(0) % count) + 1;
}

/** The scan with only this shard's files (skipped ones too, so each refusal is reported once). */
export function shardScan(
  scan: FolderScan & { status: 'ok' },
  names: Map<string, string>,
  shard: Shard,
): FolderScan & { status: 'ok' } {
  const mine = (f: { path: string }) => shardOf(names.get(f.path)!, shard.count) === shard.index;
  return { status: 'ok', files: scan.files.filter(mine), skipped: scan.skipped.filter(mine) };
}

export function partRecord(shard: Shard, config: IndexConfig, final: SavedFile[]): PartRecord {
  return {
    ...shard,
    settings: {
      model: config.model,
      maxFileBytes: config.maxFileBytes,
      ...(config.maxTokens ? { maxTokens: config.maxTokens } : {}),
      ...(config.overlapTokens !== undefined ? { overlapTokens: config.overlapTokens } : {}),
    },
    documents: final.flatMap((f) =>
      f.documentId ? [{ id: f.documentId, name: f.name, hash: f.hash!, chunks: f.chunks! }] : [],
    ),
    duplicates: final.flatMap((f) => (f.duplicateOf ? [{ name: f.name, hash: f.hash! }] : [])),
    failed: final.flatMap((f) => (f.error ? [{ name: f.name, ...f.error }] : [])),
  };
}

export interface MergeSummary {
  out: string;
  model: string;
  parts: number;
  documents: number;
  chunks: number;
  bytes: number;
  duplicates: { file: string; of: string }[];
  failed: { file: string; code: string; reason: string }[];
  seconds: number;
}

/**
 * `folio merge`: checks that the parts are the N parts of one sharded run (each once, same model,
 * same settings), then writes their documents into one library file. A file whose content is also
 * in another part is kept once, under the name an unsharded run keeps (the first in path order:
 * that run indexes files in path order, and later copies are duplicates of the first).
 */
export async function mergeCommand(args: { parts: string[]; out: string }): Promise<MergeSummary> {
  const started = performance.now();
  const out = path.resolve(args.out);
  const given = [...new Set(args.parts.map((p) => path.resolve(p)))];
  if (given.includes(out)) throw new UsageError(`--out ${args.out} is one of the parts; write the library elsewhere`);
  const parts: { file: string; header: BackupHeader; part: PartRecord }[] = [];
  for (const file of given) {
    const header = await readHeader(file);
    const part = (header.extra as { shard?: PartRecord } | null)?.shard;
    if (!part)
      throw new Error(`${file} is a library, not a part of a sharded index (made with folio index --shard i/N)`);
    parts.push({ file, header, part });
  }
  if (!parts.length) throw new UsageError('merge needs the part files: folio merge part-*.folio --out library.folio');
  const [first] = parts;
  const name = (p: (typeof parts)[number]) => {
    const relative = path.relative(process.cwd(), p.file);
    return relative && !relative.startsWith('..') ? relative : p.file;
  };
  for (const p of parts) {
    if (p.part.count !== first!.part.count)
      throw new Error(
        `${name(p)} is part ${p.part.index} of ${p.part.count}, but ${name(first!)} is part ${first!.part.index} of ${first!.part.count}: they are not parts of one run`,
      );
    const settings = { ...p.part.settings };
    const theirs = { ...first!.part.settings };
    const differs = (Object.keys({ ...settings, ...theirs }) as (keyof typeof settings)[]).filter(
      (k) => settings[k] !== theirs[k],
    );
    if (differs.length)
      throw new Error(
        `${name(p)} was built with ${differs.map((k) => `${k} ${settings[k] ?? 'default'}`).join(', ')}, but ${name(first!)} with ${differs.map((k) => `${k} ${theirs[k] ?? 'default'}`).join(', ')}: parts of one library must be built alike`,
      );
    const twin = parts.find((q) => q !== p && q.part.index === p.part.index);
    if (twin)
      throw new Error(
        `${name(p)} and ${name(twin)} are both part ${p.part.index} of ${p.part.count}; give each part once`,
      );
  }
  const count = first!.part.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !parts.some((p) => p.part.index === i));
  if (missing.length)
    throw new Error(
      `${missing.length === 1 ? `part ${missing[0]} of ${count} is` : `parts ${missing.join(', ')} of ${count} are`} missing (given: ${parts
        .map((p) => `${name(p)} = ${p.part.index}/${count}`)
        .join(', ')})`,
    );
  parts.sort((a, b) => a.part.index - b.part.index);

  // The first document of each content, in path order, is the one kept.
  const documents = parts.flatMap((p) => p.part.documents).sort((a, b) => (a.name < b.name ? -1 : 1));
  const kept = new Map<string, (typeof documents)[number]>();
  const duplicates: MergeSummary['duplicates'] = [];
  for (const d of documents) {
    const twin = kept.get(d.hash);
    if (twin) duplicates.push({ file: d.name, of: twin.name });
    else kept.set(d.hash, d);
  }
  for (const d of parts.flatMap((p) => p.part.duplicates))
    duplicates.push({ file: d.name, of: kept.get(d.hash)?.name ?? '?' });
  duplicates.sort((a, b) => (a.file < b.file ? -1 : 1));

  const header: BackupHeader = {
    ...first!.header,
    createdAt: Date.now(),
    extra: { createdBy: 'folio index', mergedParts: count },
  };
  await copyDocuments(
    out,
    header,
    parts.map((p) => p.file),
    new Set([...kept.values()].map((d) => d.id)),
  );
  const failed = parts
    .flatMap((p) => p.part.failed)
    .map((f) => ({ file: f.name, code: f.code, reason: f.reason }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    out,
    model: first!.part.settings.model,
    parts: count,
    documents: kept.size,
    chunks: [...kept.values()].reduce((n, d) => n + d.chunks, 0),
    bytes: fs.statSync(out).size,
    duplicates,
    failed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}
