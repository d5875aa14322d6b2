import { FolioError } from '../errors';
import { imageFormat } from '../ocr/imageInfo';
import type { DocType } from '../types';
import { zipNames } from './zip';

const SUPPORTED =
  'Folio reads PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), OpenDocument (.odt, .ods), EPUB, RTF, CSV/TSV, HTML, Markdown and plain-text files, and images of pages (PNG, JPEG, WebP, GIF, BMP, TIFF)';

/** Signatures of common binary formats people drop by mistake, so the error can name them. */
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF executable)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows program' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old-style Office file (.doc/.xls/.ppt); save it as .docx, .xlsx or .pptx',
  },
  { bytes: [0x49, 0x44, 0x33], what: 'an MP3 audio file' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'a SQLite database' },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: 'a RIFF media file' },
];

const TEXT_EXTENSIONS = new Set(['txt', 'text', 'log', 'json', 'rst', 'org', 'tex', 'yaml', 'yml', 'ini']);
const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml']);
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdown', 'mkd', 'mdx']);
const IMAGE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'gif',
  'webp',
  'bmp',
  'dib',
  'tif',
  'tiff',
  'heic',
  'heif',
  'avif',
]);
/** ZIP-based formats: what names them inside the package, and what to call them in a message. */
const ZIP_FORMATS: { type: DocType; ext: string[]; what: string; test: (names: string[], head: string) => boolean }[] =
  [
    {
      type: 'docx',
      ext: ['docx', 'docm', 'dotx'],
      what: 'Word document',
      test: (n) => n.some((x) => x.startsWith('word/')),
    },
    {
      type: 'pptx',
      ext: ['pptx', 'pptm', 'ppsx', 'potx'],
      what: 'PowerPoint presentation',
      test: (n) => n.some((x) => x.startsWith('ppt/')),
    },
    {
      type: 'xlsx',
      ext: ['xlsx', 'xlsm', 'xltx'],
      what: 'Excel workbook',
      test: (n) => n.some((x) => x.startsWith('xl/')),
    },
    { type: 'epub', ext: ['epub'], what: 'EPUB book', test: (_, h) => h.includes('application/epub+zip') },
    {
      type: 'odt',
      ext: ['odt', 'ott'],
      what: 'OpenDocument text',
      test: (_, h) => h.includes('application/vnd.oasis.opendocument.text'),
    },
    {
      type: 'ods',
      ext: ['ods', 'ots'],
      what: 'OpenDocument spreadsheet',
      test: (_, h) => h.includes('application/vnd.oasis.opendocument.spreadsheet'),
    },
  ];

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
    // ODF and EPUB put their media type first, uncompressed; OOXML is known by its folders.
    const head = asciiHead(bytes, 256);
    const names = zipNames(bytes);
    const byContent = names ? ZIP_FORMATS.find((f) => f.test(names, head)) : ZIP_FORMATS.find((f) => f.test([], head));
    if (byContent) return byContent.type;
    const byName = ZIP_FORMATS.find((f) => f.ext.includes(ext));
    // Named as one, but no directory to tell: damaged; the parser says so.
    if (byName && !names) return byName.type;
    if (byName)
      throw new FolioError(
        'corrupt-file',
        `it is named .${ext} but is not a valid ${byName.what} (the package has none of its parts)`,
        fileName,
      );
    throw new FolioError('unsupported-type', `it is a ZIP archive, not a document. ${SUPPORTED}.`, fileName);
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && isEncryptedOffice(bytes)) {
    throw new FolioError(
      'encrypted-file',
      'it is password-protected; open it, save a copy without a password, and add that',
      fileName,
    );
  }
  const zipped = ZIP_FORMATS.find((f) => f.ext.includes(ext));
  if (zipped) {
    throw new FolioError(
      'corrupt-file',
      `it is named .${ext} but is not a valid ${zipped.what} (it is not a ZIP package)`,
      fileName,
    );
  }
  if (ext === 'pdf') {
    throw new FolioError(
      'corrupt-file',
      'it is named .pdf but has no PDF header; the file is damaged or not a PDF',
      fileName,
    );
  }
  const image = imageFormat(bytes);
  if (image === 'heic') {
    throw new FolioError(
      'unsupported-type',
      'it is a HEIC photo, which Folio cannot decode yet; export it as JPEG or PNG (most photo apps can) and add that',
      fileName,
    );
  }
  if (image) return 'image';
  if (IMAGE_EXTENSIONS.has(ext)) {
    throw new FolioError(
      'corrupt-file',
      `it is named .${ext} but is not a readable image (its header is missing or damaged)`,
      fileName,
    );
  }
  for (const sig of BINARY_SIGNATURES) {
    if (startsWith(bytes, sig.bytes)) {
      throw new FolioError('unsupported-type', `it is ${sig.what}. ${SUPPORTED}.`, fileName);
    }
  }
  if (
    asciiHead(bytes, 8)
      .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
      .startsWith('{\\rtf')
  )
    return 'rtf';
  if (ext === 'rtf')
    throw new FolioError('corrupt-file', 'it is named .rtf but does not start like an RTF document', fileName);
  if (ext === 'csv') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';

  if (HTML_EXTENSIONS.has(ext)) return 'html';
  if (MARKDOWN_EXTENSIONS.has(ext)) return 'markdown';
  if (TEXT_EXTENSIONS.has(ext) || ext === '') {
    return /^\s*(<!doctype html|<html[\s>])/i.test(asciiHead(bytes, 512).replace(/^\uFEFF|^\xEF\xBB\xBF/, ''))
      ? 'html'
      : 'text';
  }
  throw new FolioError('unsupported-type', `“.${ext}” files are not supported. ${SUPPORTED}.`, fileName);
}

/**
 * A password-protected .docx/.xlsx/.pptx is not a ZIP at all: Office wraps the encrypted package
 * in an OLE compound file with streams named "EncryptionInfo" and "EncryptedPackage".
 */
function isEncryptedOffice(bytes: Uint8Array): boolean {
  const needle = 'EncryptedPackage';
  const limit = Math.min(bytes.length, 4 * 1024 * 1024);
  outer: for (let i = 0; i + needle.length * 2 <= limit; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (bytes[i + j * 2] !== needle.charCodeAt(j) || bytes[i + j * 2 + 1] !== 0) continue outer;
    }
    return true;
  }
  return false;
}
