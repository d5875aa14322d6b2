import { platform } from '#platform';
import { FolioError } from '../errors';
import { emitPage, OCR_MAX_SIDE, ocrWorkers, readPage, type OcrProgress, type PageText } from '../ocr';
import type { Raster } from '../platform/types';
import type { ParsedDocument } from '../types';
import { DocumentBuilder, meaningfulTitle } from './builder';
import { bodyStyle, dropFurniture, emitLines, marginNumbers, type Line } from './pdfLayout';

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
 * leading; page furniture, the title, headings and footnotes are told apart in pdfLayout.ts.
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
      const lines = pageLines(await page.getTextContent(), p, page.view[3]! - page.view[1]!);
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
    // Many PDFs carry no title in their metadata, or one that says nothing ("untitled", "Document1";
    // three of the seven shared papers have none): the title the layout found on the first page, set
    // larger than anything else there, is the title then.
    if (!doc.title) {
      const shown = layoutTitle(doc);
      if (shown) doc.title = shown;
    }
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
  pageHeight: number,
): Line[] {
  const lines: Line[] = [];
  let current: (Line & { fonts: Map<string, number> }) | null = null;
  const end = () => {
    if (!current) return;
    current.font = [...current.fonts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const { fonts: _, ...line } = current;
    lines.push(line);
    current = null;
  };
  const runs = content.items.filter((item) => 'str' in item);
  // Rotated text (the arXiv stamp up the margin, a rotated table) is not in the reading order.
  const rotated = (t: number[]) => Math.abs(t[1]!) > Math.abs(t[0]!) * 0.05 || Math.abs(t[2]!) > Math.abs(t[3]!) * 0.05;
  const upright = runs.filter((item) => !rotated(item.transform as number[]));
  const lineNumbers = marginNumbers(
    upright.map((item) => ({ str: item.str, x: item.transform[4] as number, width: item.width, item })),
  );
  const skip = new Set([...lineNumbers].map((n) => n.item));
  for (const item of runs) {
    if (skip.has(item)) continue;
    if (rotated(item.transform as number[])) {
      end();
      continue;
    }
    const [, , c, d, x, y] = item.transform as number[];
    const size = Math.hypot(c!, d!) || item.height;
    if (current && item.str && Math.abs(y! - current.y) > Math.max(current.size, size) * 0.5) end();
    if (item.str) {
      if (!current)
        current = { text: '', size, y: y!, x: x!, right: x!, page: p, font: '', pageHeight, fonts: new Map() };
      // Runs set apart on the line (a page number after a running header) keep a space between them.
      if (current.text && !/\s$/.test(current.text) && !/^\s/.test(item.str) && x! - current.right > size * 0.25)
        current.text += ' ';
      current.text += item.str;
      current.size = Math.max(current.size, size);
      current.right = Math.max(current.right, x! + item.width);
      current.fonts.set(item.fontName, (current.fonts.get(item.fontName) ?? 0) + item.str.length);
    }
    if (item.hasEOL) end();
  }
  end();
  return lines;
}

/** Text-layer pages and recognised pages, in page order, into one document. */
function emitPages(pages: PageContent[], builder: DocumentBuilder): void {
  const textPages = pages.filter((p): p is Extract<PageContent, { lines: Line[] }> => 'lines' in p);
  const cleaned = dropFurniture(textPages.map((t) => t.lines));
  const kept = new Map(textPages.map((p, i) => [p, cleaned[i]!]));
  const body = bodyStyle([...kept.values()].flat());
  let run: Line[] = [];
  for (const p of pages) {
    if ('lines' in p) {
      run.push(...kept.get(p)!);
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

/**
 * The first page's title, as the layout marked it: in a PDF only the title is a level-1 heading
 * (pdfLayout.ts; numbered and unnumbered sections start at 2). A running header may come first.
 */
function layoutTitle(doc: ParsedDocument): string | undefined {
  const title = doc.blocks.find((b) => b.kind === 'heading' && b.level === 1 && (b.page ?? 1) === 1);
  return title && meaningfulTitle(doc.text.slice(title.start, title.end));
}
