/**
 * BENCH_ONLY=ocrpool in the browser: the scan read with one OCR worker and with the pool, and a
 * mixed batch indexed with and without pipelining, in a worker hosting the core (ocrPool.worker.ts).
 */
import * as Comlink from 'comlink';
import type { OcrPoolWorkerApi } from './ocrPool.worker';

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

async function inWorker<T>(run: (api: Comlink.Remote<OcrPoolWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./ocrPool.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await run(Comlink.wrap<OcrPoolWorkerApi>(worker));
  } finally {
    worker.terminate();
  }
}

/** Seconds to read the scan with `workers` workers (0: the pool's own size), in a new worker. */
export function ocrPoolScan(scan: string, warm: string, workers: number) {
  return inWorker(async (api) => {
    const n = workers || (await api.defaultWorkers());
    return { workers: n, ...(await api.readScan(bytes(scan), bytes(warm), n)) };
  });
}

/** Seconds to index the batch in a new library (workers 0: the pool's own size). */
export function ocrPoolBatch(files: { name: string; data: string }[], setup: { workers: number; pipelined: boolean }) {
  return inWorker(async (api) => {
    const workers = setup.workers || (await api.defaultWorkers());
    const input = files.map((f) => ({ name: f.name, data: bytes(f.data) }));
    return { workers, pipelined: setup.pipelined, ...(await api.indexBatch(input, workers, setup.pipelined)) };
  });
}
