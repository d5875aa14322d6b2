import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Library, SearchHit } from '../../src/core';
import { parseBytes } from '../../src/core';
import { FORMAT_FILES } from '../../scripts/lib/office';
import { freshLibrary } from '../../scripts/lib/library';

let lib: Library;
beforeAll(async () => {
  lib = await freshLibrary();
  const out = await lib.addFiles(Object.entries(FORMAT_FILES).map(([name, data]) => ({ name, data })));
  expect(out.map((o) => [o.file, o.status])).toEqual(Object.keys(FORMAT_FILES).map((n) => [n, 'added']));
});
afterAll(() => lib?.close());

/** A passage's page range includes `page` (small sections are merged with the next by the chunker, so a passage may span slides or sheets). */
function expectOnPage(hit: SearchHit, page: number) {
  expect(hit.location.page).toBeLessThanOrEqual(page);
  expect(hit.location.pageEnd ?? hit.location.page).toBeGreaterThanOrEqual(page);
}

async function top(query: string, doc: string): Promise<SearchHit> {
  const hits = await lib.search(query, { k: 3 });
  expect(hits[0]?.docName, `${query} → ${hits.map((h) => h.docName)}`).toBe(doc);
  return hits[0]!;
}

describe('every new format is indexed, found by search and cited with its location', () => {
  test('PPTX: slides in presentation order are pages, the title is the heading, speaker notes are included', async () => {
    const docs = await lib.listDocuments();
    expect(docs.find((d) => d.name === 'deck.pptx')).toMatchObject({ type: 'pptx', pageCount: 2 });
    const notes = await top('When does the cider press open?', 'deck.pptx');
    expect(notes.text).toContain('cider press opens on the first of October');
    expectOnPage(notes, 1);
    const budget = await top('How much does the orchard spend on bird netting?', 'deck.pptx');
    expectOnPage(budget, 2);
    expect(budget.location.headings).toEqual(['Budget']);
    // Slide numbers are furniture, not text; notes sit under their slide's title.
    const parsed = await parseBytes(FORMAT_FILES['deck.pptx'], 'deck.pptx');
    const notesBlock = parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).startsWith('Remind the growers'));
    expect(notesBlock).toMatchObject({ page: 1, headings: ['Harvest plan', 'Speaker notes'] });
    expect(parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).startsWith('The orchard spends'))).toMatchObject(
      { page: 2, headings: ['Budget'] },
    );
    expect(parsed.text.split('\n\n')).toEqual([
      'Harvest plan',
      'Apples are picked in late September.',
      'Pears follow two weeks later.',
      'Speaker notes',
      'Remind the growers that the cider press opens on the first of October.',
      'Budget',
      'The orchard spends 12,000 euros a year on netting against birds.',
    ]);
  });

  test('XLSX: each row reads alone with its column names; the sheet is the heading and the page; dates are dates', async () => {
    const hit = await top('Who drives Van 7 and when was it last serviced?', 'fleet.xlsx');
    expect(hit.text).toContain(
      'Row 2: Vehicle: Van 7; Driver: Priya Natarajan; Mileage: 48210; Last service: 2024-03-15',
    );
    expectOnPage(hit, 2);
    expect(hit.location.headings).toEqual(['Vehicles']);
    const parsed = await parseBytes(FORMAT_FILES['fleet.xlsx'], 'fleet.xlsx');
    expect(parsed.pageCount).toBe(2);
    expect(parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).startsWith('Row 2: Vehicle'))).toMatchObject({
      page: 2,
      headings: ['Vehicles'],
      kind: 'table-row',
    });
    expect(parsed.text).toContain(
      'Row 3: Vehicle: Truck 2; Driver: Tomasz Kowalczyk; Mileage: 120455; Last service: 2023-11-02',
    );
  });

  test('ODS: rows with their column names; a million repeated empty rows cost nothing', async () => {
    const hit = await top('Which shelf holds the brass hinges?', 'stock.ods');
    expect(hit.text).toContain('Row 2: Item: Brass hinges; Shelf: B4; Count: 340');
    expect(hit.location).toMatchObject({ page: 1, headings: ['Inventory'] });
    const parsed = await parseBytes(FORMAT_FILES['stock.ods'], 'stock.ods');
    expect(parsed.blocks.length).toBe(3); // heading + two rows
  });

  test('CSV and TSV: quoted fields and each row carrying its header', async () => {
    const csv = await top('Which instruments does Bram de Vries play?', 'members.csv');
    expect(csv.text).toContain('Row 3: Name: Bram de Vries; Instrument: oboe, English horn; Joined: 2021');
    const tsv = await top('How much rain fell in Cardiff in January?', 'rainfall.tsv');
    expect(tsv.text).toContain('Row 3: Station: Cardiff; Month: January; Rainfall (mm): 141');
  });

  test('EPUB: chapters in spine order, titled from the table of contents', async () => {
    const hit = await top('What is a lichen?', 'guide.epub');
    expect(hit.text).toContain('partnership of a fungus and an alga');
    expect(hit.location.headings).toEqual(['Chapter 2: Lichens']);
    const parsed = await parseBytes(FORMAT_FILES['guide.epub'], 'guide.epub');
    expect(parsed.title).toBe('A Field Guide');
    expect(parsed.text.indexOf('Mosses have no roots')).toBeLessThan(parsed.text.indexOf('A lichen is'));
  });

  test('ODT: headings with their levels, paragraphs, ODF spaces', async () => {
    const hit = await top('What colour will the boathouse be painted?', 'minutes.odt');
    expect(hit.text).toContain('repaint the boathouse in green');
    expect(hit.location.headings).toEqual(['Decisions']);
  });

  test("RTF: text, escapes (\\'e9, \\u) and headings; font tables and metadata left out", async () => {
    const hit = await top('Which floor does the accounts team move to?', 'memo.rtf');
    expect(hit.location.headings).toEqual(['Office move']);
    const parsed = await parseBytes(FORMAT_FILES['memo.rtf'], 'memo.rtf');
    expect(parsed.text).toBe(
      'Office move\n\nThe accounts team moves to the third floor on 4 June.\n\nCafé Zoë opens in the lobby — bring your own cup.',
    );
  });
});
