import { platform } from '#platform';
import { FolioError } from '../errors';
import { emitPage, OCR_MAX_SIDE, ocrWorkers, readPage, type OcrProgress, type PageText } from '../ocr';
import type { Raster } from '../platform/types';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

interface Line {
  text: string;
  size: number;
  y: number;
  page: number;
}

export interface PdfOptions {
  signal?: AbortSignal | undefined;
  onProgress?: OcrProgress | undefined;
  /** Read pages without a text layer by OCR (default). Off: such a PDF is refused as 'no-text-layer'. */
  ocr?: boolean | undefined;
  /** Resolution pages are rendered at for OCR. */
  dpi?: number | undefined;
}

/**
 * Pages are rendered for OCR at this resolution: 12-point text is then 20–30 pixels tall, what
 * tesseract reads best (docs/measurements/ocr.md compares 150, 200 and 300 dpi).
 */
export const OCR_DPI = 200;
/** A page with fewer characters than this in its text layer is read by OCR (page numbers, stray marks). */
const MIN_PAGE_CHARS = 12;

type PageContent = { page: number; lines: Line[] } | { page: number; ocr: PageText[] };

/**
 * PDF text layer → lines → paragraphs and headings. pdf.js gives positioned text runs; a line
 * ends at hasEOL or a change of baseline, a paragraph at a vertical gap larger than normal
 * leading, and a short line set clearly larger than the body text is taken as a heading.
 * Pages without a text layer (scans) are rendered and read by OCR, several at once on the OCR
 * pool, each line keeping its box on the page.
 */
export async function parsePdf(bytes: Uint8Array, fileName: string, opts: PdfOptions = {}): Promise<ParsedDocument> {
  if (!hasEofMarker(bytes)) {
    throw new FolioError(
      'corrupt-file',
      'the PDF is incomplete (it was cut off before its end, e.g. an interrupted download)',
      fileName,
    );
  }
  const pdfjs = await platform.loadPdfjs();
  const CanvasFactory = platform.pdfCanvasFactory();
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    // Damaged fonts and streams are reported through our errors, not as console warnings.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    ...platform.pdfAssets(),
    ...(CanvasFactory ? { CanvasFactory } : {}),
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    const name = (err as Error | null)?.name;
    if (name === 'PasswordException') {
      throw new FolioError(
        'encrypted-pdf',
        'the PDF is password-protected; open it, save an unprotected copy, and add that',
        fileName,
        { cause: err },
      );
    }
    throw new FolioError(
      'corrupt-file',
      `the PDF is damaged and cannot be opened (${(err as Error).message})`,
      fileName,
      { cause: err },
    );
  }

  try {
    const pages: PageContent[] = [];
    const textless: number[] = [];
    for (let p = 1; p <= pdf.numPages; p++) {
      opts.signal?.throwIfAborted();
      const page = await pdf.getPage(p);
      const lines = pageLines(await page.getTextContent(), p);
      page.cleanup();
      if (lines.reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0) >= MIN_PAGE_CHARS)
        pages.push({ page: p, lines });
      else textless.push(p);
    }
    if (textless.length && opts.ocr === false) {
      if (!pages.length) {
        throw new FolioError(
          'no-text-layer',
          'the PDF has no text layer (it looks like a scan or images of pages), and text recognition is turned off',
          fileName,
        );
      }
    } else if (textless.length) {
      for await (const page of recognisePages(pdf, textless, opts)) pages.push(page);
      pages.sort((a, b) => a.page - b.page);
    }

    const builder = new DocumentBuilder('pdf');
    emitPages(pages, builder);
    const info = (await pdf.getMetadata().catch(() => null))?.info as { Title?: string } | undefined;
    const title = info?.Title?.trim() || undefined;
    const doc = builder.build({
      pageCount: pdf.numPages,
      ...(title ? { title } : {}),
      ocrPages: opts.ocr === false ? [] : textless,
    });
    if (!doc.text.trim() && textless.length) {
      throw new FolioError(
        'no-text',
        `the PDF has no text layer and text recognition found no text on its ${textless.length === 1 ? 'page' : `${textless.length} pages`}`,
        fileName,
      );
    }
    return doc;
  } catch (err) {
    if (err instanceof FolioError) throw err;
    if (opts.signal?.aborted) throw err;
    throw new FolioError(
      'corrupt-file',
      `the PDF is damaged and its text cannot be read (${(err as Error).message})`,
      fileName,
      { cause: err },
    );
  } finally {
    await pdf.destroy().catch(() => {});
  }
}

type PdfDocument = Awaited<ReturnType<typeof import('pdfjs-dist')['getDocument']>['promise']>;

/**
 * Renders and recognises the given pages on the OCR pool, as many at once as it has workers plus
 * one drawn ahead (so at most that many page images are alive), and yields them in page order.
 * Progress counts pages finished, in whatever order they finish. The first page that fails stops
 * the others (all or nothing) and is what the document fails with.
 */
