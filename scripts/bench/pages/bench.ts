/**
 * Built only for benchmarks and tests (FOLIO_TEST_HARNESS=1). Measures the core's vector search
 * in the page itself, on generated vectors shaped like sentence embeddings.
 */
import * as Comlink from 'comlink';
import { openLibraryInWorker } from '../../../src/client/library';
import type { PaddleWorkerApi } from './paddle.worker';
import { mixTopics, topicQueries } from '../../lib/topics';
import { benchQueries, generate, libraryDocs, percentile } from './benchData';
import { ocrPoolBatch, ocrPoolScan } from './benchOcrPool';
import { guideBench, listScanBench } from './benchWhole';
import { openWllamaGenerator, openWllamaWorker } from '../../../src/client/engines/llamaCpp';
import { openTransformersGenerator } from '../../../src/client/engines/transformers';
import {
  answer,
  buildPostings,
  createLocalServerGenerator,
  DEFAULT_MAX_FILE_BYTES,
  evenSample,
  LibraryStore,
  syncLinkedFolder,
  TopK,
  VectorIndex,
  type LinkedFolder,
} from '../../../src/core';

async function searchBench(n: number, d = 384, queries = 50, invertedLists = false, trace = false) {
  const docs = libraryDocs(n);
  const qs = benchQueries(queries, d);
  const judged = 40;
  // The adversarial shape for the inverted lists (scripts/lib/topics.ts): topics carried by one row
  // in 100 of the library, asked for by 10 more queries, judged too.
  const topics = topicQueries(10, d);
  const index = new VectorIndex(d, n, { invertedLists });
  // Fitted as a library fits it when it opens: a sample of every document (a document's first rows
  // are an even sample of it: its rows are drawn independently).
  const per = Math.ceil(4096 / docs.length);
  index.calibrate(
    evenSample(
      docs.map((doc) => generate(Math.min(per, doc.count), d, doc.seed)),
      d,
    ),
    n,
  );
  // Recall against the float vectors (the index keeps only codes): each document's exact top 10 by a
  // float scan while it is at hand, merged.
  const truth = Array.from({ length: judged + 10 }, () => new TopK(10));
  const ids: string[] = [];
  const asked = (q: number) => (q < judged ? qs.subarray(q * d, (q + 1) * d) : topics.subarray((q - judged) * d));
  // One exact index, emptied per document: one per document left 100 WebAssembly memories (15 MB
  // each at 1M) for the collector to free while the queries were timed.
  const exact = new VectorIndex(d, docs[0]!.count, { approximateAbove: Number.POSITIVE_INFINITY });
  for (const [i, doc] of docs.entries()) {
    const vectors = generate(doc.count, d, doc.seed);
    mixTopics(vectors, doc.first, d);
    index.add(`doc${i}`, vectors);
    if (i > 0) exact.remove(`doc${i - 1}`);
    exact.add(`doc${i}`, vectors);
    for (let q = 0; q < judged + 10; q++)
      for (const h of exact.search(asked(q).subarray(0, d), 10)) {
        truth[q]!.push(h.score, ids.length);
        ids.push(`${h.docId}:${h.chunkIndex}`);
      }
  }
  const found = (q: number, got: { docId: string; chunkIndex: number }[]) => {
    const want = new Set(truth[q]!.sorted().map(([, id]) => ids[id]!));
    return got.filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
  };
  const times: number[] = [];
  const nearTimes: number[] = [];
  const nearEstimated: number[] = [];
  const nearScored: number[] = [];
  // Queries settled from the first half of every bit code (vectorIndex.ts, PART_ABOVE).
  const settledOnHalf = [0, 0];
  const farTimes: number[] = [];
  const farScored: number[] = [];
  const recall = [0, 0];
  let worst = 0;
  // BENCH_SEARCH_TRACE=1: each timed query's time, path and JavaScript heap before and after (a
  // smaller heap after means a collection ran inside the query; Chromium with
  // --enable-precise-memory-info gives bytes, not buckets).
  const perQuery: Record<string, number | string>[] = [];
  const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  index.search(qs.subarray(0, d), 10); // builds the bit codes (and lays out the lists) once, outside the timing
  // Warm-up on the tuning queries (benchQueries' second set, never judged), as the peers page does:
  // without it the first near queries ran before the engine had optimised the search's loops
  // (2–4 ms slower; BENCH_SEARCH_TRACE=1 shows it), and the p50 is the slowest near query.
  const tuning = benchQueries(queries, d, true);
  for (let q = 0; q < queries; q++) index.search(tuning.subarray(q * d, (q + 1) * d), 10);
  for (let q = 0; q < queries; q++) {
    const query = qs.subarray(q * d, (q + 1) * d);
    const heapBefore = trace ? heap() : 0;
    const t0 = performance.now();
    const got = index.search(query, 10);
    times.push(performance.now() - t0);
    if (trace) {
      const { codeBytes, scored, calibrated } = index.lastProbe;
      const kind = q % 2 ? 'far' : 'near';
      const ms = +times[q]!.toFixed(2);
      perQuery.push({ q, kind, ms, codeBytes, scored, calibrated, heapBefore, heapAfter: heap() });
    }
    if (index.lastProbe.codeBytes && index.lastProbe.codeBytes < d / 8) settledOnHalf[q % 2]!++;
    if (q % 2 === 0) {
      nearTimes.push(times[q]!);
      nearEstimated.push(index.lastProbe.estimated);
      nearScored.push(index.lastProbe.scored);
    } else {
      farTimes.push(times[q]!);
      farScored.push(index.lastProbe.scored);
    }
    if (q < judged) {
      const want = new Map(truth[q]!.sorted().map(([score, id]) => [ids[id]!, score]));
      for (const h of got) {
        const exact = want.get(`${h.docId}:${h.chunkIndex}`);
        if (exact === undefined) continue;
        recall[q % 2]! += 0.1;
        worst = Math.max(worst, Math.abs(exact - h.score));
      }
    }
  }
  let topicFound = 0;
  const topicEstimated: number[] = [];
  for (let q = judged; q < judged + 10; q++) {
    topicFound += found(q, index.search(asked(q).subarray(0, d), 10));
    topicEstimated.push(index.lastProbe.estimated);
  }
  const exactTimes: number[] = [];
  for (let q = 0; q < 5; q++) {
    const t0 = performance.now();
    index.search(qs.subarray(q * d, (q + 1) * d), 10, undefined, { exact: true });
    exactTimes.push(performance.now() - t0);
  }
  return {
    metric: 'search_top10_ms',
    n,
    dims: d,
    p50: +percentile(times, 50).toFixed(2),
    p95: +percentile(times, 95).toFixed(2),
    'recall@10': +(recall[0]! / (judged / 2)).toFixed(3),
    'recall@10_far_queries': +(recall[1]! / (judged / 2)).toFixed(3),
    'recall@10_topic_queries': topicFound / 100,
    topic_codes_estimated_p50: percentile(topicEstimated, 50),
    near_p50: +percentile(nearTimes, 50).toFixed(2),
    // Bit codes a near query estimated (the rest of its lists were bounded out), of n.
    near_codes_estimated_p50: percentile(nearEstimated, 50),
    near_codes_estimated_max: Math.max(...nearEstimated),
    // Rows a near query scored from their int8 codes (its calibration batch and the candidates).
    near_rows_scored_p50: percentile(nearScored, 50),
    near_settled_on_half_codes: settledOnHalf[0],
    far_settled_on_half_codes: settledOnHalf[1],
    // Off-distribution queries (the odd ones): with as many near ones, the p50 over all falls
    // between the slowest near and the fastest of these.
    far_p50: +percentile(farTimes, 50).toFixed(2),
    // Rows such a query scored from their int8 codes.
    far_rows_scored_p50: percentile(farScored, 50),
    kernels: index.kernels,
    inverted_lists: invertedLists,
    lists: index.lastProbe.of,
    max_score_error: +worst.toExponential(1),
    exact_scan_p50: +percentile(exactTimes, 50).toFixed(1),
    memory_mb: +(index.memoryBytes / 2 ** 20).toFixed(1),
    bytes_per_vector: Math.round(index.memoryBytes / n),
    ...(trace ? { per_query: perQuery } : {}),
  };
}

