import { InvalidQuery, runQuery, validateQuery } from './run';
import type { TableData, TableQuery, TableResult } from './types';
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

export type TableAnswer =
  | ({ status: 'computed'; citation: TableCitation; by: 'rules' | 'model' } & TableResult)
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
    return {
      status: 'computed',
      by: 'rules',
      citation: cite(reading.table),
      ...out,
      ...(reading.reading ? { reading: reading.reading } : {}),
    };
  }
  if (opts.proposer) {
    const proposed = await opts.proposer.propose(question, schemasOf(titled), opts.signal);
    if (proposed !== null && proposed !== undefined) {
      const name = (proposed as Partial<TableQuery>).table;
      const t = titled.find((x) => x.title === name);
      if (!t)
        return { status: 'declined', reason: `The proposed query names no table of the library (“${String(name)}”).` };
      const problems = validateQuery(proposed, t.table, t.title);
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
