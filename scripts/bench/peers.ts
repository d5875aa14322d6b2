/**
 * `BENCH_ONLY=peers npm run bench`: Folio side by side with the engines other apps use, in one
 * run. Vector search in headless Chromium (scripts/bench/pages/benchPeers.ts, one fresh page per engine
 * and size), embedding in the same browser (pages/benchEmbed.ts), keyword search in Node
 * (compare-keyword.ts). Prints one JSON line per engine and size.
 *
 *   BENCH_PEERS_SIZES=10000,100000      sizes (default 10000,100000,1000000)
 *   BENCH_PEERS_ENGINES=folio,voy       engines (default all)
 *   BENCH_PEERS_MAX_BUILD_S=1200        skip an engine at a size whose projected build takes longer
 *   BENCH_PEERS_PARTS=vector,embed,keyword
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { benchQueries, libraryVectors } from './pages/benchData';
import type { PeerTask } from './pages/benchPeers';
import { loadBeir } from '../../src/cli/beir';
import { compareKeyword } from './compare-keyword';

const D = 384;
const K = 10;
const ENGINES = ['folio', 'hnswlib-wasm', 'edgevec-hnsw', 'pglite-hnsw', 'pglite-exact', 'voy', 'orama'];
/** Engines that keep their index in the browser's storage, and are reopened from it. */
const PERSISTENT = new Set(['folio', 'hnswlib-wasm', 'edgevec-hnsw', 'pglite-hnsw', 'pglite-exact']);
/** What a tab can hold: WebAssembly memories stop at 4 GiB, and a page well before. */
const MAX_MEMORY = 3 * 2 ** 30;
const list = (v: string | undefined, fallback: string[]) => (v ? v.split(',').map((s) => s.trim()) : fallback);

type Line = Record<string, unknown>;

export async function peersBench(context: BrowserContext, base: string, emit: (o: object) => void): Promise<void> {
  const parts = list(process.env.BENCH_PEERS_PARTS, ['vector', 'embed', 'keyword']);
  if (parts.includes('keyword'))
    for (const line of compareKeyword(path.resolve(import.meta.dirname, '../../../shared/data/scifact'))) emit(line);
  if (parts.includes('embed'))
    await withPage(context, base, async (page) => {
      const texts = loadBeir(path.resolve(import.meta.dirname, '../../../shared/data/scifact'))
        .corpus.slice(0, 128)
        .map((d) => `${d.title}\n${d.text}`);
      for (const line of await page.evaluate((t) => window.peers.embedSideBySide(t), texts)) emit(line);
    });
  if (parts.includes('vector')) await vectorPeers(context, base, emit);
}

async function vectorPeers(context: BrowserContext, base: string, emit: (o: object) => void) {
  const sizes = list(process.env.BENCH_PEERS_SIZES, ['10000', '100000', '1000000']).map(Number);
  const engines = list(process.env.BENCH_PEERS_ENGINES, ENGINES);
  const maxBuildMs = Number(process.env.BENCH_PEERS_MAX_BUILD_S ?? 1200) * 1000;
  const last = new Map<string, Line>(); // each engine's line at the previous size
  // Under the Content-Security-Policy the app ships with (no 'unsafe-eval'): does each engine run?
  // The measurements themselves lift the policy, so that every engine can be measured.
  // Its memory with 1,000 vectors is the fixed part when projecting memory to a larger size.
  const fixed = new Map<string, number>();
  for (const engine of engines) {
    const { result, memory_bytes } = await withPage(
      context,
      base,
      (page) => page.evaluate((e) => window.peers.probe(e), engine),
      { keepCsp: true },
    );
    emit({
      metric: 'runs_under_folio_csp',
      engine,
      ok: result === 'ok',
      ...(result === 'ok' ? {} : { error: result }),
    });
    if (memory_bytes !== undefined) fixed.set(engine, memory_bytes);
  }
  for (const n of sizes) {
    const lines: Line[] = [];
    const plan = engines.map((engine) => ({
      engine,
      skip: engine === 'folio' ? null : skipReason(last.get(engine), fixed.get(engine), n, maxBuildMs),
    }));
    const tuning = plan.some((p) => !p.skip && p.engine !== 'folio');
    const t0 = performance.now();
    const { truth, tuningTruth } = exactTopK(n, tuning);
    emit({
      metric: 'peers_ground_truth',
      n,
      queries: truth.length,
      tuning_queries: tuningTruth.length,
      exact_in_node_ms: Math.round(performance.now() - t0),
    });
    for (const { engine, skip } of plan) {
      if (skip) {
        emit({ metric: 'search_top10_ms', engine, n, skipped: skip });
        last.set(engine, { skipped: skip });
        continue;
      }
      const task: PeerTask = { engine, n, d: D, truth, tuningTruth, persist: PERSISTENT.has(engine) && n <= 100_000 };
      const line = await withPage(context, base, (page) => page.evaluate((t) => window.peers.measure(t), task)).catch(
        (e: Error) => ({ metric: 'search_top10_ms', engine, n, error: e.message.split('\n')[0] }),
      );
      emit(line);
      last.set(engine, line);
      lines.push(line);
      if ('persist_ms' in line) {
        const setting = (line as { setting?: number }).setting;
        const reopened = await withPage(context, base, (page) =>
          page.evaluate((t) => window.peers.reopen(t), { ...task, setting }),
        ).catch((e: Error) => ({ metric: 'reopen_first_query_ms', engine, n, error: e.message.split('\n')[0] }));
        emit(reopened);
        lines.push(reopened);
      }
    }
    emit(summary(n, lines));
  }
}

