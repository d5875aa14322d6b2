/**
 * BENCH_ONLY=whole in the browser: questions about the whole (issue 21) as the app asks them, in
 * the library worker (`RemoteLibrary.ask` → `LibraryHost.ask`, passages read through `getChunks`
 * from IndexedDB), and the source guide as the app's background step computes it.
 */
import { openLibraryInWorker } from '../../../src/client/library';
import type { AskEvent } from '../../../src/core';
import { percentile } from './benchData';

const open = (name: string) => openLibraryInWorker({ name, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });

/**
 * A list over a stored library (`populate` with a planted sentence): ms from the call to the first
 * items on the page and to the end, each of `runs` asks; the first run is reported on its own (the
 * library's first read of every document) and the median of the others.
 */
export async function listScanBench(name: string, question: string, runs = 4) {
  const lib = await open(name);
  const docs = await lib.listDocuments();
  const times: { first: number; total: number; found: number; read: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    let first = -1;
    let found = 0;
    let read = 0;
    await lib.ask(`bench-${i}`, question, {}, (e: AskEvent) => {
      if (e.type === 'items' && first < 0) first = performance.now() - t0;
      if (e.type === 'list') {
        found = e.count;
        read = e.scanned.passages;
      }
    });
    times.push({ first, total: performance.now() - t0, found, read });
  }
  await lib.close();
  const later = times.slice(1);
  const p50 = (xs: number[]) => Math.round(percentile(xs, 50));
  return {
    metric: 'whole_list_scan_ms',
    question,
    documents: docs.length,
    passages: docs.reduce((n, d) => n + d.chunkCount, 0),
    read: times[0]!.read,
    found: times[0]!.found,
    first_run_first_items_ms: Math.round(times[0]!.first),
    first_run_total_ms: Math.round(times[0]!.total),
    runs: later.length,
    first_items_p50: p50(later.map((t) => t.first)),
    total_p50: p50(later.map((t) => t.total)),
  };
}

/**
 * A document's source guide: indexed first (not timed), then `sourceGuide(id)` computes and stores
 * it, as `prepareGuides` does in the background after an add.
 */
export async function guideBench(name: string, fileName: string, text: string) {
  const lib = await open(name);
  const t0 = performance.now();
  const [added] = await lib.addFiles([new File([text], fileName, { type: 'text/plain' })]);
  const indexed = performance.now() - t0;
  if (added?.status !== 'added') throw new Error(`${fileName}: not added (${added?.status})`);
  const doc = added.document;
  const t1 = performance.now();
  const guide = await lib.sourceGuide(doc.id);
  const guideMs = performance.now() - t1;
  const t2 = performance.now();
  await lib.sourceGuide(doc.id);
  const storedMs = performance.now() - t2;
  await lib.close();
  return {
    metric: 'source_guide_ms',
    document: fileName,
    words: text.split(/\s+/).filter(Boolean).length,
    passages: doc.chunkCount,
    index_ms: Math.round(indexed),
    guide_ms: Math.round(guideMs),
    stored_guide_ms: Math.round(storedMs),
    summary_sentences: guide?.summary.length ?? 0,
    topics: guide?.topics.length ?? 0,
    questions: guide?.questions.length ?? 0,
  };
}
