/**
 * BENCH_ONLY=ocrpool in scripts/bench/run.ts: OCR pages per minute of a scanned PDF (SQuAD text
 * set as pages, rendered, saved as 300 dpi JPEGs, as a scanner makes them; BENCH_OCR_POOL_PAGES,
 * default 20) with one worker and with the pool sized to the machine, in Node and in the browser;
 * then a mixed batch (a BENCH_OCR_MIXED_PAGES-page scan, default 6, and the six-format fixtures)
 * indexed with the pool, one file after another and pipelined. Every figure carries the load average when it was taken: the pool's gain
 * depends on idle cores, which a shared machine may not have.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { fixture, freshLibrary } from '../lib/library';
import { imagePdf, pageImage } from '../lib/ocr';
import { SIX_FORMATS } from '../lib/paths';
import { pagesOfText } from './ocr';

type Emit = (o: object) => void;
const load = () => os.loadavg().map((l) => +l.toFixed(2));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export async function runOcrPoolBench(page: Page, emit: Emit): Promise<void> {
  const core = await import('../../src/core');
  const count = Number(process.env.BENCH_OCR_POOL_PAGES ?? 20);
  const mixedPages = Number(process.env.BENCH_OCR_MIXED_PAGES ?? 6);
  const images = await Promise.all(
    pagesOfText(count).map((p) => pageImage(p, { dpi: 300, format: 'jpeg', quality: 85 })),
  );
  const scan = imagePdf(images);
  const pool = core.ocrWorkers();
  // Warm-up scans (other pages' pictures, so nothing is cached for the timed one): one page per worker.
  const warmPages = await Promise.all(
    pagesOfText(count + pool)
      .slice(count)
      .map((p) => pageImage(p, { dpi: 300, format: 'jpeg', quality: 85 })),
  );
  const warm = (workers: number) => imagePdf(warmPages.slice(0, workers));
  const counts = [...new Set([1, pool])];
  const line = (where: string, workers: number, seconds: number) =>
    emit({
      metric: 'ocr_pages_per_min',
      where,
      workers,
      cores: os.availableParallelism(),
      pages: count,
      seconds: +seconds.toFixed(1),
      pages_per_min: +((count * 60) / seconds).toFixed(1),
      loadavg: load(),
    });

  for (const workers of counts) {
    core.setOcrWorkers(workers);
    await core.closeOcr();
    await core.parseBytes(warm(workers), 'warm-up.pdf');
    const t0 = performance.now();
    await core.parseBytes(scan, 'scan.pdf');
    line('node', workers, (performance.now() - t0) / 1000);
  }
  core.setOcrWorkers(undefined);
  await core.closeOcr();

  // One call per set-up, so each line's load average is taken right after its own run.
  for (const workers of counts) {
    const r = await page.evaluate(([s, w, n]) => window.bench.ocrPoolScan(s, w, n), [
      b64(scan),
      b64(warm(workers)),
      workers,
    ] as const);
    line('browser-worker', r.workers, r.seconds);
  }

  const mixed = [
    { name: 'scan.pdf', data: imagePdf(images.slice(0, mixedPages)) },
    ...SIX_FORMATS.map((f) => fixture(f) as { name: string; data: Uint8Array }),
  ];
  const setups = [
    { workers: pool, pipelined: false },
    { workers: pool, pipelined: true },
  ];
  const batchLine = (where: string, s: { workers: number; pipelined: boolean }, seconds: number, added: number) =>
    emit({
      metric: 'index_mixed_batch_s',
      where,
      files: mixed.length,
      scan_pages: mixedPages,
      added,
      ocr_workers: s.workers,
      pipelined: s.pipelined,
      seconds: +seconds.toFixed(1),
      loadavg: load(),
    });
  for (const s of setups) {
    core.setOcrWorkers(s.workers);
    core.setIndexPipelining(s.pipelined);
    await core.closeOcr();
    const lib = await freshLibrary();
    const t0 = performance.now();
    const out = await lib.addFiles(mixed);
    batchLine('node', s, (performance.now() - t0) / 1000, out.filter((o) => o.status === 'added').length);
    lib.close();
  }
  core.setOcrWorkers(undefined);
  core.setIndexPipelining(true);
  await core.closeOcr();

  const files = mixed.map((m) => ({ name: m.name, data: b64(m.data) }));
  for (const setup of setups) {
    const r = await page.evaluate(([f, s]) => window.bench.ocrPoolBatch(f, s), [files, setup] as const);
    batchLine('browser-worker', r, r.seconds, r.added);
  }
}
