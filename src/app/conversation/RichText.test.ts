import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { chunkDocument, parseBytes } from '../../core';
import { RichText } from './RichText';
import { FIXTURES_DIR } from '../../../scripts/lib/paths';
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
