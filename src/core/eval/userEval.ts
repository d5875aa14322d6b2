import { SEARCH_DEFAULTS } from '../search/defaults';
import { mean } from './metrics';

/** One question a user expects their library to answer, and where the answer lives. */
export interface EvalQuestion {
  question: string;
  /** File name of the document that should be found. */
  document: string;
  /** Optional text of the passage that should be found (a sentence or two is enough). */
  passage?: string;
}

export interface EvalSet {
  version: 1;
  questions: EvalQuestion[];
}

export interface EvalFound {
  docName: string;
  text: string;
  score: number;
}

export interface EvalQuestionResult extends EvalQuestion {
  /** 1-based rank of the first expected result within k, or null when it was missed. */
  rank: number | null;
  found: EvalFound[];
}

export interface EvalReport {
  k: number;
  hitRate: number;
  mrr: number;
  results: EvalQuestionResult[];
}

/** Reads and checks an evaluation set, with errors that say which entry is wrong and how. */
export function parseEvalSet(json: string): EvalSet {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new Error(`The questions file is not valid JSON (${(err as Error).message}).`);
  }
  const list = Array.isArray(data) ? data : (data as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(list)) throw new Error('Expected {"version": 1, "questions": [...]} or a list of questions.');
  const questions = list.map((q: unknown, i): EvalQuestion => {
    const item = q as Partial<EvalQuestion> | null;
    if (!item || typeof item.question !== 'string' || !item.question.trim())
      throw new Error(`Question ${i + 1} has no "question" text.`);
    if (typeof item.document !== 'string' || !item.document.trim())
      throw new Error(`Question ${i + 1} ("${item.question}") names no "document".`);
    if (item.passage !== undefined && typeof item.passage !== 'string')
      throw new Error(`Question ${i + 1}: "passage" must be text.`);
    return {
      question: item.question.trim(),
      document: item.document.trim(),
      ...(item.passage?.trim() ? { passage: item.passage.trim() } : {}),
    };
  });
  if (!questions.length) throw new Error('The questions file has no questions.');
  return { version: 1, questions };
}

export function serializeEvalSet(questions: EvalQuestion[]): string {
  return JSON.stringify({ version: 1, questions } satisfies EvalSet, null, 2);
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** A result matches when it is from the expected document and, if a passage was given, contains most of it. */
export function matches(q: EvalQuestion, found: EvalFound): boolean {
  if (norm(found.docName) !== norm(q.document)) return false;
  if (!q.passage) return true;
  const text = norm(found.text);
  const passage = norm(q.passage);
  if (text.includes(passage) || passage.includes(text)) return true;
  const words = passage.match(/[\p{L}\p{N}]+/gu) ?? [];
  const present = words.filter((w) => text.includes(w)).length;
  return words.length > 0 && present / words.length >= 0.8;
}

/** Runs each question through `search` and scores the ranks at which expected results appear. */
export async function evaluate(
  questions: EvalQuestion[],
  search: (q: string, k: number) => Promise<EvalFound[]>,
  k: number = SEARCH_DEFAULTS.k.hits,
): Promise<EvalReport> {
  const results: EvalQuestionResult[] = [];
  for (const q of questions) {
    const found = await search(q.question, k);
    const i = found.findIndex((f) => matches(q, f));
    results.push({ ...q, rank: i < 0 ? null : i + 1, found });
  }
  return {
    k,
    hitRate: mean(results.map((r) => (r.rank ? 1 : 0))),
    mrr: mean(results.map((r) => (r.rank ? 1 / r.rank : 0))),
    results,
  };
}
