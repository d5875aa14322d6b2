/**
 * The command line's figures, printed as JSON lines (no pass/fail):
 *
 *   npm run bench:cli                       # both parts below
 *   BENCH_ONLY=six npm run bench:cli        # `folio index` on the six files `BENCH_ONLY=index npm run bench` indexes in the browser
 *   BENCH_ONLY=folder npm run bench:cli     # a generated folder (BENCH_DOCS, default 10,000 documents) end to end, under /usr/bin/time -v
 *
 * Every figure comes from the CLI itself (`folio index --json`) or from /usr/bin/time, run as a
 * person would run it: `node bin/folio.js` in a child process, models from FOLIO_MODELS.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBeir } from '../../src/cli/beir';
import { FIXTURES_DIR, MODELS_DIR, SCIFACT_DIR, SIX_FORMATS } from '../lib/paths';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/folio.js');
const only = process.env.BENCH_ONLY;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-bench-cli-'));

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, FOLIO_MODELS: MODELS_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function emit(o: object) {
  console.log(JSON.stringify(o));
}

/** The summary line `folio index --json` prints, plus what /usr/bin/time -v says about the process. */
async function index(
  inputs: string[],
  out: string,
): Promise<{
  summary: Record<string, unknown> & { thisRun: Record<string, number> };
  peakMb: number;
  wallS: number;
  cpuPercent: number;
}> {
  const r = await run('/usr/bin/time', ['-v', process.execPath, bin, 'index', ...inputs, '--out', out, '--json']);
  if (r.code !== 0) throw new Error(`folio index failed (${r.code}):\n${r.stderr.slice(-2000)}`);
  const field = (name: string) => r.stderr.match(new RegExp(`${name}: (.+)`))?.[1]?.trim() ?? '';
  // "m:ss.ss" or "h:mm:ss"
  const [sec = 0, min = 0, hours = 0] = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)')
    .split(':')
    .map(Number)
    .reverse();
  return {
    summary: JSON.parse(r.stdout),
    peakMb: Math.round(Number(field('Maximum resident set size \\(kbytes\\)')) / 1024),
    wallS: Number((sec + min * 60 + hours * 3600).toFixed(1)),
    cpuPercent: Number(field('Percent of CPU this job got').replace('%', '')),
  };
}

try {
  if (!only || only === 'six') {
    for (let i = 0; i < runs; i++) {
      const out = path.join(work, `six-${i}.folio`);
      const r = await index(
        SIX_FORMATS.map((f) => path.join(FIXTURES_DIR, f)),
        out,
      );
      const t = r.summary.thisRun;
      emit({
        metric: 'cli_index_chunks_per_s',
        where: 'node-native',
        files: (t.files as unknown as string[]).length,
        chunks: t.chunks,
        index_s: t.indexSeconds,
        per_s: t.chunksPerSecond,
        model_load_s: r.summary.modelLoadSeconds,
        wall_s: r.wallS,
        cpu_percent: r.cpuPercent,
      });
    }
  }
  if (!only || only === 'folder') {
    const docs = Number(process.env.BENCH_DOCS ?? 10_000);
    const dir = path.join(work, 'folder');
    const written = generateFolder(dir, docs);
    const out = path.join(work, 'folder.folio');
    const r = await index([dir], out);
    const s = r.summary;
    emit({
      metric: 'cli_index_folder',
      docs: written.docs,
      input_mb: +(written.bytes / 2 ** 20).toFixed(1),
      documents: s.documents,
      chunks: s.chunks,
      failed: (s.failed as unknown[]).length,
      index_s: s.thisRun.indexSeconds,
      per_s: s.thisRun.chunksPerSecond,
      wall_s: r.wallS,
      peak_rss_mb: r.peakMb,
      cpu_percent: r.cpuPercent,
      library_mb: +((s.bytes as number) / 2 ** 20).toFixed(1),
    });
    // Asking opens the whole file into memory first: that is what a question costs on this library.
    const t0 = performance.now();
    const ask = await run('/usr/bin/time', [
      '-v',
      process.execPath,
      bin,
      'ask',
      out,
      'vitamin D and bone density',
      '--json',
    ]);
    if (ask.code !== 0) throw new Error(`folio ask failed:\n${ask.stderr.slice(-2000)}`);
    const peak = Number(ask.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]) / 1024;
    emit({
      metric: 'cli_ask_folder',
      docs: written.docs,
      wall_s: +((performance.now() - t0) / 1000).toFixed(1),
      peak_rss_mb: Math.round(peak),
      passages: (JSON.parse(ask.stdout) as { passages: unknown[] }).passages.length,
    });
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * A folder like a person's: 100 subfolders of text, Markdown and HTML files made of real SciFact
 * abstracts (past the 5,183 abstracts, each file joins two, so no two files are the same).
 */
function generateFolder(dir: string, count: number): { docs: number; bytes: number } {
  const corpus = loadBeir(SCIFACT_DIR).corpus;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const a = corpus[i % corpus.length]!;
    const b = i >= corpus.length ? corpus[(i * 31 + 7) % corpus.length] : undefined;
    const title = a.title ?? `Abstract ${a._id}`;
    const body = b ? `${a.text}\n\n${b.title ?? ''}\n\n${b.text}` : a.text;
    const sub = path.join(dir, `folder-${String(i % 100).padStart(3, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    let name: string;
    let content: string;
    if (i % 25 === 0) {
      name = `doc-${i}.html`;
      content = `<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body
        .split('\n\n')
        .map((p) => `<p>${escapeHtml(p)}</p>`)
        .join('')}</body></html>`;
    } else if (i % 10 === 0) {
      name = `doc-${i}.md`;
      content = `# ${title}\n\n${body}\n`;
    } else {
      name = `doc-${i}.txt`;
      content = `${title}\n\n${body}\n`;
    }
    fs.writeFileSync(path.join(sub, name), content);
    bytes += Buffer.byteLength(content);
  }
  return { docs: count, bytes };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
