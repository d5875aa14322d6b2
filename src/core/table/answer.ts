import { foldValue, InvalidQuery, runQuery, validateQuery } from './run';
import type { TableData, TableFilter, TableQuery, TableResult } from './types';
import { readQuestion, tableTitle, type TitledTable } from './understand';

/** A document's tables, as the library keeps them. */
export interface DocumentTables {
  docId: string;
  docName: string;
  tables: TableData[];
}

/** Where a computed answer comes from: one table of one document. */
export interface TableCitation {
  docId: string;
  docName: string;
  /** The table's title (document › sheet or table) and its place among the document's tables. */
  table: string;
  tableIndex: number;
  /** Its sheet's number (the passages' `page`), for sheets. */
  page?: number;
  /** The header's source row, so the rows can be shown under their column names. */
  headerRow: number;
  columns: string[];
}

/** What a model is shown to propose a query: each table's columns, their types and a sample. */
export interface TableSchema {
  table: string;
  rows: number;
  columns: { name: string; type: string; sample: string[]; unit?: string }[];
}

/**
 * A model that proposes a structured query for what the rules do not cover. What it returns is
 * only data: validated against the table's columns before anything runs, and declined if invalid.
 */
export interface TableQueryProposer {
  propose(question: string, schemas: TableSchema[], signal?: AbortSignal): Promise<unknown>;
}

/** A proposer as one function, the form that crosses to the library's worker as a callback. */
export type TableProposeFn = (question: string, schemas: TableSchema[]) => Promise<unknown>;

export type TableAnswer =
  | ({
      status: 'computed';
      citation: TableCitation;
      by: 'rules' | 'model';
      /** The other reading(s) of an ambiguous question, as questions the rules read that way. */
      otherQuestions?: string[];
    } & TableResult)
  /** A question about a table that was not answered: why, in a sentence; never a guess. */
  | { status: 'declined'; reason: string; citation?: TableCitation };

export function schemasOf(tables: TitledTable[]): TableSchema[] {
  return tables.map(({ title, table }) => ({
    table: title,
    rows: table.rows.length,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      sample: c.sample,
      ...(c.unit ? { unit: c.unit } : {}),
    })),
  }));
}

const QUERY_KEYS = new Set(['table', 'op', 'column', 'by', 'agg', 'filters']);
const FILTER_KEYS = new Set(['column', 'op', 'value', 'month']);
const BY_KEYS = new Set(['column', 'part']);

/**
 * What a model's query must also meet beyond `validateQuery`: no field the query language does
 * not have (a stray "where" or "sql" would be silently ignored, changing the meaning), and every
 * text it filters on a value the column holds (a value it does not hold counts 0 rows, a number
 * that looks exact and is not). The rules only ever filter on values they found in the column.
 */
function strictProblems(proposed: object, table: TableData): string[] {
  const problems: string[] = [];
  const extra = (o: unknown, allowed: Set<string>, what: string) => {
    if (o && typeof o === 'object')
      for (const k of Object.keys(o))
        if (!allowed.has(k)) problems.push(`${what} has a field “${k}” queries do not have`);
  };
  const q = proposed as Partial<TableQuery>;
  extra(q, QUERY_KEYS, 'the query');
  extra(q.by, BY_KEYS, '`by`');
  for (const f of Array.isArray(q.filters) ? (q.filters as unknown[]) : []) {
    extra(f, FILTER_KEYS, 'a filter');
    const filter = f as Partial<TableFilter> | null;
    const c = table.columns.find((x) => x.name === filter?.column);
    if (!c || filter?.op !== 'eq' || typeof filter.value !== 'string' || c.type !== 'text') continue;
    const want = foldValue(filter.value);
    if (!c.values.some((v) => typeof v === 'string' && foldValue(v) === want))
      problems.push(`“${filter.value}” is not a value of ${c.name}`);
  }
  return problems;
}

/**
 * The other reading of an ambiguous question, as a question a person can ask: rewritten from the
 * note the rules left (another table fits as well; "highest" could be the highest total), and
 * kept only when the rules read the rewrite into a different query that computes.
 */
