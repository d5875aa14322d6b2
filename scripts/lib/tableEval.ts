/**
 * The table question set (scripts/table-questions.ts writes it): each file read as indexing
 * reads it (parseBytes → its tables), each question answered by the same function the library
 * runs (answerFromTables). A computed answer is exact when it equals the script's answer (numbers
 * within a relative 1e-9, text in any case); declined when no number was given; wrong otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { answerFromTables, parseBytes, type DocumentTables } from '../../src/core';

interface Question {
  id: string;
  split: 'tune' | 'report';
  table: string;
  kind: string;
  question: string;
  answer: number | string;
}

async function readTables(file: string, name: string): Promise<DocumentTables> {
  const doc = await parseBytes(new Uint8Array(fs.readFileSync(file)), name);
  return { docId: name, docName: name, tables: doc.tables ?? [] };
}

const same = (got: number | string, want: number | string) =>
  typeof want === 'number'
    ? typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want))
    : String(got).toLowerCase() === want.toLowerCase();

export async function tableEval(
  dir: string,
  opts: { data: string; split: 'tune' | 'report' | 'all'; verbose: boolean },
) {
  const questions: Question[] = fs
    .readFileSync(path.join(dir, 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Question);
  const files = [...new Set(questions.map((q) => q.table.split(' › ')[0]!))];
  // Every table of the set is in the library at once, as a person's would be: the question must find its table.
  const sources = await Promise.all(
    files.map((f) => readTables(fs.existsSync(path.join(dir, f)) ? path.join(dir, f) : path.join(opts.data, f), f)),
  );
  const chosen = questions.filter((q) => opts.split === 'all' || q.split === opts.split);
  let exact = 0;
  let declined = 0;
  const wrong: string[] = [];
  const ms: number[] = [];
  for (const q of chosen) {
    const t0 = performance.now();
    const a = await answerFromTables(q.question, sources);
    ms.push(performance.now() - t0);
    const line = (verdict: string, said: string) =>
      opts.verbose && console.log(`${verdict.padEnd(8)} ${q.id} ${q.question} → ${said} (want ${q.answer})`);
    if (a?.status === 'computed' && same(a.value, q.answer)) {
      exact++;
      line('exact', a.display);
    } else if (a?.status === 'computed') {
      wrong.push(`${q.id} “${q.question}”: ${a.display}, not ${q.answer} (${a.computation})`);
      line('WRONG', `${a.display} | ${a.computation}`);
    } else {
      declined++;
      line('declined', a ? a.reason : 'not read as a table question');
    }
  }
  ms.sort((a, b) => a - b);
  const n = chosen.length;
  const round = (x: number) => Number(x.toFixed(3));
  return {
    split: opts.split,
    questions: n,
    tables: sources.reduce((k, s) => k + s.tables.length, 0),
    exact: round(exact / n),
    declined: round(declined / n),
    wrong: round(wrong.length / n),
    wrongCount: wrong.length,
    wrongQuestions: wrong,
    ms_p50: round(ms[Math.floor(n / 2)] ?? 0),
    ms_max: round(ms[n - 1] ?? 0),
  };
}

/**
 * Question to number on a 100k-row CSV (birdstrikes.csv ten times over), the table read and its
 * first question asked (the value index built) before timing, as in the app once it has loaded.
 */
export async function tableBench(data: string): Promise<Record<string, number>> {
  const text = fs.readFileSync(path.join(data, 'birdstrikes.csv'), 'utf8').trimEnd();
  const [header, ...rows] = text.split('\n');
  const big = [header, ...Array.from({ length: 10 }, () => rows).flat()].join('\n');
  const t0 = performance.now();
  const doc = await parseBytes(new TextEncoder().encode(big), 'strikes-100k.csv');
  const parseMs = performance.now() - t0;
  const sources = [{ docId: 'big', docName: 'strikes-100k.csv', tables: doc.tables ?? [] }];
  const questions = [
    'How many bird strikes happened in Texas in 2000?',
    'What was the total cost of bird strikes in California?',
    'Which state had the most bird strikes?',
  ];
  const t1 = performance.now();
  await answerFromTables(questions[0]!, sources);
  const firstMs = performance.now() - t1;
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    const a = await answerFromTables(q, sources);
    times.push(performance.now() - t);
    if (a?.status !== 'computed') throw new Error(`bench question not computed: ${q}`);
  }
  return {
    rows: doc.tables?.[0]?.rows.length ?? 0,
    parse_ms: Math.round(parseMs),
    first_question_ms: Math.round(firstMs),
    question_ms_max: Math.round(Math.max(...times)),
  };
}