/**
 * Folio against its peers at one size, as ratios from this run (above 1: Folio is that many times
 * faster or leaner). Speed is compared at equal recall: only peers reaching recall@10 ≥ 0.99 count.
 */
export function summary(n: number, lines: Line[]): Line {
  const search = lines.filter((l) => l.metric === 'search_top10_ms' && typeof l.p50 === 'number');
  const folio = search.find((l) => l.engine === 'folio');
  const peers = search.filter((l) => l.engine !== 'folio');
  if (!folio) return { metric: 'peers_summary', n, note: 'no folio line' };
  const near = (l: Line) => l.near_only as { p50: number; 'recall@10': number };
  const best = <T extends Line>(xs: T[], by: (l: T) => number) =>
    xs.reduce<T | undefined>((b, l) => (!b || by(l) < by(b) ? l : b), undefined);
  const fastest = best(
    peers.filter((l) => (l['recall@10'] as number) >= 0.99),
    (l) => l.p50 as number,
  );
  const fastestNear = best(
    peers.filter((l) => near(l)['recall@10'] >= 0.99),
    (l) => near(l).p50,
  );
  const approximate = best(
    peers.filter((l) => l.approximate),
    (l) => l.build_ms as number,
  );
  const leanest = best(peers, (l) => l.bytes_per_vector as number);
  const reopen = lines.filter((l) => l.metric === 'reopen_first_query_ms' && typeof l.ms === 'number');
  const folioReopen = reopen.find((l) => l.engine === 'folio');
  const fastestReopen = best(
    reopen.filter((l) => l.engine !== 'folio'),
    (l) => l.ms as number,
  );
  const ratio = (peer: number | undefined, ours: number) => (peer === undefined ? null : +(peer / ours).toFixed(2));
  return {
    metric: 'peers_summary',
    n,
    folio_recall: folio['recall@10'],
    folio_near_recall: near(folio)['recall@10'],
    p50_vs_fastest_at_recall_099: fastest
      ? { peer: fastest.engine, ratio: ratio(fastest.p50 as number, folio.p50 as number) }
      : 'no peer reached recall 0.99',
    near_only_p50_vs_fastest_at_recall_099: fastestNear
      ? { peer: fastestNear.engine, ratio: ratio(near(fastestNear).p50, near(folio).p50) }
      : 'no peer reached recall 0.99',
    build_vs_fastest_approximate: approximate
      ? { peer: approximate.engine, ratio: ratio(approximate.build_ms as number, folio.build_ms as number) }
      : null,
    memory_vs_leanest: leanest
      ? { peer: leanest.engine, ratio: ratio(leanest.bytes_per_vector as number, folio.bytes_per_vector as number) }
      : null,
    reopen_vs_fastest:
      folioReopen && fastestReopen
        ? { peer: fastestReopen.engine, ratio: ratio(fastestReopen.ms as number, folioReopen.ms as number) }
        : null,
  };
}

