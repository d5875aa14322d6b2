import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AskResult } from '../../src/cli/askCommand';
import {
  answer,
  answerFromTables,
  applyAnswerEvent,
  libraryRetriever,
  newAnswerRecord,
  parseBytes,
  parseDate,
  parseNumber,
  readQuestion,
  runQuery,
  tablesFromGrid,
  typeColumn,
  validateQuery,
  type DocumentTables,
  type TableQuery,
  type TableQueryProposer,
} from '../../src/core';
import { freshLibrary } from '../../scripts/lib/library';
import { delimited, xlsx } from '../../scripts/lib/office';
import { runFolio } from '../helpers/folio';
import { stubEmbedder } from '../helpers/stubEmbedder';

const grid = (rows: string[][]) => rows.map((cells, i) => ({ row: i + 1, cells }));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A small weather log, as a CSV a person would keep: dates, kinds of weather, numbers with gaps. */
const WEATHER = [
  ['date', 'weather', 'temp_max', 'precipitation', 'station'],
  ['2013-12-30', 'fog', '8.3', '0', 'Seattle'],
  ['2014-01-02', 'rain', '10.6', '4.1', 'Seattle'],
  ['2014-01-03', 'Fog', '9.4', '', 'Seattle'],
  ['2014-02-10', 'sun', '12.2', '0', 'Tacoma'],
  ['2014-02-11', 'fog', '7.8', '0.3', 'Tacoma'],
  ['2014-03-01', 'rain', '11.1', '12.7', 'Seattle'],
  ['2015-03-02', 'fog', '6.1', '0', 'Tacoma'],
];

async function weather(): Promise<DocumentTables> {
  const doc = await parseBytes(delimited(WEATHER), 'seattle-weather.csv');
  return { docId: 'w', docName: 'seattle-weather.csv', tables: doc.tables ?? [] };
}

