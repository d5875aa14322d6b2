import { FolioError } from '../errors';
import type { DocType } from '../types';

const SUPPORTED = 'Folio reads PDF, Word (.docx), HTML, Markdown and plain-text files';

/** Signatures of common binary formats people drop by mistake, so the error can name them. */
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF executable)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows program' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old-style Office file (.doc/.xls); save it as .docx' },
  { bytes: [0x49, 0x44, 0x33], what: 'an MP3 audio file' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'a SQLite database' },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: 'a RIFF media file' },
];

const TEXT_EXTENSIONS = new Set(['txt', 'text', 'csv', 'tsv', 'log', 'json', 'rst', 'org', 'tex', 'yaml', 'yml', 'ini']);
const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml']);
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdown', 'mkd', 'mdx']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

function asciiHead(bytes: Uint8Array, n: number): string {
  let s = '';
  const end = Math.min(bytes.length, n);
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * Decides what a file is from its bytes first (magic numbers), then its extension. The name alone
 * is never trusted: a PDF renamed to .txt is still read as a PDF, and a PNG named .md is refused.
 */
export function detectType(bytes: Uint8Array, fileName: string): DocType {
  const ext = extensionOf(fileName);
  // The PDF header may sit anywhere in the first 1024 bytes.
  if (asciiHead(bytes, 1024).includes('%PDF-')) return 'pdf';

  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const head = asciiHead(bytes, 64 * 1024);
    if (ext === 'docx' || head.includes('word/')) return 'docx';
    throw new FolioError('unsupported-type', `it is a ZIP archive, not a document. ${SUPPORTED}.`, fileName);
  }
  if (ext === 'docx') {
    throw new FolioError('corrupt-file', 'it is named .docx but is not a valid Word document (it is not a ZIP package)', fileName);
  }
  if (ext === 'pdf') {
    throw new FolioError('corrupt-file', 'it is named .pdf but has no PDF header; the file is damaged or not a PDF', fileName);
  }
  for (const sig of BINARY_SIGNATURES) {
    if (startsWith(bytes, sig.bytes)) {
      throw new FolioError('unsupported-type', `it is ${sig.what}. ${SUPPORTED}.`, fileName);
    }
  }

  if (HTML_EXTENSIONS.has(ext)) return 'html';
  if (MARKDOWN_EXTENSIONS.has(ext)) return 'markdown';
  if (TEXT_EXTENSIONS.has(ext) || ext === '') {
    return /^\s*(<!doctype html|<html[\s>])/i.test(asciiHead(bytes, 512).replace(/^\uFEFF|^\xEF\xBB\xBF/, '')) ? 'html' : 'text';
  }
  throw new FolioError('unsupported-type', `“.${ext}” files are not supported. ${SUPPORTED}.`, fileName);
}
