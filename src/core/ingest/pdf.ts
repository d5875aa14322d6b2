import { platform } from '#platform';
import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

interface Line {
  text: string;
  size: number;
  y: number;
  page: number;
}

/**
 * PDF text layer → lines → paragraphs and headings. pdf.js gives positioned text runs; a line
 * ends at hasEOL or a change of baseline, a paragraph at a vertical gap larger than normal
 * leading, and a short line set clearly larger than the body text is taken as a heading.
 */
export async function parsePdf(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  if (!hasEofMarker(bytes)) {
    throw new FolioError('corrupt-file', 'the PDF is incomplete (it was cut off before its end, e.g. an interrupted download)', fileName);
  }
  const pdfjs = await platform.loadPdfjs();
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: true });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    const name = (err as Error | null)?.name;
    if (name === 'PasswordException') {
      throw new FolioError('encrypted-pdf', 'the PDF is password-protected; open it, save an unprotected copy, and add that', fileName, { cause: err });
    }
    throw new FolioError('corrupt-file', `the PDF is damaged and cannot be opened (${(err as Error).message})`, fileName, { cause: err });
  }

  try {
    const lines: Line[] = [];
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
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
      page.cleanup();
    }

    const chars = lines.reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
    if (chars < 20 || chars < pdf.numPages * 3) {
      throw new FolioError('no-text-layer', 'the PDF has no text layer (it looks like a scan or images of pages); Folio cannot read images of text', fileName);
    }
    const builder = new DocumentBuilder('pdf');
    emitLines(lines, builder);
    const info = (await pdf.getMetadata().catch(() => null))?.info as { Title?: string } | undefined;
    const title = info?.Title?.trim() || undefined;
    return builder.build({ pageCount: pdf.numPages, ...(title ? { title } : {}) });
  } catch (err) {
    if (err instanceof FolioError) throw err;
    throw new FolioError('corrupt-file', `the PDF is damaged and its text cannot be read (${(err as Error).message})`, fileName, { cause: err });
  } finally {
    await pdf.destroy().catch(() => {});
  }
}

function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  return new TextDecoder('latin1').decode(tail).includes('%%EOF');
}

function emitLines(lines: Line[], builder: DocumentBuilder): void {
  const body = bodySize(lines);
  const headingSizes = [...new Set(lines.filter((l) => isHeading(l, body)).map((l) => Math.round(l.size)))].sort((a, b) => b - a);
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
    if (prev && (prev.page !== line.page || prev.y - line.y > Math.max(prev.size, line.size) * 1.6 || line.y > prev.y)) {
      // A new page continues the paragraph only if the previous line did not end a sentence.
      if (!(prev.page !== line.page && !/[.!?:"”)]\s*$/.test(prev.text))) flush();
    }
    para.push(line);
  }
  flush();
}

function bodySize(lines: Line[]): number {
  const weights = new Map<number, number>();
  for (const l of lines) weights.set(Math.round(l.size * 2) / 2, (weights.get(Math.round(l.size * 2) / 2) ?? 0) + l.text.length);
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
