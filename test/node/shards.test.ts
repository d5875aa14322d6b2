import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IndexSummary } from '../../src/cli/indexCommand';
import { shardOf, type MergeSummary } from '../../src/cli/shards';
import { BACKUP_MAGIC, encodeFrame, readFrames, type BackupHeader, type DocumentBundle } from '../../src/core';
import { runFolio } from '../helpers/folio';
import { freshLibrary } from '../../scripts/lib/library';
import { FIXTURES_DIR, FIXTURE_FILES, SCIFACT_DIR } from '../../scripts/lib/paths';

/**
 * Indexing as a job array, as a person runs it: `folio index --shard i/3` three times, then
 * `folio merge`, against one unsharded `folio index` of the same folder (real files, real MiniLM).
 */

async function json<T>(...args: string[]): Promise<T> {
  const r = await runFolio(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A library file's header and documents by name, read frame by frame as the app restores it. */
async function read(file: string): Promise<{ header: BackupHeader; docs: Map<string, DocumentBundle> }> {
  const docs = new Map<string, DocumentBundle>();
  let header: BackupHeader | undefined;
  for await (const frame of readFrames(await fs.openAsBlob(file))) {
    if (!header) header = frame as BackupHeader;
    else docs.set((frame as DocumentBundle).doc.name, frame as DocumentBundle);
  }
  return { header: header!, docs };
}

let tmp: string;
let dir: string;
let whole: IndexSummary;
const parts: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-shards-'));
  dir = path.join(tmp, 'corpus');
  for (const f of Object.values(FIXTURE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES_DIR, f), path.join(dir, f));
  }
  fs.mkdirSync(path.join(dir, 'scifact'));
  for (const line of fs.readFileSync(path.join(SCIFACT_DIR, 'corpus.jsonl'), 'utf8').split('\n').slice(0, 24)) {
    const d = JSON.parse(line) as { _id: string; title: string; text: string };
    fs.writeFileSync(path.join(dir, 'scifact', `abstract-${d._id}.txt`), `${d.title}\n\n${d.text}\n`);
  }
  // The same content under two names in different shards, and in the same shard; and a file that fails.
  fs.mkdirSync(path.join(dir, 'copies'));
  fs.copyFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.markdown), path.join(dir, 'copies/ibm.md'));
  fs.copyFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.text), path.join(dir, 'war-again.txt'));
  fs.writeFileSync(path.join(dir, 'empty.txt'), '');
  expect(shardOf('copies/ibm.md', 3)).not.toBe(shardOf(FIXTURE_FILES.markdown, 3));
  expect(shardOf('war-again.txt', 3)).toBe(shardOf(FIXTURE_FILES.text, 3));

  whole = await json<IndexSummary>('index', dir, '--out', path.join(tmp, 'whole.folio'));
  for (let i = 1; i <= 3; i++) {
    parts.push(path.join(tmp, `part-${i}.folio`));
    const part = await json<IndexSummary>('index', dir, '--shard', `${i}/3`, '--out', parts[i - 1]!);
    expect(part.shard).toEqual({ index: i, count: 3 });
  }
}, 900_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('folio index --shard and folio merge', () => {
  test('three parts merged equal one run: same documents, passages, keyword postings, vectors, answers', {
    timeout: 300_000,
  }, async () => {
    const merged = await json<MergeSummary>('merge', ...parts, '--out', path.join(tmp, 'merged.folio'));
    expect(merged).toMatchObject({
      parts: 3,
      documents: whole.documents,
      chunks: whole.chunks,
      duplicates: whole.duplicates,
      failed: whole.failed.map(({ file, code, reason }) => ({ file, code, reason })),
    });
    expect(whole.duplicates).toEqual([
      { file: 'md/wiki-ibm.md', of: 'copies/ibm.md' },
      { file: 'war-again.txt', of: FIXTURE_FILES.text },
    ]);
    expect(whole.failed.map((f) => f.file)).toEqual(['empty.txt']);

    // Each part holds exactly its shard's files, and together they hold every file once.
    const split = await Promise.all(parts.map(read));
    split.forEach((p, i) => {
      for (const name of p.docs.keys()) expect(shardOf(name, 3)).toBe(i + 1);
    });
    expect(split.every((p) => p.docs.size > 0)).toBe(true);

    const a = await read(path.join(tmp, 'whole.folio'));
    const b = await read(path.join(tmp, 'merged.folio'));
    expect(b.header.meta?.embeddingModel).toBe(a.header.meta?.embeddingModel);
    expect([...b.docs.keys()].sort()).toEqual([...a.docs.keys()].sort());
    for (const [name, x] of a.docs) {
      const y = b.docs.get(name)!;
      const { id: _x, addedAt: _xa, ...docX } = x.doc;
      const { id: _y, addedAt: _ya, ...docY } = y.doc;
      expect(docY).toEqual(docX);
      expect(y.text).toBe(x.text);
      expect(y.original).toEqual(x.original);
      expect(y.chunks.map(({ docId: _, ...c }) => c)).toEqual(x.chunks.map(({ docId: _, ...c }) => c));
      expect({ ...y.keywords, docId: '' }).toEqual({ ...x.keywords, docId: '' });
      // Bit for bit: folio index embeds each file's passages apart from other files' (see indexGroup).
      expect(y.vectors.map(({ docId: _, ...v }) => v)).toEqual(x.vectors.map(({ docId: _, ...v }) => v));
    }

    // Restored in a library as the app restores a backup: the same keyword statistics and answers.
    const one = await freshLibrary();
    const joined = await freshLibrary();
    try {
      await one.importBackup(await fs.openAsBlob(path.join(tmp, 'whole.folio')));
      await joined.importBackup(await fs.openAsBlob(path.join(tmp, 'merged.folio')));
      expect((await joined.checkIntegrity()).problems).toEqual([]);
      for (const q of ['Who patented the typewriter?', 'What do ducks eat?', 'vitamin D and bone density']) {
        for (const mode of ['keyword', 'hybrid'] as const) {
          const hits = async (l: typeof one) =>
            (await l.search(q, { k: 8, mode })).map((h) => [h.docName, h.chunkIndex, h.score, h.keyword, h.dense]);
          expect(await hits(joined)).toEqual(await hits(one));
        }
      }
    } finally {
      one.close();
      joined.close();
    }
  });

  test('a missing part, a part given twice, a library that is no part, or a part built otherwise is refused by name', {
    timeout: 300_000,
  }, async () => {
    const out = path.join(tmp, 'refused.folio');
    const refused = async (args: string[], message: RegExp) => {
      const r = await runFolio('merge', ...args, '--out', out);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    };
    await refused(
      [parts[0]!, parts[2]!],
      /part 2 of 3 is missing \(given: .*part-1\.folio = 1\/3, .*part-3\.folio = 3\/3\)/,
    );
    const again = path.join(tmp, 'again-1.folio');
    fs.copyFileSync(parts[0]!, again);
    await refused([...parts, again], /part-1\.folio and .*again-1\.folio are both part 1 of 3/);
    await refused(
      [...parts, path.join(tmp, 'whole.folio')],
      /whole\.folio is a library, not a part of a sharded index/,
    );

    // Part 2 as if built with another embedding model: its header says so (the model is what
    // matters, not how the file came to say it; no second model is available here).
    const { header, docs } = await read(parts[1]!);
    const other = 'Xenova/bge-small-en-v1.5';
    const shard = (header.extra as { shard: { settings: { model: string } } }).shard;
    const relabelled = {
      ...header,
      meta: { ...header.meta!, embeddingModel: other },
      extra: { ...(header.extra as object), shard: { ...shard, settings: { ...shard.settings, model: other } } },
    };
    const otherModel = path.join(tmp, 'other-model-2.folio');
    fs.writeFileSync(
      otherModel,
      Buffer.concat([
        Buffer.from(BACKUP_MAGIC),
        ...[relabelled, ...[...docs.values()].map((d) => ({ ...d, doc: { ...d.doc, embeddingModel: other } }))].flatMap(
          (frame) => encodeFrame(frame),
        ),
      ]),
    );
    await refused(
      [parts[0]!, otherModel, parts[2]!],
      /other-model-2\.folio was built with model Xenova\/bge-small-en-v1\.5, but .*part-1\.folio with model Xenova\/all-MiniLM-L6-v2/,
    );

    // A real part built with other passage settings.
    const otherChunks = path.join(tmp, 'chunk-120-3.folio');
    await json('index', dir, '--shard', '3/3', '--chunk', '120', '--out', otherChunks);
    await refused(
      [parts[0]!, parts[1]!, otherChunks],
      /chunk-120-3\.folio was built with maxTokens 120, but .*part-1\.folio with maxTokens default/,
    );

    const usage = await runFolio('index', dir, '--shard', '4/3', '--out', out);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--shard must be i/N with 1 ≤ i ≤ N (for example 2/4), not “4/3”');
  });
});
