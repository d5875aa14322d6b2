import { describe, expect, test } from 'vitest';
import { parseBytes, type ParsedDocument } from '../../src/core';
import { fixture } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

async function parse(rel: string): Promise<ParsedDocument> {
  const f = fixture(rel);
  return parseBytes(f.data as Uint8Array, f.name);
}

const slice = (doc: ParsedDocument, i: number) => doc.text.slice(doc.blocks[i]!.start, doc.blocks[i]!.end);
const headingTexts = (doc: ParsedDocument) =>
  doc.blocks.filter((b) => b.kind === 'heading').map((b) => doc.text.slice(b.start, b.end));

function expectOffsetsConsistent(doc: ParsedDocument) {
  let prevEnd = 0;
  for (let i = 0; i < doc.blocks.length; i++) {
    const b = doc.blocks[i]!;
    expect(b.start).toBeGreaterThanOrEqual(prevEnd);
    expect(b.end).toBeGreaterThan(b.start);
    expect(slice(doc, i).trim()).toBe(slice(doc, i));
    prevEnd = b.end;
  }
}

describe('ingest', () => {
  test('PDF: text layer with page numbers, headings by font size', async () => {
    const doc = await parse(FIXTURE_FILES.pdf);
    expect(doc.type).toBe('pdf');
    expect(doc.pageCount).toBe(5);
    expect(doc.text).toContain('Patented in 1868 by Christopher Latham Sholes');
    expect(headingTexts(doc)).toContain('The Birth of Word Processing (1960s - 1970s)');
    const pages = new Set(doc.blocks.map((b) => b.page));
    expect([...pages].sort()).toEqual([1, 2, 3, 4, 5]);
    // A paragraph under a heading carries that heading in its path.
    const para = doc.blocks.find((b) => doc.text.slice(b.start, b.end).includes('Patented in 1868'))!;
    expect(para.headings).toEqual(['Pre-Digital Era (19th - Early 20th Century)']);
    expect(para.page).toBe(1);
    expectOffsetsConsistent(doc);
  });

  test('PDF with columns and figures: all prose extracted, words not broken', async () => {
    const doc = await parse(FIXTURE_FILES.pdfColumns);
    expect(doc.pageCount).toBe(1);
    expect(doc.text).toContain('self-locking nuts');
    expect(doc.text).not.toMatch(/\w- \w/); // hyphenation at line ends mended
  });

  test('DOCX: headings, list items and table rows kept as structure', async () => {
    const doc = await parse(FIXTURE_FILES.docx);
    expect(doc.type).toBe('docx');
    expect(headingTexts(doc)).toEqual(['Let’s swim!', 'Let’s eat']);
    const item = doc.blocks.find((b) => doc.text.slice(b.start, b.end) === 'Paddle about')!;
    expect(item.kind).toBe('list-item');
    expect(item.headings).toEqual(['Let’s swim!']);
    const row = doc.blocks.find((b) => b.kind === 'table-row' && doc.text.slice(b.start, b.end).startsWith('Berries'))!;
    expect(doc.text.slice(row.start, row.end)).toBe('Berries | Blueberry, Strawberry, Cranberry | 150');
    expect(row.headings).toEqual(['Let’s swim!', 'Let’s eat']);
    expectOffsetsConsistent(doc);
    const tables = await parse(FIXTURE_FILES.docxTables);
    expect(tables.text).toContain('Top left | Top right');
  });

  test('HTML: main text with headings; no scripts, styles or navigation', async () => {
    const doc = await parse(FIXTURE_FILES.html);
    expect(doc.type).toBe('html');
    expect(doc.text).toContain('Duck is the common name for numerous species of waterfowl');
    expect(headingTexts(doc)).toEqual(expect.arrayContaining(['Etymology', 'Taxonomy', 'Feeding']));
    const feeding = doc.blocks.find((b) => b.kind !== 'heading' && b.headings.at(-1) === 'Feeding')!;
    expect(feeding.headings).toContain('Behaviour');
    for (const junk of ['Jump to content', 'Main menu', 'Privacy policy', 'function(', 'mw-parser-output', '[edit]']) {
      expect(doc.text).not.toContain(junk);
    }
    expectOffsetsConsistent(doc);
  });

  test('HTML written by hand: script, style and nav removed, headings and paragraphs kept', async () => {
    const html = `<!doctype html><html><head><title>Notes</title><style>p{color:red}</style><script>alert("x")</script></head>
      <body><nav><a href="/">Home</a> <a href="/about">About us</a></nav><main><h1>Garden</h1><p>Tomatoes need sun.</p>
      <h2>Watering</h2><p>Water in the <b>morning</b>.</p><ul><li>Deeply</li><li>Rarely</li></ul></main>
      <footer>Copyright 2024</footer></body></html>`;
    const doc = await parseBytes(new TextEncoder().encode(html), 'notes.html');
    expect(doc.text).toBe('Garden\n\nTomatoes need sun.\n\nWatering\n\nWater in the morning.\n\nDeeply\n\nRarely');
    expect(doc.blocks.at(-1)!.headings).toEqual(['Garden', 'Watering']);
  });

  test('Markdown: heading path kept, inline markup reduced to words', async () => {
    const doc = await parse(FIXTURE_FILES.markdown);
    expect(doc.type).toBe('markdown');
    expect(doc.title).toBe('IBM');
    expect(headingTexts(doc)).toEqual(['IBM', '1910s–1950s', '1960s–1980s']);
    const para = doc.blocks.find((b) => doc.text.slice(b.start, b.end).startsWith('IBM was founded in 1911'))!;
    expect(para.headings).toEqual(['IBM']);
    expect(doc.text).not.toMatch(/\]\(http/);
    const md = await parseBytes(
      new TextEncoder().encode('# A\n\nSee [the **docs**](http://x.y) now.\n\n## B\n\n- one\n- two\n'),
      'x.md',
    );
    expect(md.text).toBe('A\n\nSee the docs now.\n\nB\n\none\n\ntwo');
    expect(md.blocks.at(-1)!.headings).toEqual(['A', 'B']);
  });

  test('plain text: paragraphs split at blank lines', async () => {
    const doc = await parse(FIXTURE_FILES.text);
    expect(doc.type).toBe('text');
    expect(slice(doc, 0)).toBe('CHAPTER I');
    expect(doc.blocks.length).toBeGreaterThan(5);
    expect(doc.text).toContain('Anna Pavlovna Scherer');
  });
});