/** Why an engine is left out at size n, judged from its line at the previous size (null: run it). */
function skipReason(prev: Line | undefined, at1k: number | undefined, n: number, maxBuildMs: number): string | null {
  if (!prev) return null;
  if (prev.skipped) return `skipped at a smaller size (${prev.skipped})`;
  if (prev.error) return `failed at a smaller size (${prev.error})`;
  const grow = n / (prev.n as number);
  const build = (prev.build_ms as number) * grow;
  if (build > maxBuildMs)
    return `projected build ${Math.round(build / 1000)} s (${prev.build_ms} ms at ${prev.n}, linear) exceeds the ${maxBuildMs / 1000} s bound`;
  // Memory grows from what 1,000 vectors took (fixed costs: a runtime, a preallocated heap) at the rate seen since.
  const base = Math.min(at1k ?? 0, prev.memory_bytes as number);
  const perVector = ((prev.memory_bytes as number) - base) / ((prev.n as number) - 1000);
  const memory = base + perVector * (n - 1000);
  if (memory > MAX_MEMORY)
    return `projected memory ${(memory / 2 ** 30).toFixed(1)} GiB (${(base / 2 ** 20).toFixed(0)} MiB with 1,000 vectors, ${Math.round(perVector)} bytes per vector more up to ${prev.n}) exceeds the ${MAX_MEMORY / 2 ** 30} GiB a tab can hold`;
  // Tuning and measuring run about 100-700 queries; a linear scan grows with n.
  const queries = (prev.p50 as number) * grow * 300;
  if (queries > maxBuildMs)
    return `projected ${Math.round(queries / 1000)} s of queries (p50 ${prev.p50} ms at ${prev.n}, linear) exceeds the ${maxBuildMs / 1000} s bound`;
  return null;
}

/** Exact top-k rows of the reported (and tuning) queries, by a plain scan in Node, independent of every engine. */
function exactTopK(n: number, tuning: boolean): { truth: number[][]; tuningTruth: number[][] } {
  const data = libraryVectors(n, D);
  const scan = (qs: Float32Array) => {
    const m = qs.length / D;
    const best = Array.from({ length: m }, () => ({
      rows: new Int32Array(K).fill(-1),
      scores: new Float64Array(K).fill(-Infinity),
    }));
    const dots = new Float64Array(m);
    // Queries transposed (dimension-major), so the inner loop reads them in order.
    const qt = new Float64Array(m * D);
    for (let q = 0; q < m; q++) for (let j = 0; j < D; j++) qt[j * m + q] = qs[q * D + j]!;
    for (let r = 0; r < n; r++) {
      dots.fill(0);
      for (let j = 0; j < D; j++) {
        const x = data[r * D + j]!;
        for (let q = 0, o = j * m; q < m; q++) dots[q]! += x * qt[o + q]!;
      }
      for (let q = 0; q < m; q++) {
        const b = best[q]!;
        const s = dots[q]!;
        if (s <= b.scores[K - 1]!) continue;
        let i = K - 1;
        for (; i > 0 && b.scores[i - 1]! < s; i--) {
          b.scores[i] = b.scores[i - 1]!;
          b.rows[i] = b.rows[i - 1]!;
        }
        b.scores[i] = s;
        b.rows[i] = r;
      }
    }
    return best.map((b) => Array.from(b.rows));
  };
  return { truth: scan(benchQueries(50, D)), tuningTruth: tuning ? scan(benchQueries(50, D, true)) : [] };
}

/**
 * A fresh page of the peers benchmark (a crashed page only loses its own task), with the app's
 * Content-Security-Policy lifted through the DevTools protocol unless `keepCsp`.
 */
async function withPage<T>(
  context: BrowserContext,
  base: string,
  run: (page: Page) => Promise<T>,
  opts: { keepCsp?: boolean } = {},
): Promise<T> {
  const page = await context.newPage();
  try {
    if (!opts.keepCsp) await (await context.newCDPSession(page)).send('Page.setBypassCSP', { enabled: true });
    await page.goto(`${base}scripts/bench/pages/peers.html`);
    await page.waitForFunction(() => window.peersReady === true);
    return await run(page);
  } finally {
    await page.close().catch(() => {});
  }
}
