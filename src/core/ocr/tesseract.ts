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

/** One worker of the pool (its own thread, ~40 MB of model in memory); `busy` while a page is its. */
interface Engine {
  ready: Promise<TesseractWorker>;
  busy: boolean;
}

/**
 * The OCR pool. tesseract.js's own Scheduler is not used: it cannot stop one job (only terminate
 * every worker, leaving queued jobs' promises unsettled forever), it keeps every queued job's image
 * alive, and it wants its workers before the first job. Here workers start when pages need them,
 * a waiting page holds no worker, and Cancel ends only the workers reading that file's pages.
 */
const engines: Engine[] = [];
/** Pages waiting for a worker, first come first served. */
const waiting: ((engine: Engine) => void)[] = [];
/** The engine's files, fetched once for the pool (see `spawn`). */
let assets: Promise<unknown> | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;
let poolSize: number | undefined;
/** The pool is let go when unused this long. */
const IDLE_MS = 60_000;
/** Each worker holds its own copy of the model and a page being read: past this many, memory, not cores, decides. */
const MAX_OCR_WORKERS = 8;

/**
 * Workers for `cores` logical processors. One page is one worker's job on one core. From 4 cores on,
 * one core is left to embedding (the file before runs through it while this one is recognised) and
 * to the page; on 2 cores that rule would leave no pool at all, so both recognise and the embedder
 * shares them when it runs.
 */
export function defaultOcrWorkers(cores: number): number {
  return Math.max(1, Math.min(MAX_OCR_WORKERS, cores >= 4 ? cores - 1 : cores));
}

/** How many pages are recognised at once. */
export function ocrWorkers(): number {
  return poolSize ?? defaultOcrWorkers(platform.cores());
}

/** Sets the pool's size (benchmarks compare 1 with the default); undefined: sized to the machine. */
export function setOcrWorkers(count: number | undefined): void {
  poolSize = count === undefined ? undefined : Math.max(1, Math.floor(count));
}

async function start(events: OcrEvents): Promise<TesseractWorker> {
  const files = platform.ocrAssets();
  // The engine's files are fetched first, by us, once for the pool, so their size and progress can
  // be shown (to the file that needed them first); every worker's own requests then come from the cache.
  if (!assets) {
    assets = files.prefetch(events.onDownload);
    assets.catch(() => (assets = undefined));
  }
  const mod = (await import('tesseract.js')) as unknown as typeof import('tesseract.js') & {
    default?: typeof import('tesseract.js');
  };
  const { createWorker, OEM } = mod.default ?? mod;
  await assets;
  return createWorker('eng', OEM.LSTM_ONLY, {
    langPath: files.langPath,
    // Never a blob: URL (the Content-Security-Policy allows workers only from the app itself)
    // and never tesseract.js's default CDN paths.
    workerBlobURL: false,
    ...(files.workerPath ? { workerPath: files.workerPath } : {}),
    ...(files.corePath ? { corePath: files.corePath } : {}),
    // The service worker and HTTP cache keep the files; tesseract.js's own cache would write the
    // unpacked model (15 MB) to IndexedDB, or to the working directory in Node.
    cacheMethod: 'none',
    gzip: true,
  });
}

function spawn(events: OcrEvents): Engine {
  const engine: Engine = { ready: start(events), busy: true };
  engine.ready.catch(() => {});
  engines.push(engine);
  return engine;
}

/** A free worker, a new one while the pool is not full, or the next one freed. */
async function acquire(events: OcrEvents, cancelled: Promise<never>): Promise<Engine> {
  if (idle) clearTimeout(idle);
  idle = undefined;
  const free = engines.find((e) => !e.busy);
  if (free) {
    free.busy = true;
    return free;
  }
  if (engines.length < ocrWorkers()) return spawn(events);
  let give!: (engine: Engine) => void;
  const turn = new Promise<Engine>((resolve) => {
    give = resolve;
    waiting.push(resolve);
  });
  try {
    return await Promise.race([turn, cancelled]);
  } catch (err) {
    const at = waiting.indexOf(give);
    if (at >= 0) waiting.splice(at, 1);
    // Handed a worker in the same moment: it goes to the next page.
    else void turn.then(release);
    throw err;
  }
}

function release(engine: Engine): void {
  const next = waiting.shift();
  if (next) {
    next(engine);
    return;
  }
  engine.busy = false;
  if (!engines.some((e) => e.busy)) {
    idle = setTimeout(() => void closeOcr(), IDLE_MS);
    (idle as { unref?: () => void }).unref?.();
  }
}

/** Ends a worker (Cancel mid-page, or one that failed); a page waiting gets a new one in its place. */
function drop(engine: Engine): void {
  const at = engines.indexOf(engine);
  if (at < 0) return;
  engines.splice(at, 1);
  void engine.ready.then((w) => w.terminate()).catch(() => {});
  if (!engines.length) assets = undefined;
  const next = waiting.shift();
  if (next) next(spawn({}));
}

/** The pool right now: workers alive, those reading a page, pages waiting for one. */
export function ocrPoolStats(): { workers: number; busy: number; waiting: number } {
  return { workers: engines.length, busy: engines.filter((e) => e.busy).length, waiting: waiting.length };
}

/** Stops the pool now (done with it); the next recognition starts it again. Call it with no page being read. */
export async function closeOcr(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = undefined;
  const all = engines.splice(0);
  assets = undefined;
  await Promise.all(all.map((e) => e.ready.then((w) => w.terminate()).catch(() => {})));
}

/**
 * Reads the text of one page image on a worker of the pool (`subject` names the page in errors).
 * Cancel (`signal`) ends that worker at once, mid-page: a tesseract job cannot be interrupted any
 * other way; the pool's other workers, reading other pages, go on.
 */
export async function recognise(
  image: Raster,
  signal?: AbortSignal,
  events: OcrEvents = {},
  subject = 'it',
): Promise<OcrParagraph[]> {
  signal?.throwIfAborted();
  let reject: (reason: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  cancelled.catch(() => {});
  let held: Engine | undefined;
  let reading = false;
  let broken = false;
  const onAbort = () => {
    reject(signal!.reason ?? new DOMException('Aborted', 'AbortError'));
    if (held && reading) {
      drop(held);
      held = undefined;
    }
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    held = await acquire(events, cancelled);
    signal?.throwIfAborted();
    const worker = await Promise.race([held.ready, cancelled]).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      broken = true;
      throw new FolioError(
        'ocr-failed',
        `the text-recognition engine could not be started (${String((err as Error)?.message ?? err)}); it is downloaded the first time a scan or image is added, so this needs a connection once`,
        undefined,
        { cause: err },
      );
    });
    signal?.throwIfAborted();
    reading = true;
    const result = await Promise.race([
      worker.recognize(toPgm(image) as unknown as Buffer, {}, { text: false, blocks: true }),
      cancelled,
    ]).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      broken = true;
      throw new FolioError(
        'ocr-failed',
        `text recognition failed on ${subject} (${String((err as Error)?.message ?? err)})`,
        undefined,
        { cause: err },
      );
    });
    reading = false;
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
    if (held) {
      if (broken) drop(held);
      else release(held);
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