/** Longest main-thread task while the worker indexes the fixture documents. */
async function indexingLongTasks(files: string[]) {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => durations.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  const lib = await openLibraryInWorker({
    name: 'bench-longtasks',
    localModelPath: '/models/',
    dtype: 'q8',
    device: 'wasm',
  });
  const inputs = await Promise.all(
    files.map(async (f) => new File([await (await fetch(`/fixtures/${f}`)).arrayBuffer()], f.split('/').pop()!)),
  );
  const seen: string[] = [];
  durations.length = 0; // opening (model load) is not indexing
  const t0 = performance.now();
  const out = await lib.addFiles(inputs, (p) => seen.push(p.stage));
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  // The same files again: recognised by their content hash, nothing parsed or embedded.
  const t1 = performance.now();
  const again = await lib.addFiles(inputs);
  const againMs = performance.now() - t1;
  await lib.close();
  return {
    metric: 'main_thread_longtask_ms_during_indexing',
    files: out.filter((o) => o.status === 'added').length,
    index_s: +seconds.toFixed(1),
    max: Math.round(Math.max(0, ...durations)),
    count: durations.length,
    progress_events: seen.length,
    same_files_again_ms: Math.round(againMs),
    same_files_again_duplicates: again.filter((o) => o.status === 'duplicate').length,
  };
}

