import { MONTH_NAMES } from './columns';
import type { TableColumn, TableData, TableFilter, TableQuery, TableResult } from './types';

/**
 * The computation: a validated TableQuery run over typed columns in plain loops. Chosen over
 * Arquero (compiles every expression with `Function`, which the app's Content-Security-Policy
 * forbids) and DuckDB-WASM (34 MB of wasm, seconds to load): docs/tables.md has the figures.
 */

/** Rows shown with an answer. */
export const ROWS_SHOWN = 100;

export class InvalidQuery extends Error {}

const TOTAL_ROW = /^\s*(grand\s+)?(sub)?totals?\b/i;

const totalRowCache = new WeakMap<TableData, number[]>();

/** Rows with a text cell reading "Total …", found once per table (a 100k-row table has none, usually). */
function totalRowsOf(table: TableData): number[] {
  let rows = totalRowCache.get(table);
  if (rows) return rows;
  rows = [];
  for (const c of table.columns) {
    if (c.type !== 'text') continue;
    const seen = new Map<string, boolean>();
    c.values.forEach((v, i) => {
      if (typeof v !== 'string') return;
      let total = seen.get(v);
      if (total === undefined) seen.set(v, (total = TOTAL_ROW.test(v)));
      if (total) rows!.push(i);
    });
  }
  totalRowCache.set(table, rows);
  return rows;
}

/** What is wrong with a query for this table, in sentences; empty when it may run. */
export function validateQuery(query: unknown, table: TableData, title: string): string[] {
  const problems: string[] = [];
  if (!query || typeof query !== 'object') return ['the query is not an object'];
  const q = query as Partial<TableQuery>;
  const ops = ['count', 'sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'lookup'];
  if (q.table !== title) problems.push(`the query names table “${String(q.table)}”, not “${title}”`);
  if (typeof q.op !== 'string' || !ops.includes(q.op)) problems.push(`unknown operation “${String(q.op)}”`);
  const col = (name: unknown, what: string): TableColumn | undefined => {
    const c = typeof name === 'string' ? table.columns.find((x) => x.name === name) : undefined;
    if (!c) problems.push(`${what} “${String(name)}” is not a column of ${title}`);
    return c;
  };
  if (q.op === 'sum' || q.op === 'mean') {
    const c = col(q.column, 'the column');
    if (c && c.type !== 'number') problems.push(`“${c.name}” holds ${c.type}, not numbers`);
  } else if (q.op === 'max' || q.op === 'min') {
    const c = col(q.column, 'the column');
    if (c && c.type === 'text') problems.push(`“${c.name}” holds text, not numbers or dates`);
  } else if (q.op === 'lookup') col(q.column, 'the column');
  else if (q.op === 'argmax' || q.op === 'argmin') {
    const by = q.by && typeof q.by === 'object' ? col(q.by.column, 'the grouping column') : undefined;
    if (!q.by) problems.push('argmax/argmin needs `by`');
    if (by && q.by?.part === 'year' && by.type !== 'date')
      problems.push(`“${by.name}” holds no dates to take years of`);
    if (q.by?.part !== undefined && q.by.part !== 'year') problems.push(`unknown part “${String(q.by.part)}”`);
    const aggs = ['count', 'sum', 'max', 'min', 'mean'];
    if (q.agg !== undefined && !aggs.includes(q.agg)) problems.push(`unknown aggregate “${String(q.agg)}”`);
    if ((q.agg ?? 'count') !== 'count') {
      const c = col(q.column, 'the column');
      if (c && c.type !== 'number') problems.push(`“${c.name}” holds ${c.type}, not numbers`);
    }
  }
  if (!Array.isArray(q.filters)) problems.push('filters must be a list');
  else
    for (const f of q.filters as unknown[]) {
      const filter = f as Partial<TableFilter> | null;
      const c = filter && typeof filter === 'object' ? col(filter.column, 'the filter column') : undefined;
      if (!c || !filter) continue;
      if (filter.op === 'eq') {
        if (typeof filter.value !== (c.type === 'number' ? 'number' : 'string'))
          problems.push(`“${c.name}” is compared with ${typeof filter.value}`);
      } else if (filter.op === 'year') {
        if (c.type !== 'date') problems.push(`“${c.name}” holds no dates`);
        if (!Number.isInteger(filter.value)) problems.push('a year must be a whole number');
        const month = (filter as { month?: unknown }).month;
        if (month !== undefined && !(Number.isInteger(month) && (month as number) >= 1 && (month as number) <= 12))
          problems.push('a month must be 1–12');
      } else problems.push(`unknown filter “${String((filter as { op?: unknown }).op)}”`);
    }
  return problems;
}

/** Folds case and a plural ending, so "Fog", "fogs" and "fog" are one value. */
export function foldValue(v: string): string {
  const t = v.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && /(ss|us|is)$/.test(t)) return t;
  if (t.length > 3 && /(sh|ch|x|z)es$/.test(t)) return t.slice(0, -2);
  if (t.length > 3 && t.endsWith('s')) return t.slice(0, -1);
  return t;
}

