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

/** Seconds to read the scan with each of `counts` workers (0: the pool's own size), in one worker. */
export function ocrPoolScan(scan: string, warm: Record<number, string>, counts: number[]) {
  return inWorker(async (api) => {
    const pool = await api.defaultWorkers();
    const out: { workers: number; seconds: number; chars: number }[] = [];
    for (const c of counts) {
      const workers = c || pool;
      out.push({ workers, ...(await api.readScan(bytes(scan), bytes(warm[workers]!), workers)) });
    }
    return out;
  });
}

/** Seconds to index the batch in each set-up (workers 0: the pool's own size), each in a new library. */
export function ocrPoolBatch(
  files: { name: string; data: string }[],
  setups: { workers: number; pipelined: boolean }[],
) {
  return inWorker(async (api) => {
    const pool = await api.defaultWorkers();
    const out: { workers: number; pipelined: boolean; seconds: number; added: number }[] = [];
    for (const s of setups) {
      const workers = s.workers || pool;
      const input = files.map((f) => ({ name: f.name, data: bytes(f.data) }));
      out.push({ workers, pipelined: s.pipelined, ...(await api.indexBatch(input, workers, s.pipelined)) });
    }
    return out;
  });
}