/**
 * A linked folder of `texts.length` files (one SciFact abstract each, in 10 subfolders) in the
 * Origin Private File System: indexed by a first sync, synced once with nothing changed (the cost
 * of looking), then once after one file changed. Times are the sync's own (scan, plan, re-index);
 * `embedded` counts the files whose passages the library embedded during that sync, and
 * `documents_replaced` the documents whose id changed.
 */
async function syncBench(texts: string[]) {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry('bench-linked', { recursive: true }).catch(() => {});
  const dir = await root.getDirectoryHandle('bench-linked', { create: true });
  const writeFile = async (p: string, text: string) => {
    const [sub, name] = p.split('/') as [string, string];
    const w = await (
      await (await dir.getDirectoryHandle(sub, { create: true })).getFileHandle(name, { create: true })
    ).createWritable();
    await w.write(text);
    await w.close();
  };
  const pathOf = (i: number) => `group-${i % 10}/doc-${String(i).padStart(4, '0')}.txt`;
  for (const [i, t] of texts.entries()) await writeFile(pathOf(i), t);
  const lib = await openLibraryInWorker({
    name: 'bench-sync',
    localModelPath: '/models/',
    dtype: 'q8',
    device: 'wasm',
  });
  let folder: LinkedFolder = { id: 'bench', name: 'bench-linked', handle: dir, linkedAt: Date.now(), files: [] };
  const sync = async () => {
    const t0 = performance.now();
    const out = await syncLinkedFolder(folder, lib, {
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      save: async (files) => void (folder = { ...folder, files }),
    });
    const seconds = (performance.now() - t0) / 1000;
    if (out.status !== 'ok') throw new Error(out.reason);
    folder = { ...folder, files: out.files };
    return { seconds: +seconds.toFixed(2), ...out.summary };
  };
  try {
    const first = await sync();
    const before = new Set((await lib.listDocuments()).map((d) => d.id));
    const idle = await sync();
    await new Promise((r) => setTimeout(r, 20)); // a later modification time
    await writeFile(
      pathOf(500 % texts.length),
      `${texts[500 % texts.length]} This sentence was added after the folder was indexed.`,
    );
    const changed = await sync();
    const after = (await lib.listDocuments()).map((d) => d.id);
    return {
      metric: 'linked_folder_sync',
      files: texts.length,
      documents: after.length,
      first_index_s: first.seconds,
      no_change_sync_s: idle.seconds,
      no_change_embedded: idle.embedded,
      one_changed_sync_s: changed.seconds,
      one_changed_embedded: changed.embedded,
      one_changed_reindexed: changed.reindexed,
      documents_replaced: after.filter((id) => !before.has(id)).length,
    };
  } finally {
    await lib.close();
    await root.removeEntry('bench-linked', { recursive: true }).catch(() => {});
  }
}

