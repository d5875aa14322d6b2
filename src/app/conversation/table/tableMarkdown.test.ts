import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { answer, applyAnswerEvent, libraryRetriever, newAnswerRecord } from '../../../core';
import { freshLibrary } from '../../../../scripts/lib/library';
import { stubEmbedder } from '../../../../test/helpers/stubEmbedder';
import type { Turn } from '../conversationStore';
import { turnMarkdown } from '../exportMarkdown';

const FILE = 'population_engineers_hurricanes.csv';

test('Copy of a computed table answer gives the value, the computation and the table it comes from', async () => {
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  const csv = fs.readFileSync(path.resolve('../shared/data/tables', FILE));
  await lib.addFiles([{ name: FILE, data: new Uint8Array(csv) }]);
  const retriever = libraryRetriever(lib, embedder);
  const ask = async (question: string) => {
    let r = newAnswerRecord(question);
    for await (const e of answer(question, { retriever, tables: true })) r = applyAnswerEvent(r, e);
    return { ...r, id: question } as Turn;
  };

  const md = turnMarkdown(await ask('Which state had the most hurricanes?'));
  const [value, computation, source, query] = md.trim().split('\n\n');
  expect(value).toBe('**Florida**');
  expect(computation).toBe(
    'Grouped rows of population_engineers_hurricanes.csv by state and took the one with the highest total hurricanes (110): Florida',
  );
  expect(source).toBe('Source: **population_engineers_hurricanes.csv**, row 11 (header on row 1)');
  expect(JSON.parse(query!.replace(/^Query: `|`$/g, ''))).toMatchObject({ op: 'argmax', by: { column: 'state' } });

  // A table question that was not computed says why, and the passages' answer follows.
  const declined = turnMarkdown(await ask('How many states had no hurricanes?'));
  expect(declined).toMatch(/^\*Not computed from a table: .*no.*\*\n\n/);
  lib.close();
});
