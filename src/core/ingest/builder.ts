import type { TableData } from '../table/types';
import type { Block, BlockKind, DocType, PageBox, ParsedDocument } from '../types';

const BLOCK_SEPARATOR = '\n\n';

/**
 * Collects the blocks a parser finds, tracks the heading path, and lays the text out so every
 * block has exact character offsets into `text`. All parsers go through this one class, so
 * locations mean the same thing for every format.
 */
export class DocumentBuilder {
  private parts: string[] = [];
  private length = 0;
  private readonly blocks: Block[] = [];
  private readonly headingStack: { level: number; text: string }[] = [];
  private maxPage = 0;

  constructor(private readonly type: DocType) {}

  heading(text: string, level: number, page?: number): void {
    const clean = normaliseInline(text);
    if (!clean) return;
    while (this.headingStack.length && this.headingStack[this.headingStack.length - 1]!.level >= level) {
      this.headingStack.pop();
    }
    this.headingStack.push({ level, text: clean });
    this.push(clean, 'heading', page, level);
  }

  block(text: string, kind: Exclude<BlockKind, 'heading'> = 'paragraph', page?: number): void {
    const clean = kind === 'code' ? text.replace(/\s+$/, '').replace(/^\n+/, '') : normaliseInline(text);
    if (!clean.trim()) return;
    this.push(clean, kind, page);
  }

  /**
   * Recognised lines (OCR) as one block, each line keeping its box on the page: the text is the
   * lines joined (words hyphenated across a line break mended), and the block records where each
   * line starts, so a passage can name exactly the lines it covers.
   */
  lines(lines: { text: string; box: PageBox }[], kind: 'paragraph' | 'heading' = 'paragraph', level = 1): void {
    const parts: { text: string; box: PageBox }[] = lines
      .map((l) => ({ text: normaliseInline(l.text), box: l.box }))
      .filter((l) => l.text);
    if (!parts.length) return;
    let text = '';
    const offsets: number[] = [];
    for (const part of parts) {
      if (text.endsWith('-') && /^\p{Ll}/u.test(part.text) && /\p{L}-$/u.test(text)) {
        text = text.slice(0, -1);
        offsets.push(text.length);
        text += part.text;
      } else {
        if (text) text += ' ';
        offsets.push(text.length);
        text += part.text;
      }
    }
    const page = parts[0]!.box.page;
    if (kind === 'heading') {
      while (this.headingStack.length && this.headingStack[this.headingStack.length - 1]!.level >= level)
        this.headingStack.pop();
      this.headingStack.push({ level, text });
    }
    const block = this.push(text, kind, page, kind === 'heading' ? level : undefined);
    block.boxes = parts.map((p) => p.box);
    block.boxStarts = offsets.map((o) => block.start + o);
  }

  get headings(): string[] {
    return this.headingStack.map((h) => h.text);
  }

  build(extra: { title?: string; pageCount?: number; ocrPages?: number[]; tables?: TableData[] } = {}): ParsedDocument {
    const pageCount = extra.pageCount ?? (this.maxPage || undefined);
    const title = extra.title && meaningfulTitle(extra.title);
    return {
      type: this.type,
      text: this.parts.join(''),
      blocks: this.blocks,
      ...(title ? { title } : {}),
      ...(pageCount ? { pageCount } : {}),
      ...(extra.ocrPages?.length ? { ocrPages: extra.ocrPages } : {}),
      ...(extra.tables?.length ? { tables: extra.tables } : {}),
    };
  }

  private push(text: string, kind: BlockKind, page: number | undefined, level?: number): Block {
    if (this.parts.length) {
      this.parts.push(BLOCK_SEPARATOR);
      this.length += BLOCK_SEPARATOR.length;
    }
    const start = this.length;
    this.parts.push(text);
    this.length += text.length;
    if (page && page > this.maxPage) this.maxPage = page;
    const block: Block = {
      kind,
      start,
      end: this.length,
      headings: this.headings,
      ...(level ? { level } : {}),
      ...(page ? { page } : {}),
    };
    this.blocks.push(block);
    return block;
  }
}

/** Collapses runs of white space (including non-breaking and zero-width ones) to single spaces. */
export function normaliseInline(text: string): string {
  return text
    .replace(/[\u200B-\u200D\uFEFF\u00AD]/g, '')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

/**
 * A document's own title as a person would say it, or undefined for what tools leave in the
 * metadata instead: a URL (a page printed from a browser: "about:blank"), a file name
 * ("glxz-10k_20211231.htm", "report.docx"), "Untitled", or a word processor's prefix
 * ("Microsoft Word - plan.doc", which is a file name again).
 */
export function meaningfulTitle(raw: string): string | undefined {
  const title = raw
    .replace(/\s+/g, ' ')
    .replace(/^Microsoft (Word|PowerPoint|Excel) - /i, '')
    .trim();
  if (!/\p{L}/u.test(title)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(title) && !/\s/.test(title)) return undefined;
  if (/^[^\s/\\]+\.(x?html?|pdf|docx?|odt|rtf|txt|md|pptx?|xlsx?|ods|csv|tsv|epub|jpe?g|png|tiff?)$/i.test(title))
    return undefined;
  if (/^(untitled|untitled document|document\d*|new document|title)$/i.test(title)) return undefined;
  return title;
}
