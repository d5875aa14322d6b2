import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { answerFromTables, parseBytes, type DocumentTables } from '../../src/core';

const FILE = 'iowa-electricity.csv';

async function iowa(): Promise<DocumentTables[]> {
  const doc = await parseBytes(new Uint8Array(fs.readFileSync(path.resolve('../shared/data/tables', FILE))), FILE);
  return [{ docId: 'i', docName: FILE, tables: doc.tables ?? [] }];
}

/** Each source's largest single year and its total over the years, from the raw CSV with this test's code. */
function bySource(): Map<string, { max: number; total: number }> {
  const out = new Map<string, { max: number; total: number }>();
  for (const line of fs.readFileSync(path.resolve('../shared/data/tables', FILE), 'utf8').trim().split('\n').slice(1)) {
    const [, source, value] = line.split(',');
    const s = out.get(source!) ?? { max: -Infinity, total: 0 };
    out.set(source!, { max: Math.max(s.max, Number(value)), total: s.total + Number(value) });
  }
  return out;
}

test('an ambiguous question offers its other reading as a question the rules read that way', async () => {
  const tables = await iowa();
  const first = await answerFromTables('Which source had the highest net generation?', tables);
  expect(first).toMatchObject({ status: 'computed', query: { op: 'argmax', agg: 'max' } });
  if (first?.status !== 'computed') return;
  expect(first.reading).toMatch(/highest total per source is the other reading/);
  expect(first.otherQuestions).toEqual(['Which source had the highest total net generation?']);
  const other = await answerFromTables(first.otherQuestions![0]!, tables);
  expect(other).toMatchObject({ status: 'computed', query: { op: 'argmax', agg: 'sum', column: 'net_generation' } });
  const truth = [...bySource()];
  const top = (k: 'max' | 'total') => truth.reduce((a, b) => (b[1][k] > a[1][k] ? b : a))[0];
  expect(first.value).toBe(top('max'));
  expect(other && 'value' in other && other.value).toBe(top('total'));
  // A question read one way only offers nothing.
  const plain = await answerFromTables('What was the average net generation from renewables?', tables);
  expect(plain && 'otherQuestions' in plain).toBe(false);
});