/**
 * The passages-only answer in the browser, as the app runs it: `answer()` on this page against the
 * library worker. A generated library (`populate`) plus the fixture documents, so that every
 * search scans all its vectors and the questions still have real passages to answer from. Times
 * from the call to the `passages` event (what is on screen first) and to the `extract` event.
 */
async function answerLatency(name: string, files: string[], questions: string[], followUps: [string, string][]) {
  const lib = await openLibraryInWorker({ name, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });
  const present = new Set((await lib.listDocuments()).map((d) => d.name));
  const missing = files.filter((f) => !present.has(f.split('/').pop()!));
  if (missing.length)
    await lib.addFiles(
      await Promise.all(
        missing.map(async (f) => new File([await (await fetch(`/fixtures/${f}`)).arrayBuffer()], f.split('/').pop()!)),
      ),
    );
  const chunks = (await lib.listDocuments()).reduce((n, d) => n + d.chunkCount, 0);
  const run = async (question: string, history: { question: string }[] = []) => {
    const t0 = performance.now();
    const at: Record<string, number> = {};
    for await (const e of answer(question, { retriever: lib, history })) {
      at[e.type] ??= performance.now() - t0;
      if (e.type === 'extract' && !e.provisional) at.final = performance.now() - t0;
    }
    return at;
  };
  await run(questions[0]!); // warm-up: first inference sets up kernels
  const passages: number[] = [];
  const extract: number[] = [];
  const final: number[] = [];
  const search: number[] = [];
  let declined = 0;
  for (const q of questions) {
    const at = await run(q);
    passages.push(at.passages!);
    if (at.extract !== undefined) extract.push(at.extract);
    if (at.final !== undefined) final.push(at.final);
    if (at.declined !== undefined) declined++;
    // The same machine at the same moment: a bare search, for the ratio (timings here drift with load).
    const t0 = performance.now();
    await lib.search(q, { k: 6 });
    search.push(performance.now() - t0);
  }
  // Embedding five short texts (the final extract's work), in the same run.
  const embed5: number[] = [];
  for (let i = 0; i + 5 <= questions.length; i++) {
    const t0 = performance.now();
    await lib.embed(questions.slice(i, i + 5), 'passage');
    embed5.push(performance.now() - t0);
  }
  const follow: number[] = [];
  for (const [previous, q] of followUps) follow.push((await run(q, [{ question: previous }])).passages!);
  await lib.close();
  const p = (xs: number[], q: number) => (xs.length ? +percentile(xs, q).toFixed(0) : null);
  return {
    metric: 'passages_only_answer_ms',
    chunks,
    questions: questions.length,
    search_p50: p(search, 50),
    embed_5_texts_p50: p(embed5, 50),
    passages_p50: p(passages, 50),
    passages_p95: p(passages, 95),
    first_extract_p50: p(extract, 50),
    final_extract_p50: p(final, 50),
    final_extract_p95: p(final, 95),
    declined,
    follow_up_passages_p50: p(follow, 50),
  };
}

declare global {
  interface Window {
    bench: {
      syncBench: typeof syncBench;
      searchBench: typeof searchBench;
      populate: typeof populate;
      coldStart: typeof coldStart;
      reopenFirstResults: typeof reopenFirstResults;
      embedThroughput: typeof embedThroughput;
      indexingLongTasks: typeof indexingLongTasks;
      generateBench: typeof generateBench;
      serverVsPage: typeof serverVsPage;
      opfsLoad: typeof opfsLoad;
      ocrPages: typeof ocrPages;
      ocrPoolScan: typeof ocrPoolScan;
      ocrPoolBatch: typeof ocrPoolBatch;
      paddlePages: typeof paddlePages;
      answerLatency: typeof answerLatency;
      listScanBench: typeof listScanBench;
      guideBench: typeof guideBench;
    };
    benchReady: boolean;
  }
}

// ---- Storage: a library of n generated chunks written straight through the store ----------

const WORDS =
  'analysis protein cell cancer patient treatment gene expression risk study trial effect increase reduce model data result response therapy clinical mouse human tissue immune signal pathway level factor disease growth receptor blood dose infection virus brain memory learning network energy climate water carbon ocean temperature policy market price economic growth labour'.split(
    ' ',
  );