describe('tables kept as typed columns', () => {
  test('a CSV becomes one table: header detected, numbers, dates and text typed, empty cells counted', async () => {
    const [t] = (await weather()).tables;
    expect(t!.name).toBe('');
    expect(t!.headerRow).toBe(1);
    expect(t!.rows).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const types = Object.fromEntries(t!.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      date: 'date',
      weather: 'text',
      temp_max: 'number',
      precipitation: 'number',
      station: 'text',
    });
    const precipitation = t!.columns.find((c) => c.name === 'precipitation')!;
    expect(precipitation.values).toEqual([0, 4.1, null, 0, 0.3, 12.7, 0]);
    expect(precipitation.empty).toBe(1);
    expect(t!.columns.find((c) => c.name === 'weather')!.sample).toEqual(['fog', 'rain', 'Fog', 'sun']);
  });

  test('numbers: thousands separators, decimal commas (1.234,5), units and currencies, accounting negatives', () => {
    expect(parseNumber('1,234.5', false)).toBe(1234.5);
    expect(parseNumber('1.234,5', true)).toBe(1234.5);
    expect(parseNumber('1 234,5', true)).toBe(1234.5);
    expect(parseNumber('(1,200)', false)).toBe(-1200);
    expect(parseNumber('-0.17', false)).toBe(-0.17);
    expect(parseNumber('12%', false)).toBe(12);
    expect(parseNumber('1,23,4', false)).toBeNull();
    expect(parseNumber('abc', false)).toBeNull();
    const euro = typeColumn('Amount', ['1.234,50 €', '12,00 €', '7,5 €']);
    expect(euro).toMatchObject({ type: 'number', unit: '€', decimalComma: true, values: [1234.5, 12, 7.5] });
    const dollars = typeColumn('Revenue', ['$ 19,984,378', '$ 10,213,460']);
    expect(dollars).toMatchObject({ type: 'number', unit: '$', values: [19_984_378, 10_213_460] });
    // "2.956" alone could be either; a comma decimal elsewhere in the table settles it.
    const [t] = tablesFromGrid(
      grid([
        ['Station', 'Elevation', 'Mean'],
        ['Zugspitze', '2.956', '4,8'],
        ['Brocken', '1.141', '3,5'],
      ]),
      { name: 'Stations', firstIndex: 0 },
    );
    expect(t!.columns.map((c) => c.values)).toEqual([
      ['Zugspitze', 'Brocken'],
      [2956, 1141],
      [4.8, 3.5],
    ]);
  });

  test('dates: ISO, European and US day orders, month names; impossible dates are not dates', () => {
    expect(parseDate('2014-03-01')).toBe('2014-03-01');
    expect(parseDate('2014-03-01T12:30:00Z')).toBe('2014-03-01 12:30');
    expect(parseDate('01.03.2014')).toBe('2014-03-01');
    expect(parseDate('3/1/2014')).toBe('2014-03-01');
    expect(parseDate('25/12/2014')).toBe('2014-12-25');
    expect(parseDate('March 1, 2014')).toBe('2014-03-01');
    expect(parseDate('1 Mar 2014')).toBe('2014-03-01');
    expect(parseDate('2014-02-30')).toBeNull();
    expect(parseDate('1990')).toBeNull();
  });

  test('mixed columns: a few stray cells are left out and counted; mostly text stays text; codes keep their zeros', () => {
    const mostlyNumbers = typeColumn('n', [...Array.from({ length: 30 }, (_, i) => String(i)), 'unknown']);
    expect(mostlyNumbers).toMatchObject({ type: 'number', invalid: 1 });
    expect(mostlyNumbers.values.at(-1)).toBeNull();
    expect(typeColumn('m', ['1', 'two', 'three', '4'])).toMatchObject({ type: 'text', invalid: 0 });
    expect(typeColumn('zip', ['00501', '02134', '90210'])).toMatchObject({
      type: 'text',
      values: ['00501', '02134', '90210'],
    });
  });

  test('a sheet with a title line and two tables split by a blank row; a two-row header with merged cells', () => {
    const tables = tablesFromGrid(
      grid([
        ['Sales by region'],
        [],
        ['Region', 'Units'],
        ['North', '12'],
        ['South', '7'],
        [],
        ['Revenue', '', 'Cost', ''],
        ['2021', '2022', '2021', '2022'],
        ['10', '12', '4', '5'],
        ['11', '13', '6', '7'],
      ]),
      { name: 'Summary', sheet: 'Summary', page: 1, firstIndex: 0 },
    );
    expect(tables.map((t) => t.name)).toEqual(['Summary › table 1', 'Summary › table 2']);
    expect(tables[0]!.columns.map((c) => c.name)).toEqual(['Region', 'Units']);
    expect(tables[1]!.columns.map((c) => c.name)).toEqual(['Revenue 2021', 'Revenue 2022', 'Cost 2021', 'Cost 2022']);
    expect(tables[1]!.rows).toEqual([9, 10]);
  });

  test('a table of numbers without a header gets column letters; years across the top are a header', () => {
    const [plain] = tablesFromGrid(
      grid([
        ['1', '2'],
        ['3', '4'],
      ]),
      { name: '', firstIndex: 0 },
    );
    expect(plain!.headerRow).toBe(0);
    expect(plain!.columns.map((c) => c.name)).toEqual(['Column A', 'Column B']);
    const [wide] = tablesFromGrid(
      grid([
        ['Revenue', '2021', '2020'],
        ['Games', '$ 8,452,100', '$ 4,980,650'],
      ]),
      { name: 'table 1', firstIndex: 0 },
    );
    expect(wide!.columns.map((c) => c.name)).toEqual(['Revenue', '2021', '2020']);
  });

  test('XLSX sheets and HTML tables come with the parsed document', async () => {
    const book = await parseBytes(
      xlsx([
        {
          name: 'Orders',
          rows: [
            ['Product', 'Ordered', 'Units'],
            ['Lamp', { date: '2024-03-05' }, 4],
            ['Desk', { date: '2024-04-01' }, 2],
          ],
        },
      ]),
      'orders.xlsx',
    );
    expect(book.tables!.map((t) => [t.name, t.sheet, t.page])).toEqual([['Orders', 'Orders', 1]]);
    expect(book.tables![0]!.columns.map((c) => c.type)).toEqual(['text', 'date', 'number']);
    const html = await parseBytes(
      utf8(
        '<html><body><main><h1>Report</h1><table><tr><th>Line</th><th>2021</th></tr><tr><td>Games</td><td>$ 5</td></tr><tr><td colspan="2">note</td></tr></table></main></body></html>',
      ),
      'report.html',
    );
    expect(html.tables![0]!.columns.map((c) => c.name)).toEqual(['Line', '2021']);
    expect(html.tables![0]!.columns[0]!.values).toEqual(['Games', 'note']);
  });
});

