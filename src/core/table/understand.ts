import { monthNumber } from './columns';
import { foldValue } from './run';
import type { TableColumn, TableData, TableFilter, TableOp, TableQuery } from './types';

/**
 * From a question to a TableQuery by rules, no model: which table (its name, its columns' names,
 * values of its columns in the question), which operation (how many, total, average, highest,
 * which … most, what was X for Y), which column (by name, abbreviations and a few synonyms:
 * "maximum temperature" → temp_max) and which filters (values that occur in the table's text
 * columns, in any case and plural form; a year, or a month and year, against a date column).
 */

export interface TitledTable {
  /** `tableTitle(docName, table)`: how answers and queries name it. */
  title: string;
  table: TableData;
}

export type Reading =
  | { kind: 'query'; query: TableQuery; table: TitledTable; reading?: string }
  /** A table question the rules cannot finish: why, so the answer says so instead of guessing. */
  | { kind: 'unclear'; reason: string; table?: TitledTable }
  /** Not a question about a table (no operation, or nothing in it names a table). */
  | { kind: 'none' };

const STOP = new Set(
  'a an the of in on at for to from by with and or is was were are be been do does did what which who how many much number total sum average mean highest lowest maximum minimum most least largest smallest biggest greatest fewest top all any there that this these those it its their have has had per each across over during year years month state value count when where between than as its into out up down'.split(
    ' ',
  ),
);

/** Little words inside column names ("Speed IAS in knots") that say nothing about the column. */
const STOP_IN_NAMES = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'at', 'for', 'to', 'by', 'and', 'or', 'per']);

/** Words a column name abbreviates or means, folded; matched both ways. */
const SYNONYMS: Record<string, string[]> = {
  temp: ['temperature', 'warm', 'warmest', 'hot', 'hottest', 'cold', 'coldest'],
  max: ['maximum', 'highest', 'high'],
  min: ['minimum', 'lowest', 'low'],
  avg: ['average', 'mean'],
  pop: ['population', 'people'],
  precip: ['precipitation', 'rain', 'rainfall'],
  qty: ['quantity'],
  amt: ['amount'],
  num: ['number'],
  gen: ['generation', 'generated'],
  population: ['people', 'inhabitant', 'resident'],
  income: ['earning', 'gdp'],
  health: ['life', 'expectancy'],
  cost: ['costs', 'spent', 'spend', 'price', 'paid'],
  count: ['flight', 'flights'],
};

export function tableTitle(docName: string, table: TableData): string {
  return table.name ? `${docName} › ${table.name}` : docName;
}

/** Words of a question or a column name: lower case, split at anything not a letter or digit and at camelCase. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

interface Op {
  op: TableOp;
  /** The words after "which"/"what" naming what is asked for (argmax/argmin). */
  byWords?: string[];
  /** A "most"-like word: sums rather than takes the highest row. */
  plural?: boolean;
  /** A condition the rules cannot compute ("no", "more than"): the question is declined. */
  unsupported?: string;
}

const HIGH = /\b(most|highest|largest|biggest|greatest|maximum|max|top|peak|warmest|hottest|longest)\b/;
const LOW = /\b(least|lowest|smallest|fewest|minimum|min|coldest|shortest)\b/;

/** Words that end the name of what "which …" asks for ("which state had …"). */
const VERBS = new Set(
  'had has have was were is are saw did does do got show shows with recorded produced reported received sold made'.split(
    ' ',
  ),
);

/** Conditions the rules do not compute (negation, comparison): a question with one is declined. */
const UNSUPPORTED =
  /\b(no|not|without|except|never|none|more than|less than|fewer than|greater than|at least|at most|above|below|between)\b/;

function operation(q: string): Op | undefined {
  const high = HIGH.test(q);
  const low = LOW.test(q);
  const unsupported = UNSUPPORTED.exec(q)?.[0];
  const op = ((): Op | undefined => {
    const which = /\b(?:which|what)\s+(.*)$/u.exec(q);
    if (which && high !== low) {
      const byWords: string[] = [];
      for (const w of words(which[1]!)) {
        if (VERBS.has(w) || byWords.length === 3) break;
        byWords.push(w);
      }
      if (byWords.length)
        return { op: high ? 'argmax' : 'argmin', byWords, plural: /\b(most|least|fewest|total)\b/.test(q) };
    }
    if (/\b(average|mean)\b/.test(q)) return { op: 'mean' };
    if (/\bhow many\b|\bnumber of\b|^\s*count\b/.test(q)) return { op: 'count' };
    // "the highest total cost": the highest of a column named "total".
    if (high !== low) return { op: high ? 'max' : 'min' };
    if (/\b(total|sum|altogether|combined|in all)\b/.test(q)) return { op: 'sum' };
    if (/^\s*(what|how much)\b/.test(q)) return { op: 'lookup' };
    return undefined;
  })();
  return op && unsupported ? { ...op, unsupported } : op;
}

