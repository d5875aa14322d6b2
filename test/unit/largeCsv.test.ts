import { describe, expect, test } from 'vitest';
import { answerFromTables, parseBytes } from '../../src/core';

// Issue 24, item 4: a CSV longer than a sheet's row limit (200,000 rows) is kept to its first
// 200,000 rows, and a computation over it is declined with a sentence instead of giving the count of
// part of it as the whole. Until this test, a table of that many rows failed to parse at all
// ("Maximum call stack size exceeded": the width of 200,000 rows spread as arguments).
describe('a CSV past the row limit', () => {
  test('is read (its first 200,000 rows), searchable, and computations over it are declined in words', async () => {
    const rows = 250_000;
    const lines = ['day,station,rain_mm,weather'];
    for (let i = 0; i < rows; i++) lines.push(`${i + 1},S${i % 37},${(i * 7919) % 557},${i % 5 ? 'rain' : 'fog'}`);
    const doc = await parseBytes(new TextEncoder().encode(lines.join('\n')), 'rain-250k.csv');
    expect(doc.tables).toHaveLength(1);
    const table = doc.tables![0]!;
    expect(table.truncated).toBe(true);
    expect(table.rows.length).toBe(199_999);
    // The rows kept are in the text, so a lookup by words finds them.
    expect(doc.text).toContain('Row 200000: 199999 | S');
    expect(doc.text).not.toContain('Row 200001:');
    const answer = await answerFromTables('How many days had fog?', [
      { docId: 'r', docName: 'rain-250k.csv', tables: doc.tables! },
    ]);
    expect(answer).toMatchObject({
      status: 'declined',
      reason:
        'rain-250k.csv was too long to keep whole (only its first 199,999 rows are stored), so nothing is computed over it.',
    });
  });
});
