/**
 * Question answering data in squad2-a's layout (corpus.jsonl + answers.jsonl), off-topic question
 * lists ({"_id","text"} per line) and the figures the answer eval reports.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import {
  createTransformersEmbedder,
  libraryRetriever,
  openLibrary,
  type Embedder,
  type Library,
  type Retriever,
} from '../../src/core';
import { beirDocuments } from '../../src/cli/beir';

export interface QaQuestion {
  _id: string;
  question: string;
  /** SQuAD: the paragraph (a corpus record) that answers it. */
  context_id?: string;
  /** A folder of documents: the file that answers it, and its page. */
  document?: string;
  page?: number;
  /** The sentence that answers it, as written in the document (for the reader; not scored). */
  sentence?: string;
  /** 'tune' or 'report': which half a question belongs to (settings are chosen on 'tune' only). */
  split?: string;
  is_impossible?: boolean;
  answers: string[];
}

/** Either records to index (squad2-a's corpus.jsonl) or a folder of files indexed as the app does. */
export interface QaSet {
  corpus: { _id: string; title?: string; text: string }[];
  files: { name: string; path: string }[];
  questions: QaQuestion[];
}

export const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

/**
 * squad2-a's layout (corpus.jsonl + answers.jsonl), or a question set over real files:
 * answers.jsonl whose questions name their `document`, and the files in `documents/` (a folder or
 * a link to one, e.g. test/fixtures/papers-qa/documents → ../shared/data/papers).
 */
export function loadQa(dir: string): QaSet {
  const questions = readJsonl<QaQuestion>(path.join(dir, 'answers.jsonl'));
  if (fs.existsSync(path.join(dir, 'corpus.jsonl')))
    return { corpus: readJsonl(path.join(dir, 'corpus.jsonl')), files: [], questions };
  const folder = path.join(dir, 'documents');
  if (!fs.existsSync(folder))
    throw new Error(`${dir}: neither corpus.jsonl nor a documents/ folder (${path.resolve(folder)}) is there`);
  const files = fs
    .readdirSync(folder)
    .filter((f) => !f.startsWith('.') && !/\.md$/i.test(f))
    .sort()
    .map((name) => ({ name, path: path.join(folder, name) }));
  const names = new Set(files.map((f) => f.name));
  const missing = questions.filter((q) => q.document && !names.has(q.document));
  if (missing.length)
    throw new Error(`${dir}: ${missing.length} questions name documents not in documents/ (${missing[0]!.document})`);
  return { corpus: [], files, questions };
}

/** Where a question's answer lives: its document, or its SQuAD paragraph (indexed under its id). */
export const sourceOf = (q: QaQuestion): string => q.document ?? q.context_id ?? '';

export function loadQueries(file: string): { _id: string; text: string }[] {
  return readJsonl(file);
}

/**
 * SQuAD paragraph ids are "<article>_<paragraph>": articles 0–3 are where answer settings were
 * tuned, 4–7 are held out. Other data sets have no such split.
 */
export function articleOf(contextId: string): number | null {
  const m = /^(\d+)_\d+$/.exec(contextId);
  return m ? Number(m[1]) : null;
}

/** Whether any gold answer occurs in the text (case-insensitive, white space collapsed). */
export function containsAnswer(text: string, answers: string[]): boolean {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  return answers.some((a) => a.trim() && t.includes(a.toLowerCase().replace(/\s+/g, ' ').trim()));
}

/** Area under the ROC curve of `pos` scored above `neg` (ties count half). */
export function auroc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  // Mann–Whitney U with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k]![1]) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

/** The corpus indexed by the same pipeline as the app (fake-indexeddb), with a Retriever on it. */
export async function qaLibrary(
  set: QaSet,
  opts: { embedder?: Embedder; name?: string } = {},
): Promise<{ library: Library; embedder: Embedder; retriever: Retriever }> {
  const embedder = opts.embedder ?? (await createTransformersEmbedder({ dtype: 'q8' }));
  const library = await openLibrary({ name: opts.name ?? `qa-${Date.now()}`, embedder });
  if (set.corpus.length) await library.addParsed(beirDocuments({ corpus: set.corpus, queries: [], qrels: new Map() }));
  if (set.files.length) {
    const outcomes = await library.addFiles(
      set.files.map((f) => ({ name: f.name, data: new Uint8Array(fs.readFileSync(f.path)) })),
    );
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length) throw new Error(`not indexed: ${failed.map((o) => JSON.stringify(o)).join('; ')}`);
  }
  return { library, embedder, retriever: libraryRetriever(library, embedder) };
}

export const round = (x: number, digits = 4) => Number(x.toFixed(digits));
