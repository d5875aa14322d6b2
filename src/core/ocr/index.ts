import type { DocumentBuilder } from '../ingest/builder';
import type { PageBox } from '../types';
import { recognise, type OcrEvents } from './tesseract';
import type { Raster } from '../platform/types';

export {
  closeOcr,
  defaultOcrWorkers,
  ocrPoolStats,
  ocrWorkers,
  setOcrWorkers,
  type OcrEvents,
} from './tesseract';
export { assertIntact, assertPixels, imageInfo } from './imageInfo';

/** Longest side a page image is recognised at: past this, time grows and accuracy does not. */
export const OCR_MAX_SIDE = 4000;
/** A small image (a screenshot, a low-resolution photo) is enlarged to this: tesseract wants letters 20–30 px tall. */
export const OCR_MIN_SIDE = 2000;

export type OcrProgress = (stage: 'recognising' | 'ocr-download', done: number, total: number) => void;

export interface PageText {
  lines: { text: string; box: PageBox }[];
  heading: boolean;
}

/** One page image → its paragraphs, each line with its box on that page (`subject` names it in errors). */
export async function readPage(
  image: Raster,
  page: number,
  signal?: AbortSignal,
  events: OcrEvents = {},
  subject?: string,
): Promise<PageText[]> {
  const paragraphs = await recognise(image, signal, events, subject);
  const heights = paragraphs
    .flat()
    .map((l) => l.h)
    .sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] ?? 0;
  return paragraphs.map((lines) => ({
    lines: lines.map((l) => ({
      text: l.text,
      box: { page, x: round(l.x), y: round(l.y), w: round(l.w), h: round(l.h) },
    })),
    // A lone short line set clearly larger than the page's text, not ending a sentence: a heading.
    heading:
      lines.length === 1 &&
      heights.length > 2 &&
      lines[0]!.h >= median * 1.35 &&
      lines[0]!.text.length < 100 &&
      !/[.,;:]$/.test(lines[0]!.text),
  }));
}

/** Adds a recognised page to a document. */
export function emitPage(paragraphs: PageText[], builder: DocumentBuilder): void {
  for (const p of paragraphs) builder.lines(p.lines, p.heading ? 'heading' : 'paragraph', 1);
}

const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1e4) / 1e4;
