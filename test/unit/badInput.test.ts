import { describe, expect, test } from 'vitest';
import type { AddOutcome, FileInput } from '../../src/core';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';
import { brokenXref, encryptedPdf, randomBytes, scannedPdf, truncated } from '../../scripts/lib/pdf';
import { blankPng, corruptPng, pageImage, pixelBombPng } from '../../scripts/lib/ocr';
import { odt, epub } from '../../scripts/lib/office';
import { stubEmbedder } from '../helpers/stubEmbedder';
import { makeZip, zipBombDocx } from '../../scripts/lib/zip';

const officeCrypto = (await import('officecrypto-tool')).default as {
  encrypt(input: Buffer, opts: { password: string }): Buffer;
};

const utf8 = (s: string) => new TextEncoder().encode(s);
const pdfBytes = fixture(FIXTURE_FILES.pdf).data as Uint8Array;

/** Each bad input, the error code it must produce, and words its reason must contain. */
const BAD: [FileInput, string, RegExp][] = [
  // Images are read by OCR now; these are the ones that cannot be.
  [
    { name: 'holiday.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) },
    'corrupt-file',
    /PNG image is damaged/,
  ],
  [{ name: 'bomb.png', data: pixelBombPng() }, 'image-too-large', /100,000 × 100,000 pixels.*decompression bomb/],
  [
    { name: 'scrambled.png', data: corruptPng(await pageImage(['Some text to scramble.'], { dpi: 100 })) },
    'corrupt-file',
    /PNG image is damaged \(the checksum of its IDAT chunk is wrong\)/,
  ],
  [{ name: 'blank.png', data: await blankPng() }, 'no-text', /no text was found in the image/],
  [
    { name: 'photo.heic', data: new Uint8Array([0, 0, 0, 24, ...utf8('ftypheic'), 0, 0, 0, 0, ...utf8('mif1heic')]) },
    'unsupported-type',
    /HEIC photo.*export it as JPEG/,
  ],
  [{ name: 'data.xyz', data: utf8('some words') }, 'unsupported-type', /not supported/],
  [{ name: 'empty.txt', data: new Uint8Array(0) }, 'empty-file', /empty/],
  [{ name: 'blank.md', data: utf8('   \n\n  \t\n') }, 'no-text', /no readable text/],
  [{ name: 'cut-off.pdf', data: truncated(pdfBytes) }, 'corrupt-file', /incomplete|damaged/],
  [{ name: 'locked.pdf', data: encryptedPdf() }, 'encrypted-pdf', /password/],
  // A "scan" of a grey box: no text layer, and OCR finds no text on it either.
  [{ name: 'scan.pdf', data: scannedPdf() }, 'no-text', /no text layer and text recognition found no text/],
  [{ name: 'big.txt', data: utf8('long text. '.repeat(200_000)) }, 'file-too-large', /more than the 1\.0 MB limit/],
  [{ name: 'noise.txt', data: randomBytes(50_000) }, 'not-text', /binary/],
  [{ name: 'broken.docx', data: utf8('PK this is not really a zip') }, 'corrupt-file', /not a valid Word document/],
  [{ name: 'bomb.docx', data: zipBombDocx(300 * 2 ** 20) }, 'corrupt-file', /ZIP bomb.*expands \d+ times/],
  [
    { name: 'lying-bomb.docx', data: zipBombDocx(300 * 2 ** 20, { lie: true }) },
    'corrupt-file',
    /ZIP bomb.*more than its header says/,
  ],
  [
    {
      name: 'locked.xlsx',
      data: new Uint8Array(
        officeCrypto.encrypt(
          Buffer.from(
            makeZip([
              { name: '[Content_Types].xml', data: '<Types/>' },
              { name: 'xl/workbook.xml', data: '<workbook/>' },
            ]),
          ),
          { password: 'folio' },
        ),
      ),
    },
    'encrypted-file',
    /password-protected/,
  ],
  [
    { name: 'locked.odt', data: odt([{ heading: 'Secret', paragraphs: ['Hidden words.'] }], { encrypted: true }) },
    'encrypted-file',
    /password-protected/,
  ],
  [
    { name: 'drm.epub', data: epub('Locked', [{ title: 'One', paragraphs: ['Encrypted words.'] }], { drm: true }) },
    'encrypted-file',
    /DRM/,
  ],
  [
    { name: 'bomb.xlsx', data: makeZip([{ name: 'xl/workbook.xml', data: new Uint8Array(300 * 2 ** 20) }]) },
    'corrupt-file',
    /ZIP bomb, not an Excel workbook.*expands \d+ times/,
  ],
  [
    {
      name: 'cut.pptx',
      data: truncated(
        makeZip([
          { name: 'ppt/presentation.xml', data: 'x'.repeat(5000) },
          { name: 'ppt/slides/slide1.xml', data: 'y'.repeat(5000) },
        ]),
        0.6,
      ),
    },
    'corrupt-file',
    /not a valid PowerPoint presentation/,
  ],
  [
    { name: 'fake.docx', data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('word/document.xml garbage')]) },
    'corrupt-file',
    /not a readable Word document/,
  ],
];