function matcher(f: TableFilter, c: TableColumn): (i: number) => boolean {
  const values = c.values;
  if (f.op === 'year') {
    const prefix = f.month ? `${f.value}-${String(f.month).padStart(2, '0')}` : String(f.value);
    return (i) => typeof values[i] === 'string' && (values[i] as string).startsWith(prefix);
  }
  if (typeof f.value === 'number') return (i) => values[i] === f.value;
  const want = foldValue(f.value);
  // Fold each distinct value once: a 100k-row column has few.
  const folded = new Map<string, boolean>();
  return (i) => {
    const v = values[i];
    if (typeof v !== 'string') return false;
    let ok = folded.get(v);
    if (ok === undefined) folded.set(v, (ok = foldValue(v) === want));
    return ok;
  };
}

function describeFilter(f: TableFilter): string {
  if (f.op === 'year') return `${f.column} is in ${f.month ? `${MONTH_NAMES[f.month - 1]} ` : ''}${f.value}`;
  return `${f.column} is ${typeof f.value === 'number' ? formatValue(f.value) : f.value}`;
}

function decimalsOf(v: number): number {
  if (Number.isInteger(v)) return 0;
  const text = String(v);
  if (text.includes('e')) return 10;
  return Math.min(10, text.length - text.indexOf('.') - 1);
}

const roundTo = (v: number, decimals: number) => Number(v.toFixed(decimals));

export function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  const rounded = Math.abs(v) >= 100 ? Math.round(v * 100) / 100 : Math.round(v * 10000) / 10000;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/**
 * Runs a query (validated here again: nothing unchecked runs). Returns the result, or a sentence
 * saying why it gives no answer (no rows match, a lookup that matches several rows, a tie).
 */
export function runQuery(query: TableQuery, table: TableData, title: string): TableResult | { declined: string } {
  const problems = validateQuery(query, table, title);
  if (problems.length) throw new InvalidQuery(`The query cannot run: ${problems.join('; ')}.`);
  // A sheet cut at its row limit would give a count or a total of part of it as the whole.
  if (table.truncated)
    return {
      declined: `${title} was too long to keep whole (only its first ${table.rows.length.toLocaleString('en-US')} rows are stored), so nothing is computed over it.`,
    };
  const column = (name: string) => table.columns.find((c) => c.name === name)!;
  const tests = query.filters.map((f) => matcher(f, column(f.column)));
  const selected: number[] = [];
  for (let i = 0; i < table.rows.length; i++) if (tests.every((t) => t(i))) selected.push(i);
  // A "Total" row repeats the rows above it: added in, it would count them twice. It is read
  // only when a filter asks for it (a lookup of "Total revenue").
  const asked = new Set(query.filters.flatMap((f) => (typeof f.value === 'string' ? [foldValue(f.value)] : [])));
  const totalRows = totalRowsOf(table);
  const totals = totalRows.length
    ? selected.filter((i) =>
        table.columns.some((c) => {
          const v = c.values[i];
          return c.type === 'text' && typeof v === 'string' && TOTAL_ROW.test(v) && !asked.has(foldValue(v));
        }),
      )
    : [];
  if (totals.length) {
    // Kept in place without spreading them as arguments (too many for the stack in a large table).
    const skip = new Set(totals);
    let w = 0;
    for (const i of selected) if (!skip.has(i)) selected[w++] = i;
    selected.length = w;
  }
  const where = query.filters.length ? ` where ${query.filters.map(describeFilter).join(' and ')}` : '';
  const of = `rows of ${title}${where}`;
  const left = totals.length
    ? ` (${totals.length === 1 ? 'its total row' : `${totals.length} total rows`} left out)`
    : '';
  const done = (value: number | string, computation: string, rows = selected): TableResult => ({
    value,
    display: formatValue(value),
    computation: `${computation}${left}: ${formatValue(value)}`,
    query,
    rows: rows.slice(0, ROWS_SHOWN).map((i) => table.rows[i]!),
    rowCount: rows.length,
  });
  if (query.op === 'count') return done(selected.length, `Counted ${of}`);
  if (!selected.length) return { declined: `No ${of}.` };

  if (query.op === 'lookup') {
    const c = column(query.column!);
    const found = selected.filter((i) => c.values[i] !== null);
    if (found.length !== 1)
      return {
        declined: found.length
          ? `${found.length} ${of} have a ${c.name}; the question does not say which one.`
          : `No ${of} has a ${c.name}.`,
      };
    return done(c.values[found[0]!]!, `${c.name} in the row of ${title}${where}`, found);
  }

  if (query.op === 'argmax' || query.op === 'argmin') return argExtreme(query, table, title, selected, where, done);

  const c = column(query.column!);
  const used = selected.filter((i) => c.values[i] !== null);
  const skipped = selected.length - used.length;
  const note = skipped ? ` (${skipped} row${skipped > 1 ? 's' : ''} with no ${c.name} left out)` : '';
  if (!used.length) return { declined: `No ${of} has a ${c.name}.` };
  if (query.op === 'sum' || query.op === 'mean') {
    let sum = 0;
    for (const i of used) sum += c.values[i] as number;
    // Binary floating point adds 8.3 and 8.8 to 17.099999999999998: a sum is given to the
    // decimals its values have.
    let decimals = 0;
    for (const i of used) decimals = Math.max(decimals, decimalsOf(c.values[i] as number));
    const value = query.op === 'sum' ? roundTo(sum, decimals) : sum / used.length;
    const verb = query.op === 'sum' ? 'Added up' : `Averaged ${used.length} values of`;
    return done(value, `${verb} ${c.name} over ${of}${note}`, used);
  }
  // max / min: numbers compare as numbers, ISO dates as text.
  let best = used[0]!;
  for (const i of used) {
    const v = c.values[i]!;
    if (query.op === 'max' ? v > c.values[best]! : v < c.values[best]!) best = i;
  }
  const value = c.values[best]!;
  const ties = used.filter((i) => c.values[i] === value);
  return done(value, `${query.op === 'max' ? 'Highest' : 'Lowest'} ${c.name} over ${of}${note}`, ties);
}

