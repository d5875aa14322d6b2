import { platform } from '#platform';
import { FolioError } from '../errors';
import type { Raster } from '../platform/types';

/** One recognised line: its text and where it stands, in page-relative coordinates 0..1. */
export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lines grouped as tesseract's layout analysis grouped them into paragraphs. */
export type OcrParagraph = OcrLine[];

export interface OcrEvents {
  /** The engine's files being fetched the first time it is used (bytes). */
  onDownload?: (loaded: number, total: number) => void;
}

type TesseractWorker = Awaited<ReturnType<typeof import('tesseract.js')['createWorker']>>;

let engine: Promise<TesseractWorker> | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;
let busy = 0;
/** The engine (a worker with ~40 MB of model in memory) is let go when unused this long. */
const IDLE_MS = 60_000;

async function start(events: OcrEvents): Promise<TesseractWorker> {
  const assets = platform.ocrAssets();
  // The engine's files are fetched first, by us, so their size and progress can be shown; the
  // engine's own requests for them then come from the cache.
  const prefetch = assets.prefetch(events.onDownload);
  const mod = (await import('tesseract.js')) as unknown as typeof import('tesseract.js') & {
    default?: typeof import('tesseract.js');
  };
  const { createWorker, OEM } = mod.default ?? mod;
  await prefetch;
  const worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: assets.langPath,
    // Never a blob: URL (the Content-Security-Policy allows workers only from the app itself)
    // and never tesseract.js's default CDN paths.
    workerBlobURL: false,
    ...(assets.workerPath ? { workerPath: assets.workerPath } : {}),
    ...(assets.corePath ? { corePath: assets.corePath } : {}),
    // The service worker and HTTP cache keep the files; tesseract.js's own cache would write the
    // unpacked model (15 MB) to IndexedDB, or to the working directory in Node.
    cacheMethod: 'none',
    gzip: true,
  });
  return worker;
}

function engineFor(events: OcrEvents): Promise<TesseractWorker> {
  if (!engine) {
    engine = start(events);
    engine.catch(() => (engine = undefined));
  }
  return engine;
}

/** Stops the engine now (Cancel, or done with it); the next recognition starts a new one. */
export async function closeOcr(): Promise<void> {
  const current = engine;
  engine = undefined;
  if (idle) clearTimeout(idle);
  idle = undefined;
  if (current) await (await current.catch(() => undefined))?.terminate().catch(() => {});
}

/**
 * Reads the text of one page image. Cancel (`signal`) stops the engine at once, mid-page: a
 * tesseract job cannot be interrupted any other way.
 */
export async function recognise(image: Raster, signal?: AbortSignal, events: OcrEvents = {}): Promise<OcrParagraph[]> {
  signal?.throwIfAborted();
  busy++;
  if (idle) clearTimeout(idle);
  let reject: (reason: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  cancelled.catch(() => {});
  // Cancel ends the engine's worker, so a page being read stops at once, not when it is done;
  // unless another file's recognition shares the engine, whose page must not be lost with it.
  const onAbort = () => {
    reject(signal!.reason ?? new DOMException('Aborted', 'AbortError'));
    if (busy <= 1) void closeOcr();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const worker = await Promise.race([engineFor(events), cancelled]).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      throw new FolioError(
        'ocr-failed',
        `the text-recognition engine could not be started (${String((err as Error)?.message ?? err)}); it is downloaded the first time a scan or image is added, so this needs a connection once`,
        undefined,
        { cause: err },
      );
    });
    signal?.throwIfAborted();
    const result = await Promise.race([
      worker.recognize(toPgm(image) as unknown as Buffer, {}, { text: false, blocks: true }),
      cancelled,
    ]).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      throw new FolioError(
        'ocr-failed',
        `text recognition failed on it (${String((err as Error)?.message ?? err)})`,
        undefined,
        { cause: err },
      );
    });
    signal?.throwIfAborted();
    const paragraphs: OcrParagraph[] = [];
    for (const block of result.data.blocks ?? []) {
      for (const para of block.paragraphs) {
        const lines = para.lines
          .map((l) => ({
            text: l.text.replace(/\s+/g, ' ').trim(),
            confidence: l.confidence,
            x: l.bbox.x0 / image.width,
            y: l.bbox.y0 / image.height,
            w: (l.bbox.x1 - l.bbox.x0) / image.width,
            h: (l.bbox.y1 - l.bbox.y0) / image.height,
          }))
          .filter((l) => isText(l));
        if (lines.length) paragraphs.push(lines);
      }
    }
    return paragraphs;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (--busy === 0) {
      idle = setTimeout(() => void closeOcr(), IDLE_MS);
      (idle as { unref?: () => void }).unref?.();
    }
  }
}

/**
 * Tesseract reads noise (specks, a photo's texture) as short strings of symbols at low
 * confidence; a line is kept when it has letters or digits and is not mostly such guesses.
 */
function isText(line: OcrLine): boolean {
  const alnum = line.text.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (!alnum) return false;
  if (line.confidence < 30) return false;
  return line.confidence >= 60 || alnum >= line.text.length * 0.5;
}

/**
 * The page as an 8-bit grey PGM: tesseract.js hands encoded images to Leptonica, which reads PNM
 * without any codec, and one byte a pixel is a quarter of RGBA.
 */
export function toPgm(image: Raster): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const n = image.width * image.height;
  const out = new Uint8Array(header.length + n);
  out.set(header);
  const { data } = image;
  for (let i = 0, j = header.length; i < n; i++, j++) {
    const a = data[i * 4 + 3]!;
    const grey = (data[i * 4]! * 77 + data[i * 4 + 1]! * 150 + data[i * 4 + 2]! * 29) >> 8;
    // Transparent pixels are paper.
    out[j] = a === 255 ? grey : (grey * a + 255 * (255 - a)) / 255;
  }
  return out;
}
