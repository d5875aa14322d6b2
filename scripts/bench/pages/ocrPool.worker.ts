/**
 * Benchmark only (BENCH_ONLY=ocrpool): the core in a worker, as the library worker hosts it, with
 * the knobs the app does not turn: the OCR pool's size and whether indexing reads the next file
 * while this one is embedded.
 */
import * as Comlink from 'comlink';
import { closeOcr, LibraryHost, ocrWorkers, parseBytes, setIndexPipelining, setOcrWorkers } from '../../../src/core';

const api = {
  /** The pool's size on this machine (navigator.hardwareConcurrency here). */
  defaultWorkers: () => ocrWorkers(),

  /**
   * Reads `scan` with `workers` workers; seconds for the whole parse (render, recognise, build).
   * Every worker is started beforehand by a warm-up scan of as many pages, not timed.
   */
  async readScan(scan: Uint8Array, warm: Uint8Array, workers: number): Promise<{ seconds: number; chars: number }> {
    setOcrWorkers(workers);
    await closeOcr();
    await parseBytes(warm, 'warm-up.pdf');
    const t0 = performance.now();
    const doc = await parseBytes(scan, 'scan.pdf');
    const seconds = (performance.now() - t0) / 1000;
    setOcrWorkers(undefined);
    return { seconds, chars: doc.text.length };
  },

  /**
   * Indexes `files` into a new library with `workers` OCR workers, pipelined or one file after
   * another; seconds for addFiles (the OCR workers start inside the timing, as in the app).
   */
  async indexBatch(
    files: { name: string; data: Uint8Array }[],
    workers: number,
    pipelined: boolean,
  ): Promise<{ seconds: number; added: number }> {
    setOcrWorkers(workers);
    await closeOcr();
    const host = new LibraryHost();
    await host.open({ name: `ocr-pool-bench-${Date.now()}`, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });
    try {
      setIndexPipelining(pipelined);
      const t0 = performance.now();
      const out = await host.library!.addFiles(files);
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, added: out.filter((o) => o.status === 'added').length };
    } finally {
      setIndexPipelining(true);
      setOcrWorkers(undefined);
      await host.close();
    }
  },
};

export type OcrPoolWorkerApi = typeof api;
Comlink.expose(api);
