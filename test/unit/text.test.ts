import { describe, expect, test } from 'vitest';
import { decodeText, type FolioError } from '../../src/core';
import { randomBytes } from '../../scripts/lib/pdf';

const PHRASE = 'Café déjà vu – “quoted” naïve façade';

function utf16(s: string, le: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let o = 0;
  if (bom) {
    out[o++] = le ? 0xff : 0xfe;
    out[o++] = le ? 0xfe : 0xff;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[o++] = le ? c & 0xff : c >> 8;
    out[o++] = le ? c >> 8 : c & 0xff;
  }
  return out;
}

describe('decodeText', () => {
  test('UTF-8 with and without a byte-order mark', () => {
    const utf8 = new TextEncoder().encode(PHRASE);
    expect(decodeText(utf8, 'a.txt')).toBe(PHRASE);
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), 'a.txt')).toBe(PHRASE);
  });

  test('UTF-16 little- and big-endian with a BOM, and little-endian without one', () => {
    expect(decodeText(utf16(PHRASE, true, true), 'a.txt')).toBe(PHRASE);
    expect(decodeText(utf16(PHRASE, false, true), 'a.txt')).toBe(PHRASE);
    expect(decodeText(utf16('Plain ASCII text without a mark.', true, false), 'a.txt')).toBe(
      'Plain ASCII text without a mark.',
    );
  });

  test('falls back to Windows-1252 for legacy single-byte files', () => {
    // "Café – 50€" in Windows-1252: é = 0xE9, en dash = 0x96, euro = 0x80 (invalid as UTF-8).
    const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x35, 0x30, 0x80]);
    expect(decodeText(bytes, 'legacy.txt')).toBe('Café – 50€');
  });

  test('refuses binary bytes with a reason naming the file', () => {
    let error: FolioError | undefined;
    try {
      decodeText(randomBytes(4096), 'notes.txt');
    } catch (err) {
      error = err as FolioError;
    }
    expect(error?.code).toBe('not-text');
    expect(error?.message).toMatch(/^notes\.txt: .*binary/);
  });
});
