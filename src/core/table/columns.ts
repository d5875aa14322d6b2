import type { ColumnType, TableColumn, TableData } from './types';

/** A grid as the readers have it: each row's source number and its cells as text. */
export interface GridRow {
  row: number;
  cells: string[];
}

const EMPTY = new Set(['', 'na', 'n/a', 'n.a.', '-', '–', '—', 'null', 'nan', '..', '#n/a']);
const SAMPLE = 5;
/** A column is of a type when at least this share of its non-empty cells read as it. */
const TYPE_SHARE = 0.95;

/**
 * A grid → its tables: blank rows split a sheet into several; a lone line above a table is its
 * title, not a table; the first row is the header when it reads as names over the values below
 * (two header rows with merged cells are joined: "Revenue 2021"). Each column is typed.
 */
export function tablesFromGrid(
  grid: GridRow[],
  meta: { name: string; sheet?: string; page?: number; firstIndex: number; truncated?: boolean },
): TableData[] {
  const blocks: GridRow[][] = [];
  let current: GridRow[] = [];
  for (const r of grid) {
    if (r.cells.some((c) => c.trim())) current.push(r);
    else if (current.length) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length) blocks.push(current);
  const out: TableData[] = [];
  const many = blocks.filter((b) => b.length >= 2).length > 1;
  for (const block of blocks) {
    // A single line (a title, a note) is not a table; nor is a table without two columns.
    if (block.length < 2) continue;
    // A loop, not Math.max(...rows): spread over 200,000 rows overflows the stack.
    const width = block.reduce((w, r) => Math.max(w, lastFilled(r.cells) + 1), 0);
    if (width < 2) continue;
    const index = meta.firstIndex + out.length;
    const name = many ? [meta.name, `table ${out.length + 1}`].filter(Boolean).join(' › ') : meta.name;
    const table = typeTable(block, width, { ...meta, name, index });
    if (table) out.push(table);
  }
  return out;
}

function lastFilled(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.trim()) return i;
  return -1;
}

function typeTable(
  block: GridRow[],
  width: number,
  meta: { name: string; sheet?: string; page?: number; index: number; truncated?: boolean },
): TableData | undefined {
  const cell = (r: GridRow, i: number) => (r.cells[i] ?? '').trim();
  const first = block[0]!;
  const headerRows = headerRowCount(block, width);
  const names: string[] = [];
  for (let i = 0; i < width; i++) {
    if (!headerRows) {
      names.push(`Column ${columnLetter(i)}`);
      continue;
    }
    // Merged cells leave the cells they cover empty: the group's name carries to the right.
    let top = cell(first, i);
    if (headerRows === 2 && !top) for (let j = i - 1; j >= 0 && !top; j--) top = cell(first, j);
    const name = headerRows === 2 ? [top, cell(block[1]!, i)].filter(Boolean).join(' ') : top;
    names.push(name || `Column ${columnLetter(i)}`);
  }
  // Names must tell columns apart.
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const n = (seen.get(names[i]!.toLowerCase()) ?? 0) + 1;
    seen.set(names[i]!.toLowerCase(), n);
    if (n > 1) names[i] = `${names[i]} (${n})`;
  }
  const body = block.slice(headerRows);
  if (!body.length) return undefined;
  const cellsOf = names.map((_, i) => body.map((r) => cell(r, i)));
  // A table is written in one locale: a column that shows its decimal comma ("4,8") settles
  // "2.956" in the column beside it as two thousand nine hundred and fifty-six.
  const evidence = cellsOf.map((cells) => decimalEvidence(cells.filter((c) => !EMPTY.has(c.toLowerCase()))));
  const tableComma = evidence.some((e) => e === 'comma') && !evidence.some((e) => e === 'dot');
  const columns = names.map((name, i) => typeColumn(name, cellsOf[i]!, tableComma));
  return {
    name: meta.name,
    ...(meta.sheet ? { sheet: meta.sheet } : {}),
    ...(meta.page ? { page: meta.page } : {}),
    index: meta.index,
    headerRow: headerRows ? block[headerRows - 1]!.row : 0,
    rows: body.map((r) => r.row),
    columns,
    ...(meta.truncated ? { truncated: true } : {}),
  };
}

