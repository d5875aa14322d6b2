import path from 'node:path';
import { expect, test } from 'vitest';
import { firstDownload } from '../../scripts/lib/firstDownload';

/**
 * The page's first download stays within its budget (issue 22: initial JavaScript ≤ 150 KB gzip).
 * It crept to 164.6 KB once without anyone noticing: one small helper imported from the answer
 * pipeline took the whole pipeline along. Read from the production build this project's setup made.
 */
test('the JavaScript index.html loads before anything lazy is at most 150 KB gzip, without the answer pipeline', () => {
  const files = firstDownload(path.resolve('dist-test'));
  expect(files.length).toBeGreaterThan(0);
  const total = files.reduce((n, f) => n + f.gzip, 0);
  console.log(`first download: ${total.toLocaleString('en')} bytes gzip in ${files.length} files`);
  expect(total, files.map((f) => `${f.file} ${f.gzip}`).join('\n')).toBeLessThanOrEqual(150_000);
  // Answering (its prompt is one of its strings) loads when the page is idle, not first.
  expect(files.filter((f) => f.text.includes('You answer questions using only the numbered sources'))).toEqual([]);
});