function sentence(rnd: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rnd() * WORDS.length)]!);
  return `${out.join(' ')}.`;
}

/**
 * Writes `chunks` generated chunks (≈ 240 tokens of text each, 384-d vectors) into a library;
 * `plant` puts a sentence in one chunk of every `every` (a list question's items, BENCH_ONLY=whole).
 */
async function populate(name: string, chunks: number, perDoc = 1000, plant?: { sentence: string; every: number }) {
  let x = 12345;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const store = await LibraryStore.open(name);
  await store.setMeta({
    key: 'library',
    embeddingModel: 'Xenova/all-MiniLM-L6-v2',
    dimensions: 384,
    createdAt: Date.now(),
  });
  const t0 = performance.now();
  for (let doc = 0; doc * perDoc < chunks; doc++) {
    const n = Math.min(perDoc, chunks - doc * perDoc);
    const id = `bench-${doc}`;
    const texts = Array.from({ length: n }, (_, index) => {
      const sentences = Array.from({ length: 12 }, () => sentence(rnd, 14));
      if (plant && (doc * perDoc + index) % plant.every === plant.every - 1) sentences[6] = plant.sentence;
      return sentences.join(' ');
    });
    let offset = 0;
    const records = texts.map((text, index) => {
      const location = { headings: [`Section ${index % 20}`], start: offset, end: offset + text.length };
      offset += text.length + 2;
      return { docId: id, index, text, tokens: 240, location };
    });
    await store.addDocument(
      {
        id,
        name: `generated-${doc}.txt`,
        type: 'text',
        size: offset,
        hash: `${name}-${doc}`,
        chunkCount: n,
        status: 'ready',
        embeddingModel: 'Xenova/all-MiniLM-L6-v2',
        addedAt: Date.now(),
      },
      texts.join('\n\n'),
      records,
      generate(n, 384, doc + 1),
      384,
      buildPostings(texts),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  const estimate = await navigator.storage.estimate();
  return {
    metric: 'storage',
    chunks,
    write_s: +seconds.toFixed(1),
    idb_bytes: estimate.usage ?? 0,
    bytes_per_chunk: Math.round((estimate.usage ?? 0) / chunks),
  };
}

/** Opens a stored library in its worker (model from cache or /models/) and asks one question. */
async function coldStart(name: string) {
  // Whether transformers.js already holds the model in Cache Storage (a reopen), or must fetch it.
  const modelCached = (await caches.keys()).includes('transformers-cache');
  const t0 = performance.now();
  const lib = await openLibraryInWorker({ name, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });
  const opened = performance.now() - t0;
  const hits = await lib.search('treatment response in patients', { k: 10 });
  const answered = performance.now() - t0;
  const t1 = performance.now();
  await lib.search('immune signal pathway', { k: 10 });
  const second = performance.now() - t1;
  await lib.close();
  return {
    metric: 'cold_start',
    name,
    model_cached: modelCached,
    open_ms: Math.round(opened),
    ...lib.info.timings,
    first_query_ms: Math.round(answered),
    next_query_ms: +second.toFixed(1),
    hits: hits.length,
  };
}

/**
 * Reopening a stored library as the app should: the worker opens on the keyword index while the
 * model loads (`awaitModel: false`) and the first question is answered from keywords, marked so;
 * then the same question once hybrid search runs. Times are from the page's start (navigation).
 */
async function reopenFirstResults(name: string) {
  const question = 'treatment response in patients';
  const lib = await openLibraryInWorker({
    name,
    localModelPath: '/models/',
    dtype: 'q8',
    device: 'wasm',
    awaitModel: false,
  });
  const opened = performance.now();
  const first = await lib.search(question, { k: 10 });
  const firstResults = performance.now();
  await lib.whenSearchModelReady();
  const hybrid = await lib.search(question, { k: 10 });
  const hybridResults = performance.now();
  const info = await lib.modelInfo();
  await lib.close();
  return {
    metric: 'reopen_first_results',
    name,
    open_ms: Math.round(opened),
    first_results_ms: Math.round(firstResults),
    first_keyword_only: first.length > 0 && first.every((h) => h.keywordOnly),
    hits: first.length,
    hybrid_results_ms: Math.round(hybridResults),
    hybrid_keyword_only: hybrid.some((h) => h.keywordOnly),
    ...info.timings,
  };
}

/** Embedding throughput of the real worker (WASM) on the given texts. */
async function embedThroughput(texts: string[]) {
  const lib = await openLibraryInWorker({ name: null, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });
  await lib.embed(texts.slice(0, 16), 'passage'); // warm-up: first-run kernel setup is not throughput
  const t0 = performance.now();
  await lib.embed(texts, 'passage');
  const seconds = (performance.now() - t0) / 1000;
  await lib.close();
  return {
    metric: 'embed_chunks_per_s',
    where: 'browser-wasm',
    threads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1,
    chunks: texts.length,
    per_s: +(texts.length / seconds).toFixed(1),
  };
}

// ---- Answer engines (BENCH_ONLY=generate): stories260K on llama.cpp and on transformers.js ----

const GGUF_ID = 'bench:stories260K-f32';

/** One greedy answer after a warm-up one: decode rate after the first token, and time to it. */
async function timedAnswer(
  gen: Awaited<ReturnType<typeof openWllamaGenerator>> | Awaited<ReturnType<typeof openTransformersGenerator>>,
  maxNewTokens: number,
) {
  await gen.generate([{ role: 'user', content: 'Once upon a time' }], { maxNewTokens: 8 });
  await gen.generate([{ role: 'user', content: 'Once upon a time' }], { maxNewTokens });
  const run = gen.lastRun!;
  const decodeMs = run.ms - (run.firstTokenMs ?? 0);
  return {
    tokens: run.tokens,
    tokens_per_s: +((run.tokens - 1) / (decodeMs / 1000)).toFixed(1),
    first_token_ms: Math.round(run.firstTokenMs ?? 0),
    total_ms: Math.round(run.ms),
  };
}

/** generate_tokens_per_s lines: llama.cpp with each thread count, then transformers.js (WASM). */
async function generateBench(threads: number[], maxNewTokens = 200) {
  const out: object[] = [];
  const host = openWllamaWorker();
  const file = new File(
    [await (await fetch('/models/karpathy/stories260K/stories260K-f32.gguf')).arrayBuffer()],
    'stories260K-f32.gguf',
  );
  await host.api.addFiles(GGUF_ID, [file]);
  for (const n of threads) {
    const gen = await openWllamaGenerator(host, GGUF_ID, n);
    out.push({
      metric: 'generate_tokens_per_s',
      engine: 'wllama',
      model: 'stories260K-f32.gguf',
      threads: gen.info.threads,
      multi_thread: gen.info.multiThread,
      load_ms: gen.info.loadMs,
      ...(await timedAnswer(gen, maxNewTokens)),
    });
    await gen.dispose();
  }
  host.terminate();
  const onnx = await openTransformersGenerator({
    model: 'karpathy/stories260K',
    device: 'wasm',
    dtype: 'fp32',
    localModelPath: '/models/',
  });
  out.push({
    metric: 'generate_tokens_per_s',
    engine: 'transformers.js',
    model: 'karpathy/stories260K onnx fp32',
    threads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1,
    ...(await timedAnswer(onnx, maxNewTokens)),
  });
  await onnx.dispose();
  return out;
}

/**
 * The same greedy answer (same GGUF, same prompt, one thread each) from the in-page llama.cpp
 * engine and from a model server on this computer reached over HTTP, as the app reaches one; the
 * first token timed the same way for both (from the call to the first piece of text handed on),
 * `rounds` times each, alternating, after one warm-up answer each.
 */
async function serverVsPage(serverUrl: string, model: string, rounds = 3, maxNewTokens = 200) {
  const host = openWllamaWorker();
  const file = new File(
    [await (await fetch('/models/karpathy/stories260K/stories260K-f32.gguf')).arrayBuffer()],
    'stories260K-f32.gguf',
  );
  await host.api.addFiles(GGUF_ID, [file]);
  const inPage = await openWllamaGenerator(host, GGUF_ID, 1);
  const server = await createLocalServerGenerator({ baseUrl: serverUrl, model });
  const engines = {
    wllama: { gen: inPage, tokens: () => inPage.lastRun?.tokens ?? 0 },
    server: { gen: server, tokens: () => server.lastUsage?.completionTokens ?? 0 },
  };
  const messages = [{ role: 'user' as const, content: 'Once upon a time' }];
  const runs: { engine: string; first_token_ms: number; tokens: number; tokens_per_s: number; text: string }[] = [];
  for (const { gen } of Object.values(engines)) await gen.generate(messages, { maxNewTokens: 8 });
  for (let r = 0; r < rounds; r++)
    for (const [engine, { gen, tokens }] of Object.entries(engines)) {
      const t0 = performance.now();
      let first: number | undefined;
      const { text } = await gen.generate(messages, { maxNewTokens, onToken: () => (first ??= performance.now()) });
      const end = performance.now();
      const n = tokens();
      runs.push({
        engine,
        first_token_ms: +(first! - t0).toFixed(1),
        tokens: n,
        tokens_per_s: +((n - 1) / ((end - first!) / 1000)).toFixed(1),
        text,
      });
    }
  await inPage.dispose();
  await server.dispose();
  host.terminate();
  return runs;
}

/** Second visit: the GGUF kept in OPFS by generateBench, loaded again in a fresh page. */
async function opfsLoad() {
  const host = openWllamaWorker();
  const t0 = performance.now();
  const gen = await openWllamaGenerator(host, GGUF_ID);
  const ms = performance.now() - t0;
  await gen.dispose();
  host.terminate();
  return {
    metric: 'wllama_load_from_opfs_ms',
    model: 'stories260K-f32.gguf',
    ms: Math.round(ms),
    worker_load_ms: gen.info.loadMs,
    threads: gen.info.threads,
  };
}

/**
 * OCR in the library worker, file by file (base64 in, so the benchmark can hand over bytes it
 * made): seconds from the first to the last page's 'recognising' report (the engine started
 * beforehand, on a first file not counted), and the recognised text.
 */
async function ocrPages(files: { name: string; data: string }[]) {
  const lib = await openLibraryInWorker({
    name: `ocr-bench-${Date.now()}`,
    localModelPath: '/models/',
    dtype: 'q8',
    device: 'wasm',
  });
  const toFile = (f: { name: string; data: string }, name = f.name, extra: number[] = []) =>
    new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0)), new Uint8Array(extra)], name);
  // One byte more after the image's end: other content (not a duplicate of the first file timed), same page.
  await lib.addFiles([toFile(files[0]!, `warm-up-${files[0]!.name}`, [0])]);
  const out: { text: string; seconds: number; pages: number }[] = [];
  for (const f of files) {
    let start = 0;
    let end = 0;
    let pages = 0;
    const [outcome] = await lib.addFiles([toFile(f)], (p) => {
      if (p.stage !== 'recognising') return;
      if (p.done === 0) start = performance.now();
      if (p.done === p.total) [end, pages] = [performance.now(), p.total ?? 0];
    });
    const text = outcome?.status === 'added' ? ((await lib.getDocumentText(outcome.document.id)) ?? '') : '';
    out.push({ text, seconds: (end - start) / 1000, pages });
  }
  await lib.close();
  return out;
}

/** PaddleOCR in a worker of its own (paddle.worker.ts), single images; the first call loads the models. */
async function paddlePages(files: { name: string; data: string }[]) {
  const worker = new Worker(new URL('./paddle.worker.ts', import.meta.url), { type: 'module' });
  const paddle = Comlink.wrap<PaddleWorkerApi>(worker);
  const bytes = (f: { data: string }) => Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
  await paddle.recognise(bytes(files[0]!));
  const out: { text: string; seconds: number; pages: number }[] = [];
  for (const f of files) out.push({ ...(await paddle.recognise(bytes(f))), pages: 1 });
  worker.terminate();
  return out;
}

window.bench = {
  syncBench,
  searchBench,
  populate,
  coldStart,
  reopenFirstResults,
  embedThroughput,
  indexingLongTasks,
  generateBench,
  serverVsPage,
  opfsLoad,
  ocrPages,
  ocrPoolScan,
  ocrPoolBatch,
  paddlePages,
  answerLatency,
  listScanBench,
  guideBench,
};

window.benchReady = true;