/**
 * 0, 1 or 2 header rows. The first row is a header when none of its cells reads as a number or
 * a date while the rows below have some that do, or (a table of text) when its cells are all
 * filled and all different. A second row joins it when the first has gaps (merged cells) and
 * the second is text too.
 */
function headerRowCount(block: GridRow[], width: number): 0 | 1 | 2 {
  const texts = (r: GridRow) => Array.from({ length: width }, (_, i) => (r.cells[i] ?? '').trim());
  const valueLike = (c: string) => parseNumber(c, false) !== null || parseDate(c) !== null;
  const first = texts(block[0]!);
  const below = block.slice(1, 21).map(texts);
  // Years across the top ("Revenue | 2021 | 2020") name columns of other numbers.
  const yearName = (c: string, i: number) =>
    /^(1[89]|20)\d\d$/.test(c) && below.some((r) => r[i] && !/^(1[89]|20)\d\d$/.test(r[i]!));
  if (first.some((c, i) => valueLike(c) && !yearName(c, i))) return 0;
  if (first.every((c, i) => !c || yearName(c, i))) return 0;
  const bodyHasValues = below.some((r) => r.some(valueLike));
  const filled = first.filter(Boolean);
  const distinct = new Set(filled.map((c) => c.toLowerCase())).size === filled.length;
  if (!bodyHasValues && !(filled.length === width && distinct)) return 0;
  const second = below[0];
  const yearBelow = (c: string, i: number) =>
    /^(1[89]|20)\d\d$/.test(c) && below.slice(1).some((r) => r[i] && !/^(1[89]|20)\d\d$/.test(r[i]!));
  if (
    second &&
    filled.length < width &&
    block.length > 2 &&
    !second.some((c, i) => valueLike(c) && !yearBelow(c, i)) &&
    below.slice(1).some((r) => r.some(valueLike))
  )
    return 2;
  return 1;
}

function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A column's cells → its type and values: the type most of its non-empty cells read as. */
export function typeColumn(name: string, cells: string[], tableComma = false): TableColumn {
  const filled = cells.filter((c) => !EMPTY.has(c.toLowerCase()));
  const empty = cells.length - filled.length;
  const sample = [...new Set(filled.slice(0, 200))].slice(0, SAMPLE);
  const base = { name, sample, empty };
  if (!filled.length) return { ...base, type: 'text', values: cells.map(() => null), invalid: 0 };

  const own = decimalEvidence(filled);
  const decimalComma = own === 'comma' || (own === 'none' && tableComma);
  const unit = commonUnit(filled);
  const numbers = cells.map((c) => (EMPTY.has(c.toLowerCase()) ? null : parseNumber(stripUnit(c, unit), decimalComma)));
  const numberCount = numbers.filter((n) => n !== null).length;
  // A column of years is numbers; a date needs more than a number to be one.
  const dates = cells.map((c) => (EMPTY.has(c.toLowerCase()) ? null : parseDate(c)));
  const dateCount = dates.filter((d) => d !== null).length;
  const pick = (type: ColumnType, values: (number | string | null)[], count: number): TableColumn => ({
    ...base,
    type,
    values,
    invalid: filled.length - count,
    ...(type === 'number' && unit ? { unit } : {}),
    ...(type === 'number' && decimalComma ? { decimalComma } : {}),
  });
  // Leading zeros ("00501") are codes: read as numbers they would lose the zeros.
  const codes = filled.filter((c) => /^0\d/.test(c.trim())).length > filled.length * 0.01;
  if (!codes && numberCount >= filled.length * TYPE_SHARE && numberCount >= dateCount)
    return pick('number', numbers, numberCount);
  if (dateCount >= filled.length * TYPE_SHARE) return pick('date', dates, dateCount);
  return pick(
    'text',
    cells.map((c) => (EMPTY.has(c.toLowerCase()) ? null : c)),
    filled.length,
  );
}

const CURRENCY = /^[$€£¥₹]|^(?:usd|eur|gbp|chf)\s/i;
const SUFFIX_UNIT = /\s?(%|‰|[a-zµ°][a-z²³/°]{0,5}|[$€£¥])$/i;