function otherReadings(question: string, note: string, taken: TableQuery, tables: TitledTable[]): string[] {
  const bare = question.trim().replace(/[?.!]+$/, '');
  const candidates: string[] = [];
  const rival = /fits (.+?) as well/.exec(note)?.[1];
  if (rival) candidates.push(`${bare} in ${rival}?`);
  if (/total per .* is the other reading/.test(note)) {
    const extreme = /\b(highest|lowest|largest|smallest|maximum|minimum|biggest|greatest|warmest|coldest)\b/i;
    if (extreme.test(bare)) candidates.push(`${bare.replace(extreme, '$1 total')}?`);
  }
  const column = /(?:^|; )([^;:]+?) or ([^;:]+?): \1 was taken/.exec(note);
  if (column) candidates.push(`${bare} (${column[2]})?`);
  return candidates.filter((q) => {
    const r = readQuestion(q, tables);
    if (r.kind !== 'query' || JSON.stringify(r.query) === JSON.stringify(taken)) return false;
    return !('declined' in runQuery(r.query, r.table.table, r.table.title));
  });
}

function citationOf(source: DocumentTables, table: TableData, title: string): TableCitation {
  return {
    docId: source.docId,
    docName: source.docName,
    table: title,
    tableIndex: table.index,
    ...(table.page ? { page: table.page } : {}),
    headerRow: table.headerRow,
    columns: table.columns.map((c) => c.name),
  };
}

/**
 * Answers a question from the library's tables, or says it is not a table question (null). The
 * rules read it first; what they cannot read goes to the proposer, if there is one.
 */
export async function answerFromTables(
  question: string,
  sources: DocumentTables[],
  opts: { proposer?: TableQueryProposer | null; signal?: AbortSignal } = {},
): Promise<TableAnswer | null> {
  const titled: (TitledTable & { source: DocumentTables })[] = sources.flatMap((s) =>
    s.tables.map((table) => ({ title: tableTitle(s.docName, table), table, source: s })),
  );
  if (!titled.length) return null;
  const reading = readQuestion(question, titled);
  const cite = (t: TitledTable) => {
    const found = titled.find((x) => x.title === t.title)!;
    return citationOf(found.source, found.table, found.title);
  };
  if (reading.kind === 'query') {
    const out = runQuery(reading.query, reading.table.table, reading.table.title);
    if ('declined' in out) return { status: 'declined', reason: out.declined, citation: cite(reading.table) };
    const others = reading.reading ? otherReadings(question, reading.reading, reading.query, titled) : [];
    return {
      status: 'computed',
      by: 'rules',
      citation: cite(reading.table),
      ...out,
      ...(reading.reading ? { reading: reading.reading } : {}),
      ...(others.length ? { otherQuestions: others } : {}),
    };
  }
  if (opts.proposer) {
    const proposed = await opts.proposer.propose(question, schemasOf(titled), opts.signal);
    if (proposed !== null && proposed !== undefined) {
      if (typeof proposed !== 'object' || Array.isArray(proposed))
        return {
          status: 'declined',
          reason:
            'The answer model did not propose a structured query (it wrote something else), so nothing was computed.',
        };
      const name = (proposed as Partial<TableQuery>).table;
      const t = titled.find((x) => x.title === name);
      if (!t)
        return { status: 'declined', reason: `The proposed query names no table of the library (“${String(name)}”).` };
      const problems = [...validateQuery(proposed, t.table, t.title), ...strictProblems(proposed, t.table)];
      if (problems.length)
        return {
          status: 'declined',
          reason: `The proposed query was not run: ${problems.join('; ')}.`,
          citation: cite(t),
        };
      try {
        const out = runQuery(proposed as TableQuery, t.table, t.title);
        if ('declined' in out) return { status: 'declined', reason: out.declined, citation: cite(t) };
        return { status: 'computed', by: 'model', citation: cite(t), ...out };
      } catch (err) {
        if (err instanceof InvalidQuery) return { status: 'declined', reason: err.message, citation: cite(t) };
        throw err;
      }
    }
  }
  if (reading.kind === 'unclear')
    return {
      status: 'declined',
      reason: `This looks like a question about ${reading.table?.title ?? 'a table'}, but it could not be computed exactly: ${reading.reason}.`,
      ...(reading.table ? { citation: cite(reading.table) } : {}),
    };
  return null;
}
