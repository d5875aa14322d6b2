/**
 * Folio's embedder against a plain transformers.js `feature-extraction` pipeline: same texts,
 * model files (/models/), dtype (q8), device (WASM) and ONNX Runtime settings, in one page.
 * Loaded by benchPeers.ts on demand.
 */
import { AutoTokenizer, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { openLibraryInWorker } from '../../../src/client/library';
import { createTransformersEmbedder } from '../../../src/core';

const MODEL = 'Xenova/all-MiniLM-L6-v2';
const BATCH = 16; // Folio's batch on WASM

export async function embedSideBySide(texts: string[], rounds = 3): Promise<object[]> {
  // Folio's embedder first: it configures transformers.js's process-wide `env` (models from
  // /models/ only, ONNX Runtime's wasm served by the app, two threads), which the plain pipeline
  // then shares, as it would in any app that loads models from its own origin.
  const folio = await createTransformersEmbedder({
    model: MODEL,
    localModelPath: '/models/',
    dtype: 'q8',
    device: 'wasm',
  });
  const plain = (await pipeline('feature-extraction', MODEL, {
    dtype: 'q8',
    device: 'wasm',
  })) as FeatureExtractionPipeline;
  // The pipeline cuts texts at the tokenizer's 512 tokens, Folio at the model's 256: give both
  // texts already within 256 tokens, so both embed exactly the same tokens.
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
  const same = texts.map((t) => tokenizer.decode(tokenizer.encode(t, { add_special_tokens: false }).slice(0, 250)));

  const runPlain = async () => {
    const out = new Float32Array(same.length * 384);
    for (let b = 0; b < same.length; b += BATCH) {
      const t = await plain(same.slice(b, b + BATCH), { pooling: 'mean', normalize: true });
      out.set(t.data as Float32Array, b * 384);
      t.dispose();
    }
    return out;
  };
  const runFolio = () => folio.embed(same, 'passage');
  // The app's route: the same embedder inside the library worker, vectors sent back to the page.
  const worker = await openLibraryInWorker({ name: null, localModelPath: '/models/', dtype: 'q8', device: 'wasm' });
  const runWorker = () => worker.embed(same, 'passage');

  await runPlain();
  await runFolio();
  await runWorker(); // first runs set up kernels: not throughput
  const times: Record<string, number[]> = { plain: [], folio: [], 'folio-worker': [] };
  let plainOut: Float32Array = new Float32Array(0);
  let folioOut: Float32Array = new Float32Array(0);
  let workerOut: Float32Array = new Float32Array(0);
  // Interleaved, so drift in the machine's load falls on all three alike.
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    plainOut = await runPlain();
    times.plain!.push(performance.now() - t0);
    t0 = performance.now();
    folioOut = await runFolio();
    times.folio!.push(performance.now() - t0);
    t0 = performance.now();
    workerOut = await runWorker();
    times['folio-worker']!.push(performance.now() - t0);
  }
  // The int8 model quantizes its activations per batch (dynamic quantization), so a text's vector
  // depends a little on the texts batched with it. Folio batches texts of similar length together;
  // the plain pipeline, given the same batches, should give the same vectors.
  const order = same.map((_, i) => i).sort((a, b) => same[a]!.length - same[b]!.length);
  const plainSameBatches = new Float32Array(same.length * 384);
  for (let b = 0; b < order.length; b += BATCH) {
    const idx = order.slice(b, b + BATCH);
    const t = await plain(
      idx.map((i) => same[i]!),
      { pooling: 'mean', normalize: true },
    );
    idx.forEach((i, row) =>
      plainSameBatches.set((t.data as Float32Array).subarray(row * 384, (row + 1) * 384), i * 384),
    );
    t.dispose();
  }
  await worker.close();
  await folio.dispose();
  await plain.dispose();
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const perS = (ms: number) => +(same.length / (ms / 1000)).toFixed(1);
  const plainMs = median(times.plain!);
  return Object.entries(times).map(([engine, ms]) => ({
    metric: 'embed_side_by_side',
    engine,
    chunks: same.length,
    per_s: perS(median(ms)),
    runs_per_s: ms.map(perS),
    vs_plain: +(plainMs / median(ms)).toFixed(3),
    ...(engine === 'plain'
      ? {}
      : {
          max_abs_diff_vs_plain: +maxDiff(engine === 'folio' ? folioOut : workerOut, plainOut).toExponential(2),
          max_abs_diff_vs_plain_same_batches: +maxDiff(
            engine === 'folio' ? folioOut : workerOut,
            plainSameBatches,
          ).toExponential(2),
        }),
  }));
}