describe('queries run on typed columns, validated first', () => {
  const title = 'seattle-weather.csv';
  const run = async (q: Omit<TableQuery, 'table'>) => {
    const [t] = (await weather()).tables;
    return runQuery({ table: title, ...q }, t!, title);
  };

  test('each operation, with filters in any case and plural form, and a year against a date column', async () => {
    expect(await run({ op: 'count', filters: [{ column: 'weather', op: 'eq', value: 'Fogs' }] })).toMatchObject({
      value: 4,
      rows: [2, 4, 6, 8],
      computation: 'Counted rows of seattle-weather.csv where weather is Fogs: 4',
    });
    const fog2014 = await run({
      op: 'count',
      filters: [
        { column: 'weather', op: 'eq', value: 'fog' },
        { column: 'date', op: 'year', value: 2014 },
      ],
    });
    expect(fog2014).toMatchObject({ value: 2, rows: [4, 6] });
    expect(await run({ op: 'count', filters: [{ column: 'date', op: 'year', value: 2014, month: 2 }] })).toMatchObject({
      value: 2,
    });
    expect(await run({ op: 'sum', column: 'precipitation', filters: [] })).toMatchObject({ value: 17.1 });
    const mean = await run({ op: 'mean', column: 'precipitation', filters: [] });
    expect((mean as { value: number }).value).toBeCloseTo(17.1 / 6, 10);
    expect((mean as { computation: string }).computation).toContain('1 row with no precipitation left out');
    expect(await run({ op: 'max', column: 'temp_max', filters: [] })).toMatchObject({ value: 12.2, rows: [5] });
    expect(await run({ op: 'min', column: 'date', filters: [] })).toMatchObject({ value: '2013-12-30' });
    expect(await run({ op: 'argmax', by: { column: 'station' }, agg: 'count', filters: [] })).toMatchObject({
      value: 'Seattle',
      rows: [2, 3, 4, 7],
    });
    expect(
      await run({ op: 'argmin', by: { column: 'date', part: 'year' }, agg: 'sum', column: 'temp_max', filters: [] }),
    ).toMatchObject({
      value: 2015,
      display: '2015',
    });
    expect(
      await run({ op: 'lookup', column: 'temp_max', filters: [{ column: 'date', op: 'year', value: 2015 }] }),
    ).toMatchObject({ value: 6.1 });
  });

  test('a lookup that matches several rows, or a tie, is declined with a sentence, not answered', async () => {
    expect(
      await run({ op: 'lookup', column: 'temp_max', filters: [{ column: 'weather', op: 'eq', value: 'rain' }] }),
    ).toEqual({
      declined: expect.stringContaining('2 rows'),
    });
    expect(
      await run({
        op: 'argmax',
        by: { column: 'station' },
        agg: 'count',
        filters: [{ column: 'weather', op: 'eq', value: 'fog' }],
      }),
    ).toEqual({
      declined: expect.stringContaining('tie'),
    });
  });

  test('a table cut at the row limit computes nothing: part of it is not the whole', () => {
    const [t] = tablesFromGrid(grid(WEATHER), { name: '', firstIndex: 0, truncated: true });
    expect(runQuery({ table: title, op: 'count', filters: [] }, t!, title)).toEqual({
      declined: expect.stringContaining('too long to keep whole'),
    });
  });

  test('a query naming a missing column, a wrong type or an unknown operation is refused before it runs', async () => {
    const [t] = (await weather()).tables;
    const bad = [
      { table: title, op: 'sum', column: 'weather', filters: [] },
      { table: title, op: 'count', filters: [{ column: 'nope', op: 'eq', value: 'x' }] },
      { table: title, op: 'drop', filters: [] },
      { table: title, op: 'count', filters: [{ column: 'weather', op: 'year', value: 2014 }] },
      { table: 'other.csv', op: 'count', filters: [] },
      'DELETE FROM t',
    ];
    for (const q of bad) expect(validateQuery(q, t!, title).length).toBeGreaterThan(0);
    expect(() => runQuery(bad[0] as TableQuery, t!, title)).toThrow(/cannot run: “weather” holds text/);
    expect(validateQuery({ table: title, op: 'count', filters: [] }, t!, title)).toEqual([]);
  });
});

