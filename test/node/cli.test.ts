import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IndexSummary } from '../../src/cli/indexCommand';
import type { AskResult } from '../../src/cli/askCommand';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURES_DIR, FIXTURE_FILES, MODELS_DIR, SCIFACT_DIR } from '../../scripts/lib/paths';
import { truncated } from '../../scripts/lib/pdf';

/**
 * The command line as a person runs it: `bin/folio.js` in a child process, the real MiniLM model
 * (FOLIO_MODELS), the real fixtures, library files on disk.
 */
const BIN = path.resolve('bin/folio.js');
const ENV = { ...process.env, FOLIO_MODELS: MODELS_DIR };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const folio = (...args: string[]) => start(args).done;

async function indexJson(...args: string[]): Promise<IndexSummary> {
  const run = await folio('index', ...args, '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as IndexSummary;
}

async function askJson(file: string, question: string, k = 5): Promise<AskResult> {
  const run = await folio('ask', file, question, '--json', '--k', String(k));
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as AskResult;
}

/** Saved groups of an index run in progress (lines of its journal after the settings line). */
function savedGroups(
  out: string,
): { part?: string; files: { name: string; chunks?: number; documentId?: string }[] }[] {
  const journal = `${out}.partial/journal.jsonl`;
  if (!fs.existsSync(journal)) return [];
  return fs
    .readFileSync(journal, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return []; // being written
      }
    });
}

