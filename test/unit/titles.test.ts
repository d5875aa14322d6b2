import { expect, test } from 'vitest';
import { questionsFromHeadings } from '../../src/app/conversation/samples';
import { meaningfulTitle, parseBytes } from '../../src/core';
import { buildPdf } from '../../scripts/lib/pdf';

// Issue 23, problem 15: sample questions read "What is about:blank about?" (a scan's PDF metadata
// title) and "What is glxz-10k_20211231.htm about?" (a 10-K's HTML title).
const pdfTitled = (title: string) =>
  buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      '<< /Length 58 >>\nstream\nBT /F1 12 Tf 72 720 Td (Harbour records of the year.) Tj ET\nendstream',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Title (${title}) >>`,
    ],
    '/Info 6 0 R',
  );

test('metadata that is not a title is not taken for one', async () => {
  expect((await parseBytes(pdfTitled('about:blank'), 'scan.pdf')).title).toBeUndefined();
  expect((await parseBytes(pdfTitled('Microsoft Word - minutes.doc'), 'minutes.pdf')).title).toBeUndefined();
  expect((await parseBytes(pdfTitled('Harbour Records 1901'), 'h.pdf')).title).toBe('Harbour Records 1901');
  const html = (title: string) =>
    new TextEncoder().encode(
      `<html><head><title>${title}</title></head><body><p>${'Revenue rose. '.repeat(30)}</p></body></html>`,
    );
  expect((await parseBytes(html('glxz-10k_20211231.htm'), 'glxz.htm')).title).toBeUndefined();
  expect((await parseBytes(html('Galaxy Gaming annual report'), 'glxz.htm')).title).toBe('Galaxy Gaming annual report');
  for (const t of ['Untitled', 'https://example.org/a', 'report.docx', '2021-12-31'])
    expect(meaningfulTitle(t)).toBeUndefined();
  expect(meaningfulTitle('Notes on C++: a primer')).toBe('Notes on C++: a primer');
});

test('sample questions ask about a title only when the document has one', () => {
  expect(questionsFromHeadings(['Tides', 'Cargo'], '')).toEqual([
    'What does it say about Tides?',
    'What does it say about Cargo?',
  ]);
  expect(questionsFromHeadings(['Tides'], 'Harbour Records 1901')).toContain('What is Harbour Records 1901 about?');
  // A heading's own number is not a section number: "1910s–1950s" read "s–1950s" in the app.
  expect(questionsFromHeadings(['1910s–1950s', '3.1 Pre-training BERT'], '')).toEqual([
    'What does it say about 1910s–1950s?',
    'What does it say about Pre-training BERT?',
  ]);
});