async function* recognisePages(pdf: PdfDocument, pages: number[], opts: PdfOptions): AsyncGenerator<PageContent> {
  const dpi = opts.dpi ?? OCR_DPI;
  const events = opts.onProgress
    ? { onDownload: (d: number, t: number) => opts.onProgress!('ocr-download', d, t) }
    : {};
  opts.onProgress?.('recognising', 0, pages.length);
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let finished = 0;
  const read = async (i: number): Promise<PageContent> => {
    const image = await renderPage(pdf, pages[i]!, dpi);
    signal.throwIfAborted();
    const ocr = await readPage(image, pages[i]!, signal, events, `page ${pages[i]}`);
    signal.throwIfAborted();
    opts.onProgress?.('recognising', ++finished, pages.length);
    return { page: pages[i]!, ocr };
  };
  const jobs: Promise<PageContent>[] = [];
  const launch = () => {
    if (jobs.length >= pages.length || stop.signal.aborted) return;
    const job = read(jobs.length);
    jobs.push(job);
    job.then(launch, (err: unknown) => {
      fail(err);
      stop.abort(err);
    });
  };
  try {
    for (let n = Math.min(pages.length, ocrWorkers() + 1); n > 0; n--) launch();
    for (let i = 0; i < pages.length; i++) {
      // Not aborted, page i was launched: every page before it finished, each launching one more.
      signal.throwIfAborted();
      yield await Promise.race([jobs[i]!, failed]);
    }
  } finally {
    // Pages still being read (another page failed, or the reader stopped) are let go.
    stop.abort();
    await Promise.allSettled(jobs);
  }
}

async function renderPage(pdf: PdfDocument, pageNumber: number, dpi: number): Promise<Raster> {
  const page = await pdf.getPage(pageNumber);
  try {
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(dpi / 72, OCR_MAX_SIDE / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.ceil(viewport.width));
    const height = Math.max(1, Math.ceil(viewport.height));
    const canvas = platform.createCanvas(width, height);
    try {
      canvas.context.fillStyle = '#fff';
      canvas.context.fillRect(0, 0, width, height);
      const target = canvas as unknown as { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D };
      await page.render({ canvas: target.canvas, canvasContext: target.context, viewport }).promise;
      const { data } = canvas.context.getImageData(0, 0, width, height);
      return { width, height, data };
    } finally {
      canvas.release();
    }
  } finally {
    page.cleanup();
  }
}

function pageLines(
  content: Awaited<ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['getTextContent']>>,
  p: number,
): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const y = item.transform[5] as number;
    const size = Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height;
    if (current && item.str && Math.abs(y - current.y) > Math.max(current.size, size) * 0.5) {
      lines.push(current);
      current = null;
    }
    if (item.str) {
      if (!current) current = { text: '', size, y, page: p };
      current.text += item.str;
      current.size = Math.max(current.size, size);
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Text-layer pages and recognised pages, in page order, into one document. */
function emitPages(pages: PageContent[], builder: DocumentBuilder): void {
  const body = bodySize(pages.flatMap((p) => ('lines' in p ? p.lines : [])));
  let run: Line[] = [];
  for (const p of pages) {
    if ('lines' in p) {
      run.push(...p.lines);
      continue;
    }
    emitLines(run, builder, body);
    run = [];
    emitPage(p.ocr, builder);
  }
  emitLines(run, builder, body);
}

function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  return new TextDecoder('latin1').decode(tail).includes('%%EOF');
}

function emitLines(lines: Line[], builder: DocumentBuilder, body: number): void {
  const headingSizes = [...new Set(lines.filter((l) => isHeading(l, body)).map((l) => Math.round(l.size)))].sort(
    (a, b) => b - a,
  );
  let para: Line[] = [];
  const flush = () => {
    if (!para.length) return;
    builder.block(joinLines(para.map((l) => l.text)), 'paragraph', para[0]!.page);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.text.trim()) continue;
    if (isHeading(line, body)) {
      flush();
      const level = Math.min(6, headingSizes.indexOf(Math.round(line.size)) + 1);
      builder.heading(line.text, level, line.page);
      continue;
    }
    const prev = para[para.length - 1];
    if (
      prev &&
      (prev.page !== line.page || prev.y - line.y > Math.max(prev.size, line.size) * 1.6 || line.y > prev.y)
    ) {
      // A new page continues the paragraph only if the previous line did not end a sentence.
      if (!(prev.page !== line.page && !/[.!?:"”)]\s*$/.test(prev.text))) flush();
    }
    para.push(line);
  }
  flush();
}

function bodySize(lines: Line[]): number {
  const weights = new Map<number, number>();
  for (const l of lines)
    weights.set(Math.round(l.size * 2) / 2, (weights.get(Math.round(l.size * 2) / 2) ?? 0) + l.text.length);
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weights) if (w > bestWeight) [best, bestWeight] = [size, w];
  return best;
}

function isHeading(line: Line, body: number): boolean {
  const t = line.text.trim();
  return line.size >= body * 1.08 && t.length > 0 && t.length < 120 && !/[.,;]$/.test(t) && /\p{L}/u.test(t);
}

/** Joins wrapped lines, mending words hyphenated across a line break. */
function joinLines(texts: string[]): string {
  let out = '';
  for (const t of texts) {
    if (out.endsWith('-') && /^\p{Ll}/u.test(t) && /\p{L}-$/u.test(out)) out = out.slice(0, -1) + t.trimStart();
    else out += (out ? ' ' : '') + t;
  }
  return out;
}
