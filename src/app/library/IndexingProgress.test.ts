import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { imagePdf, pageImage } from '../../../scripts/lib/ocr';
import { parseBytes } from '../../core';
import { IndexingProgress } from './IndexingProgress';
import type { FileProgress } from './useIndexingProgress';

// Issue 23, problem 13: a scan's row showed an empty bar while it was recognised. The progress
// the real parser reports for a real two-page scan is rendered as the sidebar renders it.
test('a scan being recognised shows "Recognising page n of m" and a bar that fills by page', async () => {
  const seen: FileProgress[] = [];
  const scan = imagePdf([
    await pageImage(['The ledger of the harbour master, first page.', 'Ships came in at dawn.'], {
      dpi: 150,
      format: 'jpeg',
    }),
    await pageImage(['The second page lists the cargo.', 'Timber, salt and wool.'], { dpi: 150, format: 'jpeg' }),
  ]);
  await parseBytes(scan, 'ledger.pdf', {
    onProgress: (stage, done, total) =>
      seen.push({ file: 'ledger.pdf', fileIndex: 0, fileCount: 1, stage, done, total } as FileProgress),
  });
  const pages = seen.filter((p) => p.stage === 'recognising');
  expect(pages.map((p) => p.done)).toEqual([0, 1, 2]);
  const render = (p: FileProgress) =>
    renderToStaticMarkup(createElement(IndexingProgress, { files: [p], onCancel: () => {} }));
  const first = render(pages[0]!);
  expect(first).toContain('Recognising page 1 of 2');
  expect(first).toMatch(/<progress[^>]*value="0"[^>]*max="2"/);
  const second = render(pages[1]!);
  expect(second).toContain('Recognising page 2 of 2');
  expect(second).toMatch(/<progress[^>]*value="1"[^>]*max="2"/);
}, 120_000);
