export type DocType = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

/** Where a piece of text came from. Offsets index into the document's extracted text. */
export interface SourceLocation {
  /** 1-based page of the first character (PDF only). */
  page?: number;
  /** 1-based page of the last character, when a passage crosses a page break. */
  pageEnd?: number;
  /** Enclosing headings, outermost first. */
  headings: string[];
  start: number;
  end: number;
}

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-row' | 'code' | 'quote';

export interface Block extends SourceLocation {
  kind: BlockKind;
  /** Heading level 1–6 for headings. */
  level?: number;
}

export interface ParsedDocument {
  type: DocType;
  title?: string;
  /** All extracted text; blocks are separated by blank lines. */
  text: string;
  blocks: Block[];
  pageCount?: number;
}

/** Anything with a name and bytes: a browser File, or a plain object in Node. */
export interface FileInput {
  name: string;
  /** Raw bytes, or a Blob/File to read them from. */
  data: Uint8Array | ArrayBuffer | Blob;
  /** MIME type if the platform knows it; only a hint. */
  mimeType?: string;
}
