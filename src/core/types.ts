import type { TableData } from './table/types';

export type DocType =
  | 'pdf'
  | 'docx'
  | 'html'
  | 'markdown'
  | 'text'
  /** A photo or scan of a page (PNG, JPEG, WebP, GIF, BMP, TIFF), read by OCR: one page. */
  | 'image'
  | 'pptx'
  | 'xlsx'
  | 'ods'
  | 'csv'
  | 'tsv'
  | 'epub'
  | 'odt'
  | 'rtf';

/** A region of a page in page-relative coordinates 0..1, origin top-left. */
export interface PageBox {
  /** 1-based page. */
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where a piece of text came from. Offsets index into the document's extracted text. */
export interface SourceLocation {
  /** 1-based page of the first character (PDF pages, slides, images). */
  page?: number;
  /** 1-based page of the last character, when a passage crosses a page break. */
  pageEnd?: number;
  /** Enclosing headings, outermost first. */
  headings: string[];
  start: number;
  end: number;
  /**
   * Where the text stands on its page images, line by line: set for text read by OCR, so a
   * citation can box the lines on the page.
   */
  boxes?: PageBox[];
}

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-row' | 'code' | 'quote';

export interface Block extends SourceLocation {
  kind: BlockKind;
  /** Heading level 1–6 for headings. */
  level?: number;
  /** With `boxes`: the offset in the text where each box's line starts (same order). */
  boxStarts?: number[];
}

export interface ParsedDocument {
  type: DocType;
  title?: string;
  /** All extracted text; blocks are separated by blank lines. */
  text: string;
  blocks: Block[];
  pageCount?: number;
  /** Pages whose text was read by OCR (1-based), when any were. */
  ocrPages?: number[];
  /** Its sheets and tables as typed columns, for questions computed over them (issue 24). */
  tables?: TableData[];
}

/** Anything with a name and bytes: a browser File, or a plain object in Node. */
export interface FileInput {
  name: string;
  /** Raw bytes, or a Blob/File to read them from. */
  data: Uint8Array | ArrayBuffer | Blob;
  /** MIME type if the platform knows it; only a hint. */
  mimeType?: string;
}