async function until(check: () => boolean, what: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A folder of real text: SciFact abstracts, one per file. */
function abstracts(dir: string, count: number, from = 0) {
  fs.mkdirSync(dir, { recursive: true });
  const lines = fs
    .readFileSync(path.join(SCIFACT_DIR, 'corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(from, from + count);
  for (const line of lines) {
    const d = JSON.parse(line) as { _id: string; title: string; text: string };
    fs.writeFileSync(path.join(dir, `abstract-${d._id}.txt`), `${d.title}\n\n${d.text}\n`);
  }
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-cli-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('folio index → ask', () => {
  test('the fixtures folder becomes one library file that answers with document, location and score, as the core does in-process', {
    timeout: 300_000,
  }, async () => {
    const out = path.join(tmp, 'fixtures.folio');
    const summary = await indexJson(FIXTURES_DIR, '--out', out);
    const names = [
      'docx/mammoth-simple-list.docx',
      'docx/mammoth-tables.docx',
      'docx/word_sample.docx',
      'html/wiki_duck.html',
      'md/wiki-ibm.md',
      'pdf/amt_handbook_sample.pdf',
      'pdf/multi_page.pdf',
      'txt/war-and-peace-1p.txt',
    ];
    expect(summary).toMatchObject({ documents: 8, files: 8, failed: [], duplicates: [], resumed: 0 });
    expect(summary.thisRun.files).toEqual(names);
    expect(summary.bytes).toBe(fs.statSync(out).size);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);

    const answer = await askJson(out, 'Who patented the typewriter?', 3);
    expect(answer.passages).toHaveLength(3);
    for (const p of answer.passages)
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['docName', 'text', 'location', 'score']));
    const scores = answer.passages.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(answer.passages[0]).toMatchObject({ docName: 'pdf/multi_page.pdf', location: { page: 1 } });
    expect(answer.passages[0]!.text).toContain('Christopher Latham Sholes');

    // The file is a backup the app restores ("Restore from backup" calls importBackup): every
    // document, whole, answering exactly as the same files indexed by the core in this process
    // (one at a time, as folio index adds them, so the same passages are embedded together:
    // same vectors, same scores).
    const library = await freshLibrary();
    const restored = await freshLibrary();
    try {
      for (const n of names) await library.addFiles([fixture(n)]);
      expect(await restored.importBackup(new Blob([fs.readFileSync(out)]))).toMatchObject({
        added: 8,
        duplicates: 0,
        extra: { createdBy: 'folio index' },
      });
      expect((await restored.listDocuments()).map((d) => d.name).sort()).toEqual(names);
      expect((await restored.checkIntegrity()).problems).toEqual([]);
      const cli = answer.passages.map((p) => [path.basename(p.docName), p.text, p.location, p.score]);
      const core = (await library.search('Who patented the typewriter?', { k: 3 })).map((h) => [
        h.docName,
        h.text,
        h.location,
        h.score,
      ]);
      expect(cli).toEqual(core);
      for (const q of ['What do ducks eat?', 'Which company is nicknamed Big Blue?', 'Where did Prince Vasili go?']) {
        const fromFile = (await restored.search(q, { k: 5 })).map((h) => [
          path.basename(h.docName),
          h.text,
          h.location,
          h.score,
        ]);
        expect(fromFile).toEqual(
          (await library.search(q, { k: 5 })).map((h) => [h.docName, h.text, h.location, h.score]),
        );
      }
    } finally {
      library.close();
      restored.close();
    }

    // Without --json: a person's reading of the same.
    const text = await folio('ask', out, 'Who patented the typewriter?', '--k', '2');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^1\. pdf\/multi_page\.pdf — p\. 1, .*\(score \d+\.\d{3}\)\n {3}The Evolution of the Word Processor/,
    );
  });

  test('bad files are reported by name and reason, the rest indexed; hidden and system files are left out', {
    timeout: 300_000,
  }, async () => {
    const dir = path.join(tmp, 'mixed');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.copyFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.markdown), path.join(dir, 'ibm.md'));
    fs.copyFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.markdown), path.join(dir, 'sub/copy of ibm.md'));
    fs.copyFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.text), path.join(dir, 'sub/war.txt'));
    fs.writeFileSync(
      path.join(dir, 'cut-off.pdf'),
      truncated(fs.readFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.pdf))),
    );
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    // A PNG cut off after its signature: images are read (by OCR) since main's image support, so this one is damaged.
    fs.writeFileSync(
      path.join(dir, 'holiday.png'),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    fs.writeFileSync(path.join(dir, 'huge.txt'), '');
    fs.truncateSync(path.join(dir, 'huge.txt'), 101 * 2 ** 20); // sparse: over the 100 MB limit, never read
    fs.writeFileSync(path.join(dir, '.secret.md'), '# hidden');
    fs.writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main');
    fs.writeFileSync(path.join(dir, 'Thumbs.db'), 'x');

    const out = path.join(tmp, 'mixed.folio');
    const summary = await indexJson(dir, '--out', out);
    expect(summary.files).toBe(7);
    expect(summary.thisRun.files).toEqual(['ibm.md', 'sub/war.txt']);
    expect(summary.documents).toBe(2);
    expect(summary.duplicates).toEqual([{ file: 'sub/copy of ibm.md', of: 'ibm.md' }]);
    expect(summary.failed.map((f) => [f.file, f.code])).toEqual([
      ['cut-off.pdf', 'corrupt-file'],
      ['empty.txt', 'empty-file'],
      ['holiday.png', 'corrupt-file'],
      ['huge.txt', 'file-too-large'],
    ]);
    expect(summary.failed.find((f) => f.file === 'huge.txt')!.reason).toMatch(
      /it is 101 MB, more than the 100 MB limit/,
    );
    expect(JSON.stringify(summary)).not.toMatch(/secret|HEAD|Thumbs/);
    expect((await askJson(out, 'Which company is nicknamed Big Blue?', 1)).passages[0]!.docName).toBe('ibm.md');

    // The summary a person reads names each file and why.
    const again = await folio('index', dir, '--out', path.join(tmp, 'mixed-2.folio'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('4 files could not be indexed:');
    for (const name of ['cut-off.pdf: ', 'empty.txt: the file is empty', 'holiday.png: ', 'huge.txt: it is 101 MB'])
      expect(again.stdout).toContain(name);
    expect(again.stderr).toContain('✗ holiday.png: ');
  });
});

