/**
 * Tables kept as tables (issue 24): what a sheet, a CSV/TSV or a document's table becomes beside
 * its text, the structured query asked of one, and the computed answer. Plain data throughout
 * (no typed arrays, no NaN), so it is stored in IndexedDB and travels in a backup's JSON as it is.
 */

export type ColumnType = 'number' | 'date' | 'text';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /**
   * One value per row; null for an empty cell, or one that does not read as the column's type.
   * Numbers as numbers, dates as ISO text ("2014-03-01", "2014-03-01 12:30"), text as written.
   */
  values: (number | string | null)[];
  /** A few distinct values as written, for a schema a person (or a model) can read. */
  sample: string[];
  /** A unit or currency written with the numbers ("$", "%", "kg"), taken off to read them. */
  unit?: string;
  /** Cells left empty (or "N/A", "-"). */
  empty: number;
  /** Non-empty cells that did not read as the column's type: left out of any computation, and said so. */
  invalid: number;
  /** Numbers were written 1.234,5 (a comma for the decimals). */
  decimalComma?: boolean;
}

export interface TableData {
  /**
   * Its name within its document: the sheet's, the table's number ("table 2"), both when a sheet
   * holds several ("2024 › table 2"), or "" for a CSV (the file is the table).
   */
  name: string;
  /** The sheet it was on (sheets), or its number among the document's tables (documents). */
  sheet?: string;
  /** The sheet's number (the document's `page` for sheets), as the passages have it. */
  page?: number;
  /** Its place among the document's tables, from 0. */
  index: number;
  /** Source row number (1-based) of the header, 0 when the table has none. */
  headerRow: number;
  /** Source row number (1-based) of each data row, for citations ("row 12 of …"). */
  rows: number[];
  columns: TableColumn[];
  /** Rows left out because the sheet was cut at its row limit. */
  truncated?: boolean;
}

/** One condition rows must meet. */
export type TableFilter =
  /** A text column equal to a value (case and plural forms aside), or a number column equal to a number. */
  | { column: string; op: 'eq'; value: string | number }
  /** A date column within a year (and, with `month` 1–12, that month of it). */
  | { column: string; op: 'year'; value: number; month?: number };

export type TableOp = 'count' | 'sum' | 'mean' | 'max' | 'min' | 'argmax' | 'argmin' | 'lookup';

/**
 * What to compute, as data: validated against the table's columns before it runs, never code.
 * `count` counts rows; `sum`, `mean`, `max`, `min` take `column`; `lookup` returns `column` of the
 * one row the filters leave; `argmax`/`argmin` return the value of `by` (its year, with part
 * 'year') whose group has the most/least rows, or the largest/smallest `agg` of `column`.
 */
export interface TableQuery {
  /** The table as `tableTitle` names it: its document, then its name in it ("budget.xlsx › 2024"). */
  table: string;
  op: TableOp;
  column?: string;
  by?: { column: string; part?: 'year' };
  agg?: 'count' | 'sum' | 'max' | 'min' | 'mean';
  filters: TableFilter[];
}

/** A computed answer and how it was reached. */
export interface TableResult {
  /** The number (or, for argmax and lookups of text, the text) computed. */
  value: number | string;
  /** The value as shown ("1,380", "Texas"). */
  display: string;
  /** The computation in words a person can check. */
  computation: string;
  query: TableQuery;
  /** The rows used (filters applied), first 100, as source row numbers. */
  rows: number[];
  /** All the rows the filters left (rows holds the first 100 of them). */
  rowCount: number;
  /** How the question was read, when it could be read another way too. */
  reading?: string;
}
