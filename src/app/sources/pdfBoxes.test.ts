import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { platform } from '#platform';
import { chunkDocument, parseBytes } from '../../core';
import { FIXTURES_DIR } from '../../../scripts/lib/paths';
import { lineBoxes, passageItems } from './pdfBoxes';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('boxing a passage on its PDF page', () => {
  test('every passage of a real handbook page (two columns, a figure with labels): its prose is boxed, no label inside the figure is', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, 'pdf/amt_handbook_sample.pdf')));
    const doc = await parseBytes(bytes, 'amt_handbook_sample.pdf');
    const chunks = chunkDocument(doc, (t) => words(t), { maxTokens: 120, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    const pdfjs = await platform.loadPdfjs();
    const pdf = await pdfjs.getDocument({ data: bytes.slice() }).promise;
    const items = (await (await pdf.getPage(1)).getTextContent()).items.filter(
      (i): i is Extract<typeof i, { str: string }> => 'str' in i,
    );
    // The figure's labels are the 8 pt runs above its captions, e.g. "Elastic stop nut", "Locking
    // shoulder" — words that also occur in the prose (whose text is 10 pt, fractions 6 pt).
    const captionTop = Math.max(
      ...items.filter((i) => i.str.startsWith('Figure 7-2') && i.str.endsWith('.')).map((i) => i.transform[5]!),
    );
    const labels = new Set(
      items.flatMap((it, i) =>
        it.str.trim() && Math.round(it.transform[0]!) === 8 && it.transform[5]! > captionTop ? [i] : [],
      ),
    );
    expect([...labels].map((i) => items[i]!.str)).toEqual(
      expect.arrayContaining(['Elastic stop nut', 'Locking shoulder', 'Nut case']),
    );
    const labelText = new Set([...labels].flatMap((i) => items[i]!.str.split(/\s+/)));
    for (const chunk of chunks) {
      const boxed = passageItems(items, chunk.text);
      // A passage of the figure's labels and captions alone (the parser keeps the labels as text
      // after the prose) is rightly boxed on them; every passage with prose boxes none of them.
      const prose = chunk.text.split(/\s+/).filter((w) => w && !labelText.has(w) && !/^(?:Figure|\d)/.test(w));
      if (prose.length > 12) expect([...boxed].filter((i) => labels.has(i)).map((i) => items[i]!.str)).toEqual([]);
      // The prose is found: most of the chunk's words are in boxed runs.
      const boxedWords = [...boxed].reduce((n, i) => n + words(items[i]!.str), 0);
      expect(boxedWords).toBeGreaterThan(words(chunk.text) * 0.6);
    }
    await pdf.destroy();
  });

  test('a word broken by a hyphen at a line end is found whole', () => {
    const items = [{ str: 'the typewriter revolu-' }, { str: 'tionized written communication' }];
    expect([...passageItems(items, 'the typewriter revolutionized written communication')].sort()).toEqual([0, 1]);
  });

  test('runs on one line become one box; runs in the other column stay apart', () => {
    const boxes = lineBoxes([
      { left: 10, top: 100, width: 50, height: 10 },
      { left: 62, top: 100, width: 40, height: 10 },
      { left: 300, top: 100, width: 60, height: 10 },
      { left: 10, top: 113, width: 90, height: 10 },
    ]);
    expect(boxes).toEqual([
      { left: 10, top: 100, width: 92, height: 10 },
      { left: 300, top: 100, width: 60, height: 10 },
      { left: 10, top: 113, width: 90, height: 10 },
    ]);
  });
});
