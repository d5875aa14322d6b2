import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AskResult, TextFields } from '../../src/cli/askCommand';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import { runFolio as folio } from '../helpers/folio';

/**
 * `folio ask --json` for questions about the whole (issue 21), as a person runs it: bin/folio.js in
 * a child process, the real model, a library file indexed from real fixtures.
 */
/** A question that is not a table computation: its text answer's fields. */
async function ask(question: string): Promise<AskResult & TextFields> {
  const run = await folio('ask', file, question, '--json');
  expect(run.code, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout) as AskResult;
  expect(result.kind).not.toBe('table');
  return result as AskResult & TextFields;
}

let tmp: string;
let file: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-whole-'));
  const docs = path.join(tmp, 'docs');
  fs.mkdirSync(docs);
  for (const f of [FIXTURE_FILES.pdf, FIXTURE_FILES.markdown])
    fs.copyFileSync(path.join(FIXTURES_DIR, f), path.join(docs, path.basename(f)));
  file = path.join(tmp, 'two.folio');
  const run = await folio('index', docs, '--out', file);
  expect(run.code, run.stderr).toBe(0);
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('folio ask --json about the whole', () => {
  test('a summary: kind, the answer as shown, a citation per quoted sentence, and the passages still there', {
    timeout: 120_000,
  }, async () => {
    const r = await ask('Summarise multi_page.pdf');
    expect(r.kind).toBe('summary');
    expect(r.passages.length).toBeGreaterThan(0);
    expect(r.answer).toMatch(/^Summary of multi_page\.pdf \(read all \d+ passages\):/);
    expect(r.citations.length).toBeGreaterThanOrEqual(4);
    for (const [i, c] of r.citations.entries()) {
      expect(Object.keys(c).sort()).toEqual(['docName', 'location', 'quote']);
      expect(c.docName).toBe('multi_page.pdf');
      expect(c.location).toMatch(/^p\. \d/);
      expect(r.answer).toContain(`${c.quote} [${i + 1}]`);
    }
    expect(r.items).toBeUndefined();
  });

  test('a list and a count: items, count and what was read', { timeout: 120_000 }, async () => {
    const list = await ask('List every mention of Google Docs');
    expect(list.kind).toBe('list');
    expect(list.items!.length).toBe(list.count);
    expect(list.count).toBeGreaterThanOrEqual(4);
    for (const i of list.items!) {
      expect(i.text).toMatch(/Google Docs/);
      expect(i.docName).toBe('multi_page.pdf');
    }
    expect(list.scanned!.passages).toBe(list.scanned!.of);
    expect(list.answer.split('\n')[0]).toBe(
      `Read all ${list.scanned!.of} passages of your library (2 documents): ${list.count} found.`,
    );
    const count = await ask('How many times is IBM mentioned in wiki-ibm.md?');
    expect(count.kind).toBe('count');
    expect(count.count).toBe(count.items!.length);
    expect(count.items!.every((i) => i.docName === 'wiki-ibm.md' && /IBM/.test(i.text))).toBe(true);
    expect(count.answer).toMatch(
      new RegExp(`^${count.count} — Read all ${count.scanned!.of} passages of wiki-ibm\\.md: ${count.count} found\\.`),
    );
  });

  test('a lookup keeps its passages and adds its answer and citation', { timeout: 120_000 }, async () => {
    const r = await ask('Who patented the typewriter?');
    expect(r.kind).toBe('lookup');
    expect(r.passages[0]!.text).toContain('Christopher Latham Sholes');
    expect(r.answer).toContain('Sholes');
    expect(r.citations[0]).toMatchObject({ docName: 'multi_page.pdf' });
  });
});
