import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { chunkDocument, parseBytes } from '../../core';
import { RichText } from './RichText';
import { FIXTURES_DIR } from '../../../scripts/lib/paths';
import { FORMAT_FILES } from '../../../scripts/lib/office';
import fs from 'node:fs';
import path from 'node:path';

// Problem 10 of issue 11: table passages from DOCX/HTML read as `$ | 19,984,378 |`. A real table
// passage (the DOCX fixture with tables, parsed and chunked as the library does) renders as a table.
test('a table passage from a Word file is shown as a table, each cell in its own cell', async () => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, 'docx/mammoth-tables.docx')));
  const doc = await parseBytes(bytes, 'mammoth-tables.docx');
  const chunks = chunkDocument(doc, (t) => t.split(/\s+/).length);
  const withRows = chunks.find((c) => c.text.includes(' | '));
  expect(withRows).toBeDefined();
  const html = renderToStaticMarkup(createElement(RichText, { text: withRows!.text }));
  expect(html).toContain('<table>');
  const cells = [...html.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
  expect(cells.length).toBeGreaterThan(1);
  for (const c of cells) expect(c).not.toContain('|');
  expect(html.replace(/<table>[\s\S]*<\/table>/g, '')).not.toMatch(/\S \| \S/);
});

// Issue 23, problem 6: a CSV row's source read "Row 3: Name: Bram de Vries; Instrument: oboe, …"
// as a sentence. Parsed and chunked as the library does, its rows render as a table under the
// column names, each value in its cell and marks still on the right characters.
test('rows of a CSV are shown as a table with their column names as its header', async () => {
  const doc = await parseBytes(new Uint8Array(FORMAT_FILES['members.csv']), 'members.csv');
  const text = chunkDocument(doc, (t) => t.split(/\s+/).length)
    .map((c) => c.text)
    .find((t) => t.includes('Bram de Vries'))!;
  const at = text.indexOf('oboe, English horn');
  const html = renderToStaticMarkup(
    createElement(RichText, { text, ranges: [{ start: at, end: at + 'oboe, English horn'.length }] }),
  );
  expect([...html.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => m[1])).toEqual([
    'Row',
    'Name',
    'Instrument',
    'Joined',
  ]);
  const row = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => m[1]!).find((r) => r.includes('Bram de Vries'))!;
  expect([...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''))).toEqual([
    '3',
    'Bram de Vries',
    'oboe, English horn',
    '2021',
  ]);
  expect(row).toMatch(/<mark[^>]*>oboe, English horn<\/mark>/);
});