describe('bad input: a clear error per file, the rest of the batch indexed, the store intact', () => {
  test.each(BAD.map(([f, code, reason]) => [f.name, code, f, reason] as const))(
    '%s → %s',
    async (_name, code, bad, reason) => {
      const lib = await freshLibrary({ maxFileBytes: 1024 * 1024, embedder: stubEmbedder() });
      try {
        await lib.addFiles([fixture(FIXTURE_FILES.markdown)]);
        const before = await lib.search('Which company is nicknamed Big Blue?', { k: 2, mode: 'dense' });
        const out = await lib.addFiles([fixture(FIXTURE_FILES.docx), bad, fixture(FIXTURE_FILES.text)]);
        expect(out.map((o) => o.status)).toEqual(['added', 'failed', 'added']);
        const failed = out[1] as Extract<AddOutcome, { status: 'failed' }>;
        expect(failed.error.code).toBe(code);
        expect(failed.error.fileName).toBe(bad.name);
        expect(failed.error.message.startsWith(`${bad.name}: `)).toBe(true);
        expect(failed.error.reason).toMatch(reason);
        const report = await lib.checkIntegrity();
        expect(report.problems).toEqual([]);
        expect((await lib.listDocuments()).map((d) => d.name).sort()).toEqual([
          'war-and-peace-1p.txt',
          'wiki-ibm.md',
          'word_sample.docx',
        ]);
        // Vectors untouched: dense results identical. (Keyword scores legitimately shift as the
        // collection grows, so hybrid is checked by its top passage.)
        expect(await lib.search('Which company is nicknamed Big Blue?', { k: 2, mode: 'dense' })).toEqual(before);
        expect((await lib.search('Which company is nicknamed Big Blue?', { k: 1 }))[0]!.chunkIndex).toBe(
          before[0]!.chunkIndex,
        );
      } finally {
        lib.close();
      }
    },
  );
});

describe('damaged but readable input is repaired, not refused', () => {
  test('a PDF whose cross-reference table is broken is rebuilt by pdf.js and indexed in full', async () => {
    const broken = brokenXref(pdfBytes);
    expect(broken.length).toBe(pdfBytes.length);
    expect(broken).not.toEqual(pdfBytes);
    const lib = await freshLibrary({ embedder: stubEmbedder() });
    try {
      const [good] = await lib.addFiles([fixture(FIXTURE_FILES.pdf)]);
      const goodDoc = (await lib.listDocuments())[0]!;
      await lib.removeDocument(goodDoc.id);
      const [repaired] = await lib.addFiles([{ name: 'broken-xref.pdf', data: broken }]);
      expect(good!.status).toBe('added');
      expect(repaired!.status).toBe('added');
      const doc = (await lib.listDocuments())[0]!;
      expect(doc.pageCount).toBe(goodDoc.pageCount);
      expect(doc.chunkCount).toBe(goodDoc.chunkCount);
      expect((await lib.checkIntegrity()).problems).toEqual([]);
    } finally {
      lib.close();
    }
  });
});