describe('folio index resumes after an interruption', () => {
  test("killed, then stopped with Ctrl-C, then run to the end: nothing saved is embedded again, and the library equals an uninterrupted run's", {
    timeout: 600_000,
  }, async () => {
    const dir = path.join(tmp, 'resume');
    for (const f of Object.values(FIXTURE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES_DIR, f), path.join(dir, f));
    }
    abstracts(path.join(dir, 'scifact'), 24);
    const args = (out: string) => [dir, '--out', out, '--batch', '4'];
    const out = path.join(tmp, 'resumed.folio');

    // 1. Killed outright (no chance to clean up) once two groups are saved.
    const first = start(['index', ...args(out)]);
    await until(() => savedGroups(out).length >= 2, 'two saved groups');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(fs.existsSync(out)).toBe(false);
    const groupsAfterKill = savedGroups(out).length;
    const afterKill = savedGroups(out).flatMap((g) => g.files);

    // 2. Ctrl-C once another group is saved: it stops cleanly and says how to go on.
    const second = start(['index', ...args(out)]);
    await until(() => savedGroups(out).length > groupsAfterKill, 'one more saved group');
    second.child.kill('SIGINT');
    const stopped = await second.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/Stopped: \d+ of 32 files are done and saved .*run the same command again/);
    expect(fs.existsSync(out)).toBe(false);
    const saved = savedGroups(out).flatMap((g) => g.files);
    expect(saved.length).toBeGreaterThan(afterKill.length);
    expect(saved.slice(0, afterKill.length)).toEqual(afterKill);

    // 3. To the end: only what was not saved is embedded.
    const last = await indexJson(...args(out));
    expect(last.resumed).toBe(saved.length);
    const savedNames = saved.map((f) => f.name);
    expect(last.thisRun.files.filter((f) => savedNames.includes(f))).toEqual([]);
    expect([...savedNames, ...last.thisRun.files].sort()).toEqual((await listedNames(dir)).sort());
    expect(fs.existsSync(`${out}.partial`)).toBe(false);

    // The same folder in one go.
    const whole = await indexJson(...args(path.join(tmp, 'whole.folio')));
    expect(whole.thisRun.files.sort()).toEqual((await listedNames(dir)).sort());
    expect(saved.reduce((n, f) => n + (f.chunks ?? 0), 0) + last.thisRun.chunks).toBe(whole.chunks);
    expect(last.chunks).toBe(whole.chunks);
    // Groups are the same whether or not a run was interrupted, so the very same passages were
    // embedded together: the same documents, vectors and answers, to the last bit.
    const a = await freshLibrary();
    const b = await freshLibrary();
    try {
      await a.importBackup(new Blob([fs.readFileSync(out)]));
      await b.importBackup(new Blob([fs.readFileSync(path.join(tmp, 'whole.folio'))]));
      const docs = async (l: typeof a) => (await l.listDocuments()).map((d) => [d.name, d.hash, d.chunkCount]).sort();
      expect(await docs(a)).toEqual(await docs(b));
      for (const q of ['Who patented the typewriter?', 'What do ducks eat?', 'vitamin D deficiency and bone density']) {
        const hits = async (l: typeof a) =>
          (await l.search(q, { k: 8 })).map((h) => [h.docName, h.chunkIndex, h.text, h.score]);
        expect(await hits(a)).toEqual(await hits(b));
      }
    } finally {
      a.close();
      b.close();
    }
    expect((await askJson(out, 'What do ducks eat?', 3)).passages).toEqual(
      (await askJson(path.join(tmp, 'whole.folio'), 'What do ducks eat?', 3)).passages,
    );
  });

  test('--collection searches only the documents of the named collections, by name or id', {
    timeout: 300_000,
  }, async () => {
    const library = await freshLibrary();
    const out = path.join(tmp, 'collections.folio');
    let work: string;
    try {
      work = (await library.createCollection('Work')).id;
      const home = await library.createCollection('Home');
      await library.addFiles([fixture(FIXTURE_FILES.markdown)], undefined, { collection: work });
      await library.addFiles([fixture(FIXTURE_FILES.html)], undefined, { collection: home.id });
      fs.writeFileSync(out, new Uint8Array(await (await library.exportBackup()).arrayBuffer()));
    } finally {
      library.close();
    }
    const ask = async (...scope: string[]) => {
      const run = await folio('ask', out, 'What do ducks eat?', '--json', '--k', '3', ...scope);
      expect(run.code, run.stderr).toBe(0);
      return new Set((JSON.parse(run.stdout) as AskResult).passages.map((p) => p.docName));
    };
    // Unscoped, the duck page answers; scoped to Work, only the IBM page can.
    expect(await ask()).toContain('wiki_duck.html');
    expect(await ask('--collection', 'work')).toEqual(new Set(['wiki-ibm.md']));
    expect(await ask('--collection', work, '--collection', 'Home')).toContain('wiki_duck.html');
    // Declined inside Work, the answer says it looked in Work only (issue 23, problem 16).
    const declined = await folio('ask', out, 'What do ducks eat?', '--json', '--collection', 'work');
    expect(JSON.parse(declined.stdout)).toMatchObject({
      kind: 'declined',
      answer: expect.stringContaining('nothing in the collection “Work” matches'),
    });
    const unknown = await folio('ask', out, 'What do ducks eat?', '--collection', 'Garden');
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('has no collection “Garden” (its collections: Home, Work)'),
    });
  });

  test('files changed or deleted between runs: the saved version is replaced or dropped, the rest kept', {
    timeout: 300_000,
  }, async () => {
    const dir = path.join(tmp, 'changing');
    abstracts(dir, 12, 100);
    const files = fs.readdirSync(dir).sort();
    const out = path.join(tmp, 'changing.folio');
    const run = start(['index', dir, '--out', out, '--batch', '2']);
    await until(() => savedGroups(out).length >= 1, 'one saved group');
    run.child.kill('SIGKILL');
    await run.done;
    const saved = savedGroups(out).flatMap((g) => g.files.map((f) => f.name));
    expect(saved.slice(0, 2)).toEqual(files.slice(0, 2));
    // The first saved file is rewritten, the second deleted, before the next run.
    fs.writeFileSync(
      path.join(dir, files[0]!),
      'Axolotls regrow whole limbs.\n\nThe axolotl, a salamander, can regenerate limbs, spinal cord and heart tissue.\n',
    );
    fs.rmSync(path.join(dir, files[1]!));
    const summary = await indexJson(dir, '--out', out, '--batch', '2');
    expect(summary.documents).toBe(11);
    expect(summary.thisRun.files).toContain(files[0]);
    expect(summary.thisRun.files).not.toContain(files[1]);
    const hit = (await askJson(out, 'Which animal regrows its limbs?', 1)).passages[0]!;
    expect(hit).toMatchObject({ docName: files[0] });
    expect(hit.text).toContain('axolotl');
    const restored = await freshLibrary();
    try {
      await restored.importBackup(new Blob([fs.readFileSync(out)]));
      expect((await restored.listDocuments()).map((d) => d.name).sort()).toEqual(files.filter((f) => f !== files[1]));
    } finally {
      restored.close();
    }
  });

  test('an interrupted run cannot be continued with other settings by mistake', { timeout: 300_000 }, async () => {
    const dir = path.join(tmp, 'settings');
    abstracts(dir, 6, 200);
    const out = path.join(tmp, 'settings.folio');
    const run = start(['index', dir, '--out', out, '--batch', '2']);
    await until(() => savedGroups(out).length >= 1, 'one saved group');
    run.child.kill('SIGKILL');
    await run.done;
    const other = await folio('index', dir, '--out', out, '--batch', '3');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/other settings \(batch: 2\).*--restart/);
    const restarted = await indexJson(dir, '--out', out, '--batch', '3', '--restart');
    expect(restarted).toMatchObject({ resumed: 0, documents: 6 });
  });
});

