import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { detectType, type FolioError } from '../../src/core';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';

const bytesOf = (rel: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, rel)));
const ascii = (s: string) => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as FolioError).code;
  }
  return undefined;
}

describe('detectType', () => {
  test('recognises each fixture by its bytes and name', () => {
    expect(detectType(bytesOf(FIXTURE_FILES.pdf), 'multi_page.pdf')).toBe('pdf');
    expect(detectType(bytesOf(FIXTURE_FILES.docx), 'word_sample.docx')).toBe('docx');
    expect(detectType(bytesOf(FIXTURE_FILES.html), 'wiki_duck.html')).toBe('html');
    expect(detectType(bytesOf(FIXTURE_FILES.markdown), 'wiki-ibm.md')).toBe('markdown');
    expect(detectType(bytesOf(FIXTURE_FILES.text), 'war-and-peace-1p.txt')).toBe('text');
  });

  test('trusts magic numbers over the file name', () => {
    expect(detectType(bytesOf(FIXTURE_FILES.pdf), 'renamed.txt')).toBe('pdf');
    expect(detectType(bytesOf(FIXTURE_FILES.docx), 'no-extension')).toBe('docx');
    expect(detectType(ascii('<!DOCTYPE html><html><body>hi</body></html>'), 'page.txt')).toBe('html');
  });

  test('images are known by their signature whatever they are called (and read by OCR)', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect(detectType(png, 'notes.md')).toBe('image');
    expect(detectType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]), 'scan')).toBe('image');
    expect(detectType(new Uint8Array([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP8 ')]), 'x.bin')).toBe('image');
    expect(detectType(ascii('GIF89a\x01\x00\x01\x00'), 'a.gif')).toBe('image');
    expect(detectType(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), 'fax.tif')).toBe('image');
    // Named as an image, but the bytes are not one.
    expect(codeOf(() => detectType(ascii('hello'), 'photo.jpg'))).toBe('corrupt-file');
  });

  test('a text file that begins with "BM" is text, a real BMP header is an image', () => {
    // SciFact abstract 368 begins so; it was refused as a BMP "decompression bomb".
    expect(
      detectType(ascii('BMI-1 Autoantibody responses are associated with type 1 diabetes in children.'), '368.txt'),
    ).toBe('text');
    const bmp = new Uint8Array(54);
    bmp.set(ascii('BM'));
    new DataView(bmp.buffer).setUint32(2, 54, true);
    new DataView(bmp.buffer).setUint32(14, 40, true);
    expect(detectType(bmp, 'scan.bmp')).toBe('image');
  });

  test('refuses known binary formats whatever they are called, naming what they are', () => {
    const gzip = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]);
    expect(codeOf(() => detectType(gzip, 'notes.md'))).toBe('unsupported-type');
    try {
      detectType(gzip, 'notes.md');
    } catch (err) {
      expect((err as FolioError).message).toMatch(/^notes\.md: .*gzip archive/);
    }
    expect(codeOf(() => detectType(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'old.doc'))).toBe(
      'unsupported-type',
    );
  });

  test('new formats are told apart by their package contents, not only their names', async () => {
    const { pptx, xlsx, ods, odt, epub, rtf } = await import('../../scripts/lib/office');
    expect(detectType(pptx([{ title: 'T', bullets: ['b'] }]), 'deck.zip')).toBe('pptx');
    expect(detectType(xlsx([{ name: 'S', rows: [['a']] }]), 'book')).toBe('xlsx');
    expect(detectType(ods([{ name: 'S', rows: [['a']] }]), 'sheet.bin')).toBe('ods');
    expect(detectType(odt([{ heading: 'H', paragraphs: ['p'] }]), 'letter')).toBe('odt');
    expect(detectType(epub('B', [{ title: 'C', paragraphs: ['p'] }]), 'book.zip')).toBe('epub');
    expect(detectType(rtf('H', ['p']), 'memo.txt')).toBe('rtf');
    expect(detectType(ascii('a,b\n1,2\n'), 'data.csv')).toBe('csv');
    expect(detectType(ascii('a\tb\n1\t2\n'), 'data.tsv')).toBe('tsv');
    expect(codeOf(() => detectType(ascii('hello'), 'deck.pptx'))).toBe('corrupt-file');
  });

  test('refuses unknown extensions and names claiming a format the bytes do not have', () => {
    expect(codeOf(() => detectType(ascii('hello'), 'data.xyz'))).toBe('unsupported-type');
    expect(codeOf(() => detectType(ascii('hello'), 'report.pdf'))).toBe('corrupt-file');
    expect(codeOf(() => detectType(ascii('hello'), 'letter.docx'))).toBe('corrupt-file');
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...ascii('photos/cat.jpg')]);
    expect(codeOf(() => detectType(zip, 'archive.zip'))).toBe('unsupported-type');
  });
});
