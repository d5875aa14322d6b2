/**
 * Figures for Folio among other tools, printed as JSON lines (no pass/fail):
 *
 *   BENCH_ONLY=mcp npx tsx scripts/bench/ecosystem.ts     # p50/p95 of `folio mcp`'s search over a ~10k-passage library
 *   BENCH_ONLY=shard npx tsx scripts/bench/ecosystem.ts   # `folio index` as 1 process vs 2 shards at once, and the merge
 *   BENCH_ONLY=server npx tsx scripts/bench/ecosystem.ts  # a written answer through a local OpenAI-compatible server (llama.cpp, stories260K GGUF): first token, tokens/s
 *
 * Run as a person runs them: `node bin/folio.js` in child processes, models from FOLIO_MODELS.
 * BENCH_LIBRARY=<file> keeps (or reuses) the mcp library, which takes minutes to build.
 * Each line carries the load average at its start: the machine is shared.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadBeir } from '../../src/cli/beir';
import { createLocalServerGenerator } from '../../src/core';
import { startLlamaServer } from '../lib/llamaServer';
import { MODELS_DIR, SCIFACT_DIR } from '../lib/paths';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/folio.js');
const only = process.env.BENCH_ONLY;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-bench-eco-'));
const env = { ...process.env, FOLIO_MODELS: MODELS_DIR } as Record<string, string>;

const load = () => Number(os.loadavg()[0]!.toFixed(2));
const emit = (o: object) => console.log(JSON.stringify(o));

function folio(args: string[]): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - started) / 1000, stdout })
        : reject(new Error(`folio ${args[0]} failed (${code}):\n${stderr.slice(-2000)}`)),
    );
  });
}

/** SciFact abstracts, one text file each, in 20 subfolders. */
function abstracts(dir: string, count: number): void {
  for (const [i, d] of loadBeir(SCIFACT_DIR).corpus.slice(0, count).entries()) {
    const sub = path.join(dir, `part-${String(i % 20).padStart(2, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `abstract-${d._id}.txt`), `${d.title ?? ''}\n\n${d.text}\n`);
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const ms = (x: number) => Number(x.toFixed(1));

try {
  if (!only || only === 'mcp') {
    // 128-token passages make a 10k-passage library from 4,000 abstracts; search cost grows with
    // the number of passages, which is what this measures.
    const docs = Number(process.env.BENCH_DOCS ?? 4000);
    const library = process.env.BENCH_LIBRARY ?? path.join(work, 'mcp.folio');
    if (!fs.existsSync(library)) {
      const dir = path.join(work, 'mcp');
      abstracts(dir, docs);
      const built = await folio(['index', dir, '--out', library, '--chunk', '128', '--overlap', '16', '--json']);
      const s = JSON.parse(built.stdout) as { chunks: number };
      emit({ metric: 'mcp_library_built', docs, passages: s.chunks, wall_s: Number(built.seconds.toFixed(1)) });
    }
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', library], env });
    const client = new Client({ name: 'folio-bench', version: '1.0.0' });
    await client.connect(transport);
    try {
      const listed = (await client.callTool({ name: 'list_documents', arguments: {} })).structuredContent as {
        documents: { passages: number }[];
      };
      const passages = listed.documents.reduce((n, d) => n + d.passages, 0);
      const queries = loadBeir(SCIFACT_DIR).queries.map((q) => q.text);
      for (const q of queries.slice(0, 10)) await client.callTool({ name: 'search', arguments: { query: q, k: 5 } });
      const n = Number(process.env.BENCH_QUERIES ?? 200);
      const startLoad = load();
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await client.callTool({ name: 'search', arguments: { query: queries[(10 + i) % queries.length]!, k: 5 } });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      emit({
        metric: 'mcp_search_ms',
        documents: listed.documents.length,
        passages,
        queries: n,
        k: 5,
        mode: 'hybrid',
        p50: ms(percentile(times, 0.5)),
        p95: ms(percentile(times, 0.95)),
        max: ms(times.at(-1)!),
        load_start: startLoad,
        load_end: load(),
      });
    } finally {
      await client.close();
    }
  }
  if (!only || only === 'shard') {
    const docs = Number(process.env.BENCH_DOCS ?? 300);
    const dir = path.join(work, 'shard');
    abstracts(dir, docs);
    const loadBefore = load();
    const one = await folio(['index', dir, '--out', path.join(work, 'one.folio'), '--json']);
    const loadMid = load();
    const parts = [1, 2].map((i) => path.join(work, `part-${i}.folio`));
    const started = performance.now();
    await Promise.all(parts.map((out, i) => folio(['index', dir, '--shard', `${i + 1}/2`, '--out', out, '--json'])));
    const two = (performance.now() - started) / 1000;
    const loadAfter = load();
    const merged = await folio(['merge', ...parts, '--out', path.join(work, 'merged.folio'), '--json']);
    const summary = JSON.parse(one.stdout) as { chunks: number };
    emit({
      metric: 'shard_index_wall_s',
      docs,
      passages: summary.chunks,
      n1_s: Number(one.seconds.toFixed(1)),
      n2_s: Number(two.toFixed(1)),
      speedup: Number((one.seconds / two).toFixed(2)),
      merge_s: Number(merged.seconds.toFixed(1)),
      cores: os.availableParallelism(),
      load: [loadBefore, loadMid, loadAfter, load()],
    });
  }
  if (!only || only === 'server') {
    // The server of the tests (node-llama-cpp, one thread), reached as the app reaches one: over
    // HTTP with streaming, through LocalServerGenerator.
    const server = await startLlamaServer(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
    try {
      const gen = await createLocalServerGenerator({ baseUrl: server.url, model: 'stories260K' });
      const startLoad = load();
      const t0 = performance.now();
      let first: number | undefined;
      const out = await gen.generate([{ role: 'user', content: 'Once upon a time' }], {
        maxNewTokens: 200,
        onToken: () => (first ??= performance.now()),
      });
      const end = performance.now();
      const tokens = gen.lastUsage?.completionTokens ?? 0;
      emit({
        metric: 'local_server_answer',
        server: 'node-llama-cpp 3.21.1, stories260K-f32.gguf, 1 thread',
        tokens,
        finish: out.finishReason,
        first_token_ms: ms(first! - t0),
        tokens_per_s: Number(((tokens - 1) / ((end - first!) / 1000)).toFixed(1)),
        load: [startLoad, load()],
      });
    } finally {
      await server.stop();
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