/** How well a column's name is matched by the question's words (0: not at all). */
function nameMatch(column: TableColumn, qWords: string[]): number {
  // A column named by a number ("2021" in a table of years across) is named by that number.
  if (/^\d+$/.test(column.name.trim())) return qWords.includes(column.name.trim()) ? 1 : 0;
  const own = words(column.name).filter((w) => w.length > 1 && !/^\d+$/.test(w) && !STOP_IN_NAMES.has(w));
  if (!own.length) return 0;
  let hit = 0;
  for (const w of own) if (qWords.some((q) => sameWord(q, w))) hit++;
  if (!hit) return 0;
  return hit / own.length + hit * 0.01;
}

function sameWord(q: string, w: string): boolean {
  if (q === w || foldValue(q) === foldValue(w)) return true;
  if (w.length >= 3 && q.length > w.length && q.startsWith(w)) return true;
  if (q.length >= 4 && w.length > q.length && w.startsWith(q)) return true;
  return (SYNONYMS[w] ?? []).some((s) => s === q || foldValue(s) === foldValue(q));
}

interface Found {
  filters: TableFilter[];
  /** Question word positions the filters took (not to be read as column names). */
  used: Set<number>;
  /** How much of the question the table's values explain. */
  score: number;
  ambiguous?: string;
}

const FROM = /origin|from|source|depart/i;
const TO = /dest|\bto\b|arriv/i;

/** Up to this many distinct values of a column are looked for in questions. */
const MAX_DISTINCT = 60_000;

/** Distinct folded values of each text column, built once per table. */
const valueIndex = new WeakMap<TableData, Map<string, { column: string; value: string; rows: number }[]>>();

function valuesOf(table: TableData): Map<string, { column: string; value: string; rows: number }[]> {
  let index = valueIndex.get(table);
  if (index) return index;
  index = new Map();
  for (const c of table.columns) {
    if (c.type !== 'text') continue;
    const counts = new Map<string, number>();
    for (const v of c.values) if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_DISTINCT) continue;
    for (const [v, n] of counts) {
      const key = words(v).map(foldValue).join(' ');
      if (!key) continue;
      const list = index.get(key) ?? [];
      const same = list.find((e) => e.column === c.name);
      if (same) same.rows += n;
      else list.push({ column: c.name, value: v, rows: n });
      index.set(key, list);
    }
  }
  valueIndex.set(table, index);
  return index;
}

function findFilters(table: TableData, qWords: string[], skip: Set<number>): Found {
  const index = valuesOf(table);
  const filters: TableFilter[] = [];
  const used = new Set<number>();
  let score = 0;
  let ambiguous: string | undefined;
  // Longest runs of words first, so "New York" wins over "York".
  for (let len = Math.min(6, qWords.length); len >= 1; len--) {
    for (let s = 0; s + len <= qWords.length; s++) {
      const span = Array.from({ length: len }, (_, k) => s + k);
      if (span.some((i) => used.has(i) || skip.has(i))) continue;
      const run = qWords.slice(s, s + len);
      // Years are dates' business (below); other numbers may be codes ("90210").
      if (run.every((w) => STOP.has(w) || /^(1[6-9]|20)\d\d$/.test(w) || /^\d{1,2}$/.test(w))) continue;
      const hits = index.get(run.map(foldValue).join(' '));
      if (!hits?.length) continue;
      const free = hits.filter((h) => !filters.some((f) => f.column === h.column));
      if (!free.length) continue;
      // A value in several columns: "from X" and "to X" say which (origin, destination), else
      // the column the question names, else the one it fills most.
      const before = qWords[s - 1];
      const direction = before === 'from' ? FROM : before === 'to' ? TO : undefined;
      const directed = direction ? free.filter((h) => direction.test(h.column)) : [];
      const named = directed.length
        ? directed
        : free.filter((h) => nameMatch(table.columns.find((c) => c.name === h.column)!, qWords) > 0);
      const pick = (named.length ? named : free).sort((a, b) => b.rows - a.rows)[0]!;
      if (free.length > 1 && !named.length)
        ambiguous = `“${pick.value}” was taken as ${pick.column} (it is also a value of ${free
          .filter((h) => h !== pick)
          .map((h) => h.column)
          .join(', ')})`;
      filters.push({ column: pick.column, op: 'eq', value: pick.value });
      for (const i of span) used.add(i);
      score += len;
    }
  }
  // Years (and a month before one) against a date column, or a column of years.
  for (let i = 0; i < qWords.length; i++) {
    if (used.has(i) || skip.has(i) || !/^(1[6-9]|20)\d\d$/.test(qWords[i]!)) continue;
    if (table.columns.some((c) => c.name.trim() === qWords[i])) continue;
    const year = Number(qWords[i]);
    const month = i > 0 ? monthNumber(qWords[i - 1]!) : undefined;
    const dates = table.columns.filter((c) => c.type === 'date' && !filters.some((f) => f.column === c.name));
    const years = table.columns.filter(
      (c) => c.type === 'number' && words(c.name).includes('year') && !filters.some((f) => f.column === c.name),
    );
    // A year the table has no rows in is not a filter of this table (the question is about another).
    const inYear = (c: TableColumn) => c.values.some((v) => typeof v === 'string' && v.startsWith(String(year)));
    const date = [...dates.filter((c) => nameMatch(c, qWords) > 0), ...dates].find(inYear);
    if (years[0] && !years[0].values.includes(year)) years.shift();
    if (date) {
      filters.push({
        column: date.name,
        op: 'year',
        value: year,
        ...(month ? { month } : {}),
      });
      if (month) used.add(i - 1);
    } else if (years[0]) filters.push({ column: years[0].name, op: 'eq', value: year });
    else continue;
    used.add(i);
    score += 1;
  }
  return { filters, used, score, ...(ambiguous ? { ambiguous } : {}) };
}

