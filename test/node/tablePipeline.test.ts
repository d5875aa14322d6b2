import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import {
  answer,
  applyAnswerEvent,
  applyAskEvent,
  askQuestion,
  newWholeRecord,
  type WholeRecord,
  libraryRetriever,
  newAnswerRecord,
  type AnswerRecord,
  type ChatMessage,
  type Generator,
} from '../../src/core';
import { freshLibrary } from '../../scripts/lib/library';
import { stubEmbedder } from '../helpers/stubEmbedder';

// Issue 24: with an answer model chosen, the model may propose the computation for a question the
// rules do not read — as a structured query, validated against the table before it runs. These
// drive the real pipeline and library with a controlled generator whose replies are scripted.

const FILE = 'population_engineers_hurricanes.csv';
const CSV = fs.readFileSync(path.resolve('../shared/data/tables', FILE), 'utf8');

/** Florida's hurricanes read from the raw file with this test's own code, not Folio's reader. */
function hurricanesOf(state: string): number {
  const [head, ...rows] = CSV.trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
  const at = (name: string) => head!.indexOf(name);
  return rows.filter((r) => r[at('state')] === state).reduce((s, r) => s + Number(r[at('hurricanes')]), 0);
}

/** A generator that answers the table prompt with `proposal` and any other prompt with a short text. */
function scripted(proposal: string, contextWindow = 4096) {
  const prompts: ChatMessage[][] = [];
  const generator: Generator = {
    id: 'scripted',
    contextWindow,
    countTokens: async (t) => Math.ceil(t.length / 4),
    async generate(messages) {
      prompts.push(messages);
      const table = messages[0]?.content.includes('structured query');
      return { text: table ? proposal : 'A written answer [1].', finishReason: 'stop' };
    },
    interrupt() {},
    dispose: async () => {},
  };
  return { generator, tablePrompts: () => prompts.filter((m) => m[0]?.content.includes('structured query')) };
}

async function library() {
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([{ name: FILE, data: new TextEncoder().encode(CSV) }]);
  return { lib, retriever: libraryRetriever(lib, embedder) };
}

async function ask(question: string, retriever: ReturnType<typeof libraryRetriever>, generator: Generator) {
  let record: AnswerRecord = newAnswerRecord(question);
  for await (const e of answer(question, { retriever, generator, tables: true })) record = applyAnswerEvent(record, e);
  return record;
}

// The rules find no operation in it ("tell me"), so it is the model's to read.
const QUESTION = 'Tell me the hurricanes of Florida';

test('a valid query the model proposes is checked, run, and answered as the model’s', async () => {
  const { lib, retriever } = await library();
  const { generator, tablePrompts } = scripted(
    '```json\n{"table": "population_engineers_hurricanes.csv", "op": "sum", "column": "hurricanes", "filters": [{"column": "state", "op": "eq", "value": "Florida"}]}\n```',
  );
  const r = await ask(QUESTION, retriever, generator);
  expect(r.table).toMatchObject({ status: 'computed', by: 'model', value: hurricanesOf('Florida') });
  expect(hurricanesOf('Florida')).toBeGreaterThan(0);
  // The model was shown the schema (names, types, sample values), not the rows.
  const prompt = tablePrompts()[0]!
    .map((m) => m.content)
    .join('\n');
  expect(prompt).toContain('Table "population_engineers_hurricanes.csv" (52 rows)');
  expect(prompt).toMatch(/"hurricanes" number/);
  expect(prompt).not.toContain('Wyoming,56');
  // A computed answer ends the answer: no passages, no written answer.
  expect(r.passages).toEqual([]);
  expect(r.answer).toBe('');
  lib.close();
});

test('invalid proposals are declined with a sentence, never run, and the passages follow', async () => {
  const { lib, retriever } = await library();
  const cases: [string, RegExp][] = [
    // A column the table does not have.
    [
      '{"table": "population_engineers_hurricanes.csv", "op": "sum", "column": "storms", "filters": []}',
      /not run: the column “storms” is not a column of population_engineers_hurricanes\.csv/,
    ],
    // Text added up.
    [
      '{"table": "population_engineers_hurricanes.csv", "op": "mean", "column": "state", "filters": []}',
      /not run: “state” holds text, not numbers/,
    ],
    // A value the column does not hold would count nothing and look exact.
    [
      '{"table": "population_engineers_hurricanes.csv", "op": "count", "filters": [{"column": "state", "op": "eq", "value": "Atlantis"}]}',
      /not run: “Atlantis” is not a value of state/,
    ],
    // A field the query language does not have (it would be silently ignored).
    [
      '{"table": "population_engineers_hurricanes.csv", "op": "count", "filters": [], "where": "hurricanes > 10"}',
      /not run: the query has a field “where” queries do not have/,
    ],
    // Free code is not a query.
    ["SELECT sum(hurricanes) FROM t WHERE state = 'Florida'", /did not propose a structured query/],
    // A table that does not exist.
    ['{"table": "storms.xlsx", "op": "count", "filters": []}', /names no table of the library/],
  ];
  for (const [reply, reason] of cases) {
    const { generator } = scripted(reply);
    const r = await ask(QUESTION, retriever, generator);
    expect(r.table?.status, reply).toBe('declined');
    expect(r.table && 'reason' in r.table ? r.table.reason : '', reply).toMatch(reason);
    expect(r.table && 'value' in r.table, reply).toBe(false);
    // Declined is not the end: the passages are searched and the model writes from them.
    expect(r.passages.length, reply).toBeGreaterThan(0);
  }
  lib.close();
});