function argExtreme(
  query: TableQuery,
  table: TableData,
  title: string,
  selected: number[],
  where: string,
  done: (value: number | string, computation: string, rows?: number[]) => TableResult,
): TableResult | { declined: string } {
  const by = table.columns.find((c) => c.name === query.by!.column)!;
  const year = query.by!.part === 'year';
  const agg = query.agg ?? 'count';
  const measure = agg === 'count' ? undefined : table.columns.find((c) => c.name === query.column)!;
  const groups = new Map<string | number, { rows: number[]; acc: number; n: number }>();
  for (const i of selected) {
    const raw = by.values[i];
    if (raw === null || raw === undefined) continue;
    const key = year ? Number(String(raw).slice(0, 4)) : raw;
    const v = measure ? (measure.values[i] as number | null) : 1;
    if (v === null) continue;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rows: [], acc: agg === 'max' ? -Infinity : agg === 'min' ? Infinity : 0, n: 0 }));
    g.rows.push(i);
    g.n++;
    g.acc = agg === 'max' ? Math.max(g.acc, v) : agg === 'min' ? Math.min(g.acc, v) : g.acc + v;
  }
  if (!groups.size) return { declined: `No rows of ${title}${where} have a ${by.name}.` };
  const score = (g: { acc: number; n: number }) => (agg === 'mean' ? g.acc / g.n : g.acc);
  const sign = query.op === 'argmax' ? 1 : -1;
  const ranked = [...groups].sort((a, b) => sign * (score(b[1]) - score(a[1])));
  const [key, g] = ranked[0]!;
  const tied = ranked.filter(([, x]) => score(x) === score(g)).map(([k]) => k);
  const byName = year ? `year of ${by.name}` : by.name;
  const high = query.op === 'argmax';
  const what =
    agg === 'count'
      ? `the ${high ? 'most' : 'fewest'} rows`
      : `the ${high ? 'highest' : 'lowest'} ${{ sum: 'total ', mean: 'average ', max: '', min: '' }[agg]}${measure!.name}`;
  if (tied.length > 1)
    return { declined: `${tied.map((k) => formatValue(k)).join(', ')} tie for ${what} (${formatValue(score(g))}).` };
  const result = done(
    key,
    `Grouped rows of ${title}${where} by ${byName} and took the one with ${what} (${formatValue(score(g))})`,
    g.rows,
  );
  // A year is a name here, not an amount: 2023, not 2,023.
  if (typeof key === 'number' && (year || /year/i.test(by.name))) {
    result.display = String(key);
    result.computation = result.computation.replace(/: [^:]+$/, `: ${key}`);
  }
  return result;
}