/**
 * A word that is a value with an ending ("foggy", "rainy" where weather holds "fog", "rain"):
 * read as nothing, it would silently drop the filter the person meant.
 */
function nearValue(
  table: TableData,
  qWords: string[],
  skip: (w: string, i: number) => boolean,
): { word: string; value: string; column: string } | undefined {
  const index = valuesOf(table);
  for (const [i, w] of qWords.entries()) {
    if (w.length < 4 || skip(w, i)) continue;
    for (let cut = 1; cut <= 2; cut++) {
      const hits = index.get(w.slice(0, -cut));
      if (hits?.length && w.slice(0, -cut).length >= 3)
        return { word: w, value: hits[0]!.value, column: hits[0]!.column };
    }
  }
  return undefined;
}

/** The column the question measures: named by it, of a type the operation takes, not filtered on. */
function target(
  table: TableData,
  qWords: string[],
  used: Set<number>,
  accept: (c: TableColumn) => boolean,
): { column?: TableColumn; ambiguous?: string } {
  const free = qWords.filter((_, i) => !used.has(i));
  const scored = table.columns
    .filter(accept)
    .map((c) => ({ c, s: nameMatch(c, free) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  if (!scored.length) return {};
  const top = scored[0]!;
  const tie = scored.filter((x) => x.s === top.s);
  if (tie.length > 1)
    return { column: top.c, ambiguous: `${tie.map((x) => x.c.name).join(' or ')}: ${top.c.name} was taken` };
  return { column: top.c };
}

/** A column of codes or ids (all different, or named so): counted as rows, never added up. */
function identifier(c: TableColumn): boolean {
  return words(c.name).some((w) => ['id', 'code', 'zip', 'key', 'no'].includes(w));
}

/** The column an argmax groups by: named after "which"; "year" takes a date column's years. */
function groupColumn(table: TableData, byWords: string[]): TableQuery['by'] | undefined {
  const named = table.columns
    .map((c) => ({ c, s: nameMatch(c, byWords) }))
    .filter((x) => x.s > 0 && x.c.type !== 'number')
    .sort((a, b) => b.s - a.s)[0]?.c;
  if (named)
    return { column: named.name, ...(named.type === 'date' && byWords.includes('year') ? { part: 'year' } : {}) };
  const yearCol = table.columns.find((c) => c.type === 'number' && words(c.name).includes('year'));
  if (byWords.includes('year')) {
    if (yearCol) return { column: yearCol.name };
    const date = table.columns.find((c) => c.type === 'date');
    if (date) return { column: date.name, part: 'year' };
  }
  return undefined;
}

/** Things counted that need no column of their own ("how many rows", "how many days"). */
const GENERIC = new Set(
  'row rows record records entry entries line lines item items time times case cases day days month months year years event events incident incidents'.split(
    ' ',
  ),
);

/** Reads a question against one table; the score says how much of the question the table explains. */
function readAgainst(
  q: string,
  qWords: string[],
  capitalised: Set<string>,
  op: Op,
  t: TitledTable,
): { reading: Reading; score: number } {
  const { table, title } = t;
  const titleWords = new Set(
    words(title.replace(/\.[a-z]{2,4}\b/gi, '')).filter(
      (w) => !STOP.has(w) && w.length > 1 && w !== 'table' && w !== 'sheet',
    ),
  );
  // Question words that name the table: "bird strikes" (or "strikes") birdstrikes.csv, "US" us-employment.csv.
  const titled = new Set<number>();
  const inTitle = (w: string) =>
    titleWords.has(w) ||
    titleWords.has(foldValue(w)) ||
    (w.length >= 4 && [...titleWords].some((t) => t.length > w.length + 2 && (t.endsWith(w) || t.startsWith(w))));
  qWords.forEach((w, i) => {
    if (STOP.has(w)) return;
    if (inTitle(w)) titled.add(i);
    const pair = `${w}${qWords[i + 1] ?? ''}`;
    if (i + 1 < qWords.length && (titleWords.has(pair) || titleWords.has(foldValue(pair)))) {
      titled.add(i);
      titled.add(i + 1);
    }
  });
  const skip = new Set<number>();
  let by: TableQuery['by'];
  if (op.byWords) {
    by = groupColumn(table, op.byWords);
    const start = qWords.findIndex((w) => w === 'which' || w === 'what');
    for (let i = start + 1; i <= start + op.byWords.length; i++) skip.add(i);
  }
  const found = findFilters(table, qWords, skip);
  for (const i of found.used) titled.delete(i);
  const used = new Set([...found.used, ...skip]);
  const named = (c: TableColumn | undefined) => (c ? nameMatch(c, qWords) : 0);
  const base = found.score * 2 + titled.size + (by ? 2 : 0);
  const notes = [found.ambiguous].filter(Boolean) as string[];
  const unclear = (reason: string) => ({ reading: { kind: 'unclear', reason, table: t } as Reading, score: base });
  // A name the question gives that this table does not hold ("Alaska" in a table of zip codes
  // by state code) would be a filter silently dropped: that is a wrong number, so no answer.
  const explained = (w: string, i: number) =>
    used.has(i) || titled.has(i) || table.columns.some((c) => nameMatch(c, [w]) > 0);
  const stray = qWords.find(
    (w, i) =>
      (capitalised.has(w) || /^(1[6-9]|20)\d\d$/.test(w)) && !STOP.has(w) && !explained(w, i) && !GENERIC.has(w),
  );
  const query = (
    q2: Omit<TableQuery, 'table' | 'filters'>,
    more: string[] = [],
  ): { reading: Reading; score: number } => {
    if (stray) return unclear(`“${stray}” is not a value in ${title}`);
    const near = nearValue(table, qWords, (w, i) => explained(w, i) || STOP.has(w) || GENERIC.has(w));
    if (near) return unclear(`“${near.word}” is not a value in ${title}; ${near.column} has “${near.value}”`);
    if (op.unsupported) return unclear(`conditions such as “${op.unsupported}” are not computed yet`);
    const all = [...notes, ...more];
    const target = q2.column ? table.columns.find((c) => c.name === q2.column) : undefined;
    return {
      reading: {
        kind: 'query',
        query: { table: title, ...q2, filters: found.filters },
        table: t,
        ...(all.length ? { reading: `${all.join('; ')}.` } : {}),
      },
      score: base + 2 * Math.min(1, named(target)),
    };
  };
  const numeric = (c: TableColumn) => c.type === 'number' && !found.filters.some((f) => f.column === c.name);

  switch (op.op) {
    case 'argmax':
    case 'argmin': {
      if (!by) return unclear(`no column of ${title} is named “${op.byWords!.join(' ')}”`);
      const m = target(table, qWords, used, (c) => numeric(c) && !identifier(c) && c.name !== by!.column);
      if (!m.column) {
        // "Which state had the most strikes?": rows are what is counted.
        if (!op.plural) return unclear(`the question names no column of numbers in ${title} to compare`);
        return query({ op: op.op, by, agg: 'count' });
      }
      // "most hurricanes" adds up a group's rows; "highest temperature" takes its highest row.
      const agg = op.plural ? 'sum' : op.op === 'argmax' ? 'max' : 'min';
      const notes = m.ambiguous ? [m.ambiguous] : [];
      // With several rows to a group, "highest" could also mean the highest total: say which.
      const byColumn = table.columns.find((c) => c.name === by.column)!;
      const keys = by.part === 'year' ? byColumn.values.map((v) => String(v).slice(0, 4)) : byColumn.values;
      if (agg !== 'sum' && new Set(keys).size < keys.length)
        notes.push(
          `“${op.op === 'argmax' ? 'highest' : 'lowest'} ${m.column.name}” was read as the single ${op.op === 'argmax' ? 'highest' : 'lowest'} row; the ${op.op === 'argmax' ? 'highest' : 'lowest'} total per ${by.part === 'year' ? 'year' : by.column} is the other reading`,
        );
      return query({ op: op.op, by, agg, column: m.column.name }, notes);
    }
    case 'count': {
      // "How many hurricanes did Texas have?": a column of counts is added up, not its rows counted.
      const after = /\b(?:how many|number of)\s+(\p{L}+(?:\s+\p{L}+)?)/u.exec(q);
      if (after) {
        const m = target(table, words(after[1]!), new Set(), (c) => numeric(c) && !identifier(c));
        if (m.column && nameMatch(m.column, words(after[1]!)) >= 1)
          return query({ op: 'sum', column: m.column.name }, [
            `the ${m.column.name} of the matching rows were added up`,
          ]);
      }
      // What is counted must be this table's: its name, a column, a value, or plain rows.
      const counted = after ? words(after[1]!).filter((w) => !STOP.has(w)) : [];
      const countedAt = counted.map((w) => qWords.indexOf(w));
      const ok =
        !counted.length ||
        countedAt.some((i, k) => i >= 0 && (GENERIC.has(counted[k]!) || titled.has(i) || explained(counted[k]!, i)));
      if (!found.filters.length && base === 0) return { reading: { kind: 'none' }, score: 0 };
      if (!ok) return unclear(`${title} has no ${counted.join(' ')} to count`);
      return query({ op: 'count' });
    }
    case 'sum':
    case 'mean':
    case 'max':
    case 'min': {
      // "What was total revenue?" of a table with a "Total revenue" row reads that row.
      const totalRow = found.filters.some(
        (f) => typeof f.value === 'string' && /\b(total|average|mean)\b/i.test(f.value),
      );
      if (totalRow) {
        const m = target(table, qWords, used, (c) => !found.filters.some((f) => f.column === c.name));
        if (m.column) return query({ op: 'lookup', column: m.column.name }, m.ambiguous ? [m.ambiguous] : []);
      }
      const accept =
        op.op === 'max' || op.op === 'min'
          ? (c: TableColumn) => numeric(c) || c.type === 'date'
          : (c: TableColumn) => numeric(c) && !identifier(c);
      const m = target(table, qWords, used, accept);
      if (!m.column)
        return unclear(
          `the question names no column of numbers in ${title} to ${op.op === 'sum' ? 'add up' : op.op === 'mean' ? 'average' : 'compare'}`,
        );
      return query({ op: op.op, column: m.column.name }, m.ambiguous ? [m.ambiguous] : []);
    }
    case 'lookup': {
      if (!found.filters.length) return { reading: { kind: 'none' }, score: 0 };
      const m = target(table, qWords, used, (c) => !found.filters.some((f) => f.column === c.name));
      if (!m.column) return unclear(`the question names no column of ${title} to read`);
      return query({ op: 'lookup', column: m.column.name }, m.ambiguous ? [m.ambiguous] : []);
    }
  }
}

/** The best reading of a question over the library's tables. */
export function readQuestion(question: string, tables: TitledTable[]): Reading {
  const q = question.toLowerCase().replace(/[’']s\b/g, '');
  const op = operation(q);
  if (!op || !tables.length) return { kind: 'none' };
  const qWords = words(q);
  // Words written with a capital inside the sentence: names the question expects a table to hold.
  const capitalised = new Set(
    question
      .split(/[^\p{L}\p{N}]+/u)
      .slice(1)
      .filter((w) => /^\p{Lu}/u.test(w) && w.length > 1)
      .map((w) => w.toLowerCase()),
  );
  const readings = tables
    .map((t) => readAgainst(q, qWords, capitalised, op, t))
    .filter((r) => r.reading.kind !== 'none' && r.score > 0)
    .sort((a, b) => b.score - a.score || Number(b.reading.kind === 'query') - Number(a.reading.kind === 'query'));
  const best = readings[0];
  if (!best) return { kind: 'none' };
  // A lookup needs the question to name the table's values; an unmatched "what" is prose.
  if (op.op === 'lookup' && best.reading.kind !== 'query') return { kind: 'none' };
  const rival = readings[1];
  if (rival && rival.score === best.score && best.reading.kind === 'query' && rival.reading.kind === 'query') {
    const note = `the question fits ${rival.reading.table.title} as well; ${best.reading.table.title} was taken`;
    best.reading.reading = best.reading.reading ? `${best.reading.reading.slice(0, -1)}; ${note}.` : `${note}.`;
  }
  return best.reading;
}