test('the model is not asked about a question that names nothing of any table, nor when the rules read it', async () => {
  const { lib, retriever } = await library();
  const prose = scripted('{"table": "population_engineers_hurricanes.csv", "op": "count", "filters": []}');
  const r = await ask('Tell me about the history of typewriters', retriever, prose.generator);
  expect(prose.tablePrompts()).toHaveLength(0);
  expect(r.table).toBeUndefined();

  const ruled = scripted('{"table": "population_engineers_hurricanes.csv", "op": "count", "filters": []}');
  const counted = await ask('How many hurricanes did Florida have?', retriever, ruled.generator);
  expect(ruled.tablePrompts()).toHaveLength(0);
  expect(counted.table).toMatchObject({ status: 'computed', by: 'rules', value: hurricanesOf('Florida') });

  // A model whose window cannot hold the table's schema and the instructions is not asked.
  const small = scripted('{"table": "population_engineers_hurricanes.csv", "op": "count", "filters": []}', 256);
  const r3 = await ask(QUESTION, retriever, small.generator);
  expect(small.tablePrompts()).toHaveLength(0);
  expect(r3.table).toBeUndefined();

  // A model that says it has no query: not a table question after all, the passages answer.
  const none = scripted('null');
  const r2 = await ask(QUESTION, retriever, none.generator);
  expect(none.tablePrompts()).toHaveLength(1);
  expect(r2.table).toBeUndefined();
  lib.close();
});

test('the question’s collections scope the tables as they scope the search', async () => {
  const { lib, retriever } = await library();
  const [doc] = await lib.listDocuments();
  const withTable = await lib.createCollection('Storms');
  const other = await lib.createCollection('Elsewhere');
  await lib.addToCollection(withTable.id, [doc!.id]);
  const ask = async (collections: string[]) => {
    let record: AnswerRecord = newAnswerRecord('How many hurricanes did Florida have?');
    for await (const e of answer(record.question, { retriever, tables: true, search: { collections } }))
      record = applyAnswerEvent(record, e);
    return record;
  };
  expect((await ask([withTable.id])).table).toMatchObject({ status: 'computed', value: hurricanesOf('Florida') });
  // Outside the collection the table is not asked, and the search finds nothing there either.
  const outside = await ask([other.id]);
  expect(outside.table).toBeUndefined();
  expect(outside.passages).toEqual([]);
  lib.close();
});

test('a count a table computes is answered by the table, not by reading passages, also when the file is named', async () => {
  const name = 'birdstrikes.csv';
  const csv = fs.readFileSync(path.resolve('../shared/data/tables', name), 'utf8');
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([{ name, data: new TextEncoder().encode(csv) }]);
  const retriever = libraryRetriever(lib, embedder);
  const asked = async (question: string, tables = true) => {
    let record: WholeRecord = newWholeRecord(question);
    for await (const e of askQuestion(question, { source: lib, retriever, tables })) record = applyAskEvent(record, e);
    return record;
  };
  // Counted from the raw file by this test: no other field of a line is exactly "Night".
  const atNight = csv.split(/\r?\n/).filter((l) => l.split(',').includes('Night')).length;
  for (const question of [
    'How many bird strikes happened at night?',
    `How many bird strikes in ${name} happened at night?`,
  ]) {
    const record = await asked(question);
    expect(record.kind).toBe('lookup');
    expect(record.table, JSON.stringify(record.table)).toMatchObject({ status: 'computed', value: atNight });
    expect(record.list).toBeUndefined();
  }
  // Without tables the same question is a count read from the passages (the classifier's reading).
  const plain = await asked('How many bird strikes happened at night?', false);
  expect(plain.kind).toBe('count');
  expect(plain.table).toBeUndefined();
  lib.close();
});
