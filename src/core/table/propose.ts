import type { ChatMessage, Generator } from '../generate/generator';
import type { TableQueryProposer, TableSchema } from './answer';
import { words } from './understand';

/**
 * The answer model as a `TableQueryProposer`: shown the tables' schemas, it may write one
 * structured query (JSON) for a question the rules could not read. It writes data, never code:
 * what it returns is parsed as JSON and nothing else, then `answerFromTables` validates it against
 * the table before anything runs.
 */

/** Question words that say nothing about a table (so they do not wake the model). */
const COMMON = new Set(
  'the and for was were are how what which who when where does did that this with from have has had many much there their about your'.split(
    ' ',
  ),
);

/**
 * Whether the question shares a word with a table's name, a column's name or a sampled value.
 * Every question goes through the table step; asking the model about a question that names
 * nothing of any table would cost a generation per question for nothing.
 */
export function namesATable(question: string, schemas: TableSchema[]): boolean {
  const asked = words(question).filter((w) => w.length >= 3 && !COMMON.has(w));
  if (!asked.length) return false;
  const known = new Set(
    schemas.flatMap((s) => [
      ...words(s.table.replace(/\.[a-z]{2,4}\b/gi, '')),
      ...s.columns.flatMap((c) => [...words(c.name), ...c.sample.flatMap(words)]),
    ]),
  );
  // "rainy" names "rain", "strikes" names "birdstrikes": a shared stem of four letters or more.
  const stem = (w: string) => w.slice(0, Math.max(4, w.length - 2));
  return asked.some((w) => known.has(w) || [...known].some((k) => k.length >= 4 && stem(k) === stem(w)));
}

const FORMAT = `Reply with one JSON object and nothing else, or the word null when no query over these tables answers the question.
The object: {"table": "<a table name exactly as listed>", "op": "count" | "sum" | "mean" | "max" | "min" | "argmax" | "argmin" | "lookup", "column": "<a column>", "by": {"column": "<a column>", "part": "year"}, "agg": "count" | "sum" | "max" | "min" | "mean", "filters": [{"column": "<a column>", "op": "eq", "value": "<a value of that column>"}, {"column": "<a date column>", "op": "year", "value": 2014, "month": 3}]}
- count: rows matching the filters (no column). sum, mean, max, min: of "column" (numbers).
- argmax/argmin: the value of "by" whose group of rows has the largest/smallest "agg" of "column" ("agg": "count" needs no column). "part": "year" groups a date column by year; leave "part" out otherwise.
- lookup: "column" of the one row the filters leave.
- Leave out fields an operation does not use. Use only the columns listed; filter text columns on values they hold.`;

function schemaText(schemas: TableSchema[]): string {
  return schemas
    .map(
      (s) =>
        `Table "${s.table}" (${s.rows} rows):\n${s.columns
          .map(
            (c) =>
              `- "${c.name}" ${c.type}${c.unit ? ` (${c.unit})` : ''}: ${c.sample
                .slice(0, 5)
                .map((v) => JSON.stringify(v))
                .join(', ')}`,
          )
          .join('\n')}`,
    )
    .join('\n\n');
}

export function proposalMessages(question: string, schemas: TableSchema[]): ChatMessage[] {
  return [
    {
      role: 'system',
      content: `You turn a question about the user's tables into a structured query. ${FORMAT}`,
    },
    { role: 'user', content: `${schemaText(schemas)}\n\nQuestion: ${question}` },
  ];
}

/**
 * What the model wrote, read as a query: the JSON object it holds (a code fence around it is
 * allowed), null when it says null, and otherwise the text itself, which is then declined as not
 * a structured query. Never evaluated.
 */
export function readProposal(text: string): unknown {
  const t = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '')
    .trim();
  if (/^null\.?$/i.test(t) || t === '') return null;
  const start = t.indexOf('{');
  const end = t.lastIndexOf('}');
  if (start < 0 || end < start) return t;
  try {
    return JSON.parse(t.slice(start, end + 1)) as unknown;
  } catch {
    return t;
  }
}

/** Tokens kept for the query the model writes. */
const ANSWER_TOKENS = 160;

/**
 * The prompt with as many schemas as fit the model's window, those sharing the most words with
 * the question first (a library of many wide tables would not fit whole); null when not even one
 * does (a small model cannot be shown the table, so it is not asked).
 */
async function fittingPrompt(question: string, schemas: TableSchema[], generator: Generator) {
  const asked = new Set(words(question));
  const shared = (s: TableSchema) =>
    [s.table, ...s.columns.flatMap((c) => [c.name, ...c.sample])].flatMap(words).filter((w) => asked.has(w)).length;
  const ranked = schemas
    .map((s) => ({ s, n: shared(s) }))
    .sort((a, b) => b.n - a.n)
    .map((x) => x.s);
  const fits = async (n: number) => {
    const messages = proposalMessages(question, ranked.slice(0, n));
    const tokens = await generator.countTokens(messages.map((m) => m.content).join('\n'));
    // A little room for the chat template's own tokens around the two messages.
    return tokens + 32 + ANSWER_TOKENS <= generator.contextWindow ? messages : null;
  };
  for (let n = ranked.length; n >= 1; n = Math.min(n - 1, Math.floor(n / 2) || n - 1)) {
    const messages = await fits(n);
    if (messages) return messages;
  }
  return null;
}

/** Asks `generator` for a query when the question names something of a table; null otherwise. */
export function generatorTableProposer(generator: Generator, signal?: AbortSignal): TableQueryProposer {
  return {
    async propose(question, schemas) {
      if (!namesATable(question, schemas) || signal?.aborted) return null;
      const messages = await fittingPrompt(question, schemas, generator);
      if (!messages || signal?.aborted) return null;
      const result = await generator.generate(messages, {
        maxNewTokens: ANSWER_TOKENS,
        temperature: 0,
        ...(signal ? { signal } : {}),
      });
      if (result.finishReason === 'aborted') return null;
      return readProposal(result.text);
    },
  };
}