/** The unit written on (nearly) every number of the column, if one is. */
function commonUnit(filled: string[]): string | undefined {
  const counts = new Map<string, number>();
  const probe = filled.slice(0, 500);
  for (const c of probe) {
    const prefix = CURRENCY.exec(c)?.[0]?.trim();
    const suffix = /\d/.test(c) ? SUFFIX_UNIT.exec(c)?.[1] : undefined;
    const u = prefix ?? suffix;
    if (u) counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  for (const [u, n] of counts) if (n >= probe.length * 0.8) return u;
  return undefined;
}

function stripUnit(c: string, unit: string | undefined): string {
  if (!unit) return c;
  const t = c.trim();
  if (t.toLowerCase().startsWith(unit.toLowerCase())) return t.slice(unit.length).trim();
  if (t.toLowerCase().endsWith(unit.toLowerCase())) return t.slice(0, -unit.length).trim();
  return t;
}

/**
 * Whether the column writes its decimals with a comma (1.234,5 or 12,5) or a dot, from the cells
 * that can only be read one way, so "1,234" is not read two ways in one column. With evidence
 * both ways it is 'dot' (English, the default); with none, 'none'.
 */
function decimalEvidence(filled: string[]): 'comma' | 'dot' | 'none' {
  let comma = 0;
  let dot = 0;
  for (const c of filled.slice(0, 2000)) {
    const t = c.replace(/[^\d.,]/g, '');
    if (/^\d{1,3}(\.\d{3})+,\d+$/.test(t) || /^\d+,(\d{1,2}|\d{4,})$/.test(t) || /^\d{1,3}(\.\d{3}){2,}$/.test(t))
      comma++;
    else if (/^\d{1,3}(,\d{3})+\.\d+$/.test(t) || /^\d+\.(\d{1,2}|\d{4,})$/.test(t) || /^\d{1,3}(,\d{3}){2,}$/.test(t))
      dot++;
  }
  return comma > 0 && dot === 0 ? 'comma' : dot > 0 ? 'dot' : 'none';
}

/**
 * A cell → a number, or null: signs, thousands separators (commas, or dots with decimalComma;
 * spaces either way), parentheses for negatives (accounting), a trailing percent sign.
 */
export function parseNumber(text: string, decimalComma: boolean): number | null {
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!t) return null;
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  t = t.replace(/^[$€£¥₹]/, '').replace(/%$/, '');
  if (/^[-−–+]/.test(t)) {
    negative = negative !== /^[-−–]/.test(t);
    t = t.slice(1);
  }
  t = t.replace(/^[$€£¥₹]/, '');
  const pattern = decimalComma
    ? /^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$|^,\d+$/
    : /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$|^\d+(\.\d+)?e[-+]?\d+$/i;
  if (!pattern.test(t)) return null;
  const plain = decimalComma ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  const n = Number(plain);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A cell → an ISO date ("2014-03-01", with " hh:mm" when it has a time), or null. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  let m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      t,
    );
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!, m[4], m[5]);
  // dd.mm.yyyy is European; with slashes, day first only when the first part cannot be a month.
  m = /^(\d{1,2})([./])(\d{1,2})\2(\d{4})$/.exec(t);
  if (m) {
    const [a, b] = [+m[1]!, +m[3]!];
    const dayFirst = m[2] === '.' || a > 12;
    return iso(+m[4]!, dayFirst ? b : a, dayFirst ? a : b);
  }
  m = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i.exec(t);
  if (m) return monthNumber(m[2]!) ? iso(+m[3]!, monthNumber(m[2]!)!, +m[1]!) : null;
  m = /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t);
  if (m) return monthNumber(m[1]!) ? iso(+m[3]!, monthNumber(m[1]!)!, +m[2]!) : null;
  m = /^([a-z]{3,9})\.?\s+(\d{4})$/i.exec(t);
  if (m) return monthNumber(m[1]!) ? iso(+m[2]!, monthNumber(m[1]!)!, 1) : null;
  return null;
}

/** A month's number from its name or a prefix of it ("March", "Mar", "Sept"), or undefined. */
export function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(w));
  return i >= 0 ? i + 1 : undefined;
}

function iso(y: number, mo: number, d: number, h?: string, mi?: string): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1) return null;
  const day = `${String(y)}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return h !== undefined && mi !== undefined && !(+h === 0 && +mi === 0) ? `${day} ${h.padStart(2, '0')}:${mi}` : day;
}