describe('folio usage', () => {
  test('missing arguments and unknown commands say what is wrong (exit 2); help lists the commands', {
    timeout: 300_000,
  }, async () => {
    const noOut = await folio('index', FIXTURES_DIR);
    expect(noOut).toMatchObject({ code: 2, stderr: expect.stringContaining('index needs --out') });
    const missing = await folio('index', path.join(tmp, 'nowhere'), '--out', path.join(tmp, 'x.folio'));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file or folder') });
    expect(await folio('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
    const help = await folio('help');
    expect(help.code).toBe(0);
    for (const c of ['folio index', 'folio ask', 'folio eval', 'FOLIO_MODELS']) expect(help.stdout).toContain(c);
    const notLibrary = await folio('ask', path.join(FIXTURES_DIR, FIXTURE_FILES.text), 'anything');
    expect(notLibrary).toMatchObject({ code: 1, stderr: expect.stringContaining('not a Folio') });
  });

  test('folio eval runs the retrieval evaluation (npm run eval) and ends with its JSON line', {
    timeout: 300_000,
  }, async () => {
    const run = await folio('eval', SCIFACT_DIR, '--limit', '40', '--queries', 'even', '--mode', 'hybrid');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
    expect(result).toMatchObject({ mode: 'hybrid', docs: 40, queries: 150 });
    expect(result['ndcg@10']).toBeGreaterThanOrEqual(0);
    expect(result['ndcg@10']).toBeLessThanOrEqual(1);
  });
});

/** What a scan of the folder lists, as document names. */
async function listedNames(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}