describe('questions read into queries by rules', () => {
  test('counts, sums, averages, maxima, argmax and lookups over the right table, with the computation in words', async () => {
    const sources = [await weather()];
    const ask = async (q: string) => answerFromTables(q, sources);
    expect(await ask('How many foggy days were there in 2014?')).toMatchObject({ status: 'declined' });
    expect(await ask('How many days had fog in 2014?')).toMatchObject({
      status: 'computed',
      value: 2,
      computation: 'Counted rows of seattle-weather.csv where weather is fog and date is in 2014: 2',
      citation: { docName: 'seattle-weather.csv', table: 'seattle-weather.csv', headerRow: 1 },
    });
    expect(await ask('What was the total precipitation in Tacoma?')).toMatchObject({ value: 0.3 });
    expect(await ask('What was the maximum temperature in 2014?')).toMatchObject({ value: 12.2 });
    expect(await ask('Which station had the most rain?')).toMatchObject({ value: 'Seattle' });
    // Several rows to a station: "highest" is read as the highest row, and the answer says so.
    expect(await ask('Which station had the highest temp max?')).toMatchObject({
      value: 'Tacoma',
      reading: expect.stringContaining('the highest total per station is the other reading'),
    });
    expect(await ask('What was the temp max on March 2015?')).toMatchObject({ value: 6.1 });
    expect(await ask('What is the capital of France?')).toBeNull();
  });

  test('what the rules cannot compute is declined, never answered with a number', async () => {
    const sources = [await weather()];
    // A negation, a comparison, a name the table does not hold, a year it has no rows in.
    for (const q of [
      'How many days had no fog?',
      'How many days had more than 10 mm of precipitation?',
      'How many days had fog in Portland?',
      'How many days had fog in 2019?',
    ]) {
      const a = await answerFromTables(q, sources);
      expect(a?.status === 'computed' ? `${q} → ${a.display}` : null).toBeNull();
    }
  });

  test('the reading names the table and the query is the data that ran', async () => {
    const sources = [await weather()];
    const r = readQuestion('What was the average temp max in Seattle?', [
      { title: 'seattle-weather.csv', table: sources[0]!.tables[0]! },
    ]);
    expect(r).toMatchObject({
      kind: 'query',
      query: {
        table: 'seattle-weather.csv',
        op: 'mean',
        column: 'temp_max',
        filters: [{ column: 'station', op: 'eq', value: 'Seattle' }],
      },
    });
  });

  test('a model proposes a query for what the rules do not read: validated, then run; an invalid one is not run', async () => {
    const sources = [await weather()];
    const seen: string[] = [];
    const proposer = (query: unknown): TableQueryProposer => ({
      async propose(question, schemas) {
        seen.push(
          `${question} | ${schemas.map((s) => `${s.table}: ${s.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`)}`,
        );
        return query;
      },
    });
    const q = 'Tell me the rainy days';
    const good = await answerFromTables(q, sources, {
      proposer: proposer({
        table: 'seattle-weather.csv',
        op: 'count',
        filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
      }),
    });
    expect(good).toMatchObject({ status: 'computed', by: 'model', value: 2 });
    expect(seen[0]).toBe(
      'Tell me the rainy days | seattle-weather.csv: date date, weather text, temp_max number, precipitation number, station text',
    );
    const bad = await answerFromTables(q, sources, {
      proposer: proposer({ table: 'seattle-weather.csv', op: 'sum', column: 'station', filters: [] }),
    });
    expect(bad).toMatchObject({ status: 'declined', reason: expect.stringContaining('not run: “station” holds text') });
    const code = await answerFromTables(q, sources, { proposer: proposer('SELECT count(*) FROM weather') });
    expect(code).toMatchObject({ status: 'declined' });
    expect(await answerFromTables(q, sources, { proposer: proposer(null) })).toBeNull();
  });
});

describe('tables stored with their document', () => {
  test('written with it, read back for questions, kept in a backup, removed with it', async () => {
    const lib = await freshLibrary({ embedder: stubEmbedder() });
    const [added] = await lib.addFiles([{ name: 'seattle-weather.csv', data: delimited(WEATHER) }]);
    expect(added!.status).toBe('added');
    const id = (added as { document: { id: string } }).document.id;
    const stored = await lib.tables();
    expect(stored.map((d) => [d.docName, d.tables.length, d.tables[0]!.rows.length])).toEqual([
      ['seattle-weather.csv', 1, 7],
    ]);
    const computed = await lib.tableAnswer('How many days had fog in 2014?');
    expect(computed).toMatchObject({ status: 'computed', value: 2, rows: [4, 6] });
    // The rows as the source panel shows them, typed values formatted.
    expect(await lib.tableRows(id, 0, [4, 6, 99])).toEqual({
      columns: ['date', 'weather', 'temp_max', 'precipitation', 'station'],
      rows: [
        { row: 4, cells: ['2014-01-03', 'Fog', '9.4', '', 'Seattle'] },
        { row: 6, cells: ['2014-02-11', 'fog', '7.8', '0.3', 'Tacoma'] },
      ],
    });
    // Scoped to a collection the document is not in, there is no table to compute over.
    expect(await lib.tableAnswer('How many days had fog in 2014?', { collections: ['elsewhere'] })).toBeNull();

    const backup = await lib.exportBackup();
    const copy = await freshLibrary({ embedder: stubEmbedder() });
    await copy.importBackup(backup);
    expect((await copy.tables())[0]!.tables).toEqual(stored[0]!.tables);
    copy.close();

    await lib.removeDocument(id);
    expect(await lib.tables()).toEqual([]);
    expect((await lib.checkIntegrity()).problems).toEqual([]);
    lib.close();
  });
});

describe('the answer pipeline with tables', () => {
  test('a computed table answer is one `table` event and ends the answer; without `tables` the passages answer', async () => {
    const embedder = stubEmbedder();
    const lib = await freshLibrary({ embedder });
    await lib.addFiles([{ name: 'seattle-weather.csv', data: delimited(WEATHER) }]);
    const retriever = libraryRetriever(lib, embedder);
    const run = async (q: string, tables: boolean) => {
      const types: string[] = [];
      let record = newAnswerRecord(q);
      for await (const e of answer(q, { retriever, tables })) {
        types.push(e.type);
        record = applyAnswerEvent(record, e);
      }
      return { types, record };
    };
    const computed = await run('How many days had fog in 2014?', true);
    expect(computed.types).toEqual(['query', 'table', 'done']);
    expect(computed.record.table).toMatchObject({ status: 'computed', value: 2, rows: [4, 6] });
    const declined = await run('How many days had no fog?', true);
    expect(declined.types.slice(0, 3)).toEqual(['query', 'table', 'passages']);
    expect(declined.record.table).toMatchObject({ status: 'declined' });
    const off = await run('How many days had fog in 2014?', false);
    expect(off.types).not.toContain('table');
    lib.close();
  });
});

describe('folio ask on a table', () => {
  test('--json gives kind "table", the value, the computation, the query and a citation to the table', {
    timeout: 300_000,
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-tables-'));
    fs.writeFileSync(path.join(dir, 'seattle-weather.csv'), delimited(WEATHER));
    const run = (args: string[]) => runFolio(...args);
    const lib = path.join(dir, 'w.folio');
    const index = await run(['index', path.join(dir, 'seattle-weather.csv'), '--out', lib]);
    expect(index.code, index.stderr).toBe(0);
    const ask = await run(['ask', lib, 'How many days had fog in 2014?', '--json']);
    expect(ask.code, ask.stderr).toBe(0);
    const result = JSON.parse(ask.stdout) as AskResult;
    expect(result).toMatchObject({
      kind: 'table',
      value: 2,
      computation: 'Counted rows of seattle-weather.csv where weather is fog and date is in 2014: 2',
      query: {
        table: 'seattle-weather.csv',
        op: 'count',
        filters: [
          { column: 'weather', op: 'eq', value: 'fog' },
          { column: 'date', op: 'year', value: 2014 },
        ],
      },
      citations: [
        { docName: 'seattle-weather.csv', table: 'seattle-weather.csv', headerRow: 1, rows: [4, 6], rowCount: 2 },
      ],
    });
    expect(result.passages.length).toBeGreaterThan(0);
    const prose = JSON.parse((await run(['ask', lib, 'Which weather was recorded?', '--json'])).stdout) as AskResult;
    // Not a computation: answered as any other question (issue 21's kinds), its passages kept.
    expect(prose.kind).not.toBe('table');
    expect(prose.passages.length).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
