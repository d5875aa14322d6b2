import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

/**
 * Bytes → string. UTF-8 and UTF-16 are recognised by their byte-order mark (and UTF-16 without a
 * mark by its zero bytes); anything that is not valid UTF-8 falls back to Windows-1252, the
 * single-byte encoding legacy files almost always use. Bytes that decode to control characters
 * are refused: that is a binary file with a text name.
 */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    const utf16 = sniffUtf16(bytes);
    if (utf16) {
      text = new TextDecoder(utf16).decode(bytes);
    } else {
      if (bytes.includes(0)) throw notText(fileName);
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        text = decodeWindows1252(bytes);
      }
    }
  }
  if (looksBinary(text)) throw notText(fileName);
  return text;
}

// 0x80–0x9F in Windows-1252. Node's TextDecoder decodes these as C1 control characters (it
// treats the label as Latin-1), browsers as below; the table makes both agree.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const end = Math.min(bytes.length, i + 8192);
    let s = '';
    for (let j = i; j < end; j++) {
      const b = bytes[j]!;
      s += b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
    }
    parts.push(s);
  }
  return parts.join('');
}

function notText(fileName: string): FolioError {
  return new FolioError(
    'not-text',
    'it is named as text but contains binary data, so it cannot be read as a document',
    fileName,
  );
}

/** UTF-16 without a BOM: in Latin text every other byte is zero. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return 'utf-16le';
  if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return 'utf-16be';
  return null;
}

function looksBinary(text: string): boolean {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.02;
}

/** Plain text: paragraphs are separated by blank lines; single line breaks are soft wraps. */
export function parsePlainText(text: string): ParsedDocument {
  const builder = new DocumentBuilder('text');
  for (const para of splitParagraphs(text)) builder.block(para);
  return builder.build();
}

export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .filter((p) => p.trim());
}
