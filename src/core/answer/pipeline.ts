/**
 * The answer pipeline, framework-free: question → the query to search → passages → whether the
 * library covers it → the extractive answer → (with a model) a prompt within its window, streamed
 * tokens, and the written answer checked sentence by sentence. It yields `AnswerEvent`s; the app,
 * the Node tests and `npm run eval` all run this same function.
 */
import { EMBEDDING_MODELS } from '../embed/models';
import type { ChatMessage, Generator } from '../generate/generator';
import { buildAnswerMessages } from '../generate/prompt';
import { SEARCH_DEFAULTS } from '../search/defaults';
import type { SearchHit, SearchOptions } from '../search/ranking';
import type { ContextOptions, ContextPassage } from '../search/context';
import { checkAnswer } from './check';
import { coverage, COVERAGE_MODEL } from './coverage';
import {
  best,
  candidates,
  passageOrder,
  score,
  tableHeader,
  withCosines,
  LEXICAL,
  WITH_COSINE,
  type Candidate,
} from './extract';
import { alsoSearched } from '../search/terms';
import { standaloneQuery, type PreviousTurn } from './followUp';
import { where } from './place';
import type { AnswerEvent, CheckedSentence } from './types';
import type { TableAnswer, TableProposeFn } from '../table/answer';
import { generatorTableProposer } from '../table/propose';

/**
 * What the pipeline needs from a library: the core `Library` (with its embedder's `embed`, see
 * `libraryRetriever`) or the browser's `RemoteLibrary`, which has all three.
 */
export interface Retriever {
  search(query: string, opts?: SearchOptions): Promise<SearchHit[]>;
  context(query: string, opts: SearchOptions & ContextOptions): Promise<ContextPassage[]>;
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array>;
  /**
   * A question computed over the library's tables (issue 24), within the search's collections;
   * null when it is not one. `propose`: the answer model's query for what the rules do not read.
   */
  tableAnswer?(
    question: string,
    scope?: { collections?: string[]; documents?: string[] },
    propose?: TableProposeFn,
  ): Promise<TableAnswer | null>;
  /** The acronyms and long forms the library defines that the query uses (search/terms.ts). */
  terms?(query: string, opts?: SearchOptions): Promise<[string, string][]>;
}

export interface AnswerOptions {
  retriever: Retriever;
  /** An answer model; without one the answer is the extract and the passages. */
  generator?: Generator | null;
  /** Earlier turns, oldest first (for follow-up questions and the model's prompt). */
  history?: PreviousTurn[];
  /** Stops the answer at any point; the last event is then `done` with 'aborted'. */
  signal?: AbortSignal;
  /**
   * How the answer searches. `k` (chunks merged into its passages) and `mode` are for the
   * passages' search (defaults: SEARCH_DEFAULTS); everything else (the scope: collections,
   * documents; fusion, …) applies to every search the answer makes, the follow-up checks included.
   */
  search?: SearchOptions;
  /**
   * Where the search was limited to, in words ("the collection “Work”", see `collectionsInWords`),
   * said when the answer is declined; without it the whole library was searched.
   */
  scopeName?: string;
  /** Tokens of passages: default 700 without a model (a reader's worth), 60% of its window with one. */
  budgetTokens?: number;
  /** The search model's id: coverage's cosine line is calibrated for the default model only. */
  searchModel?: string;
  /**
   * What to search for and choose the sentence by, when the caller knows better than the words
   * asked: a lookup that names its document is searched there without the name ("What does
   * wiki_duck.html say about feeding?" → "feeding?"). The question itself still goes to
   * the model and to follow-up resolution; a question resolved from the conversation is searched as
   * resolved.
   */
  searchAs?: string;
  /** Tokens kept for the written answer (default: a quarter of the window, at most 256). */
  answerTokens?: number;
  /**
   * How many sentences (the best on words) are embedded to choose the extract (default 3: on the
   * tuning articles 3 found the answer for 0.748 of questions, 12 for 0.752 at four times the
   * embedding; `npx tsx scripts/tune-answer.ts` prints it).
   */
  extractCandidates?: number;
  /**
   * Compute table questions over the retriever's tables (issue 24): a `table` event, and a
   * computed answer ends the answer. With a generator, the model may propose a query (validated
   * before it runs) for a question the rules do not read.
   */
  tables?: boolean;
  /** A table answer already computed for this question by the rules (see `computedByTable`). */
  computedTable?: TableAnswer;
}

export type { PreviousTurn } from './followUp';

/** A core Library and its embedder as a Retriever (the browser's RemoteLibrary is one already). */
export function libraryRetriever(
  library: Pick<Retriever, 'search' | 'context' | 'tableAnswer'> & Partial<Pick<Retriever, 'terms'>>,
  embedder: { embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array> },
): Retriever {
  return {
    search: (q, o) => library.search(q, o),
    context: (q, o) => library.context(q, o),
    embed: (texts, kind) => embedder.embed(texts, kind),
    ...(library.tableAnswer ? { tableAnswer: library.tableAnswer.bind(library) } : {}),
    ...(library.terms ? { terms: (q: string, o?: SearchOptions) => library.terms!(q, o) } : {}),
  };
}

/** The retriever with `base` under each search's own options. */
function withSearchOptions(retriever: Retriever, base: SearchOptions): Retriever {
  if (!Object.keys(base).length) return retriever;
  return {
    search: (q, o) => retriever.search(q, { ...base, ...o }),
    context: (q, o) => retriever.context(q, { ...base, ...o }),
    embed: (texts, kind) => retriever.embed(texts, kind),
    ...(retriever.tableAnswer ? { tableAnswer: (q, s, propose) => retriever.tableAnswer!(q, s, propose) } : {}),
    ...(retriever.terms ? { terms: (q: string, o?: SearchOptions) => retriever.terms!(q, { ...base, ...o }) } : {}),
  };
}

/**
 * Why an answer is declined. Inside a collection "nothing in your library" would be untrue and
 * would hide the way on: the rest of the library was not searched.
 */
export function declinedReason(scopeName?: string): string {
  const nothing = scopeName
    ? `nothing in ${scopeName} matches this question closely (the rest of your library was not searched)`
    : 'nothing in your library matches this question closely';
  return `Not in your documents: ${nothing}. The closest passages are shown, but they are probably not it.`;
}

/**
 * Answers one question. Events, in order: `query`, `passages`, `coverage`, then either `declined`
 * or `extract` (a provisional one, then the final one) and (with a model) `token`… and `checked`;
 * always `done` last. Errors (a model that fails to load or run) are thrown from the iteration.
 */
export async function* answer(question: string, opts: AnswerOptions): AsyncGenerator<AnswerEvent, void, undefined> {
  const { signal } = opts;
  const { k = SEARCH_DEFAULTS.k.answer, mode = SEARCH_DEFAULTS.mode, ...everySearch } = opts.search ?? {};
  const retriever = withSearchOptions(opts.retriever, everySearch);
  const generator = opts.generator ?? null;
  const aborted = () => !!signal?.aborted;
  const stop = { type: 'done', finishReason: 'aborted' } as const;

  const resolved = await standaloneQuery(question, opts.history ?? [], retriever, generator, signal).catch(
    (err: unknown) => {
      if (aborted()) return null;
      throw err;
    },
  );
  if (!resolved || aborted()) return yield stop;
  const decided = !resolved.rewritten && opts.searchAs ? { ...resolved, query: opts.searchAs } : resolved;
  // The library searches a defined acronym's long form with it (and the other way round); shown.
  const terms = (await retriever.terms?.(decided.query)) ?? [];
  const also = alsoSearched(decided.query, terms);
  yield {
    type: 'query',
    query: decided.query,
    rewritten: decided.rewritten,
    why: decided.why,
    ...(also.length ? { alsoSearched: also } : {}),
  };

  // Issue 24: a question computed over a table is answered exactly and ends here; one it could
  // not compute says why, and the passages follow.
  // The original retriever: the scoped one carries only the searches. Its collections are the
  // tables' scope too; with a model, it may propose a query for what the rules do not read.
  // A table answer the caller already computed (askQuestion's routing) is not computed again.
  const proposer = opts.tables && !opts.computedTable && generator && generatorTableProposer(generator, signal);
  const table = !opts.tables
    ? null
    : (opts.computedTable ??
      (await opts.retriever.tableAnswer?.(
        question,
        everySearch.collections ? { collections: everySearch.collections } : {},
        proposer ? (q, schemas) => proposer.propose(q, schemas) : undefined,
      )));
  if (aborted()) return yield stop;
  if (table) yield { type: 'table', answer: table };
  if (table?.status === 'computed') return yield { type: 'done', finishReason: 'stop' };

  const budgetTokens =
    opts.budgetTokens ?? (generator ? Math.max(128, Math.floor(generator.contextWindow * 0.6)) : 700);
  const found = await retriever.context(decided.query, { k, mode, budgetTokens, expandTerms: true });
  if (aborted()) return yield stop;

  // A joined query carries the previous question's words, which would pull the extract towards
  // the previous answer; the passages are right, the sentence is chosen for the question asked.
  const asked = decided.rewritten && !decided.joined ? decided.query : (opts.searchAs ?? question);
  const cands = score(candidates(asked, found, terms), LEXICAL);
  const order = passageOrder(cands, found.length);
  const passages = order.map((i) => found[i]!);
  const renumber = new Map(order.map((old, now) => [old, now]));
  for (const c of cands) c.passage = renumber.get(c.passage)!;
  // The library marks passages found by keywords while its search model loads. Missing cosines
  // alone do not say so: a hybrid search whose best passages matched only by their words has none.
  const keywordOnly = passages.length > 0 && (passages.some((p) => p.keywordOnly) || opts.search?.mode === 'keyword');
  yield { type: 'passages', passages, keywordOnly };

  const cover = coverage(decided.query, passages, (opts.searchModel ?? COVERAGE_MODEL) === COVERAGE_MODEL, terms);
  yield {
    type: 'coverage',
    covered: cover.covered,
    score: cover.score,
    cosine: cover.cosine === null ? null : round(cover.cosine),
    termShare: round(cover.termShare),
  };
  if (!cover.covered) {
    // No model writes an answer from passages that do not match: that is how confident wrong
    // answers with citations are made.
    yield { type: 'declined', reason: declinedReason(opts.scopeName), closest: passages };
    return yield { type: 'done', finishReason: 'stop' };
  }

  // The sentence chosen on words is on screen with the passages; embedding the best few sentences
  // takes longer than the search itself on a slow CPU, so the better choice follows it.
  const quick = best(cands);
  if (quick)
    yield {
      type: 'extract',
      sentence: extractSentence(quick, cands, passages),
      ...(keywordOnly ? {} : { provisional: true }),
    };
  if (quick && !keywordOnly) {
    const shortlist = await refine(
      asked,
      cands,
      opts.extractCandidates ?? 3,
      retriever,
      opts.searchModel ?? COVERAGE_MODEL,
    );
    if (aborted()) return yield stop;
    const extract = best(shortlist);
    if (extract) yield { type: 'extract', sentence: extractSentence(extract, shortlist, passages) };
  }
  if (!generator) return yield { type: 'done', finishReason: 'stop' };

  const history = (opts.history ?? [])
    .slice(-2)
    .flatMap((t): ChatMessage[] => [
      { role: 'user', content: t.question },
      ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : []),
    ]);
  const answerTokens = opts.answerTokens ?? Math.min(256, Math.floor(generator.contextWindow / 4));
  const { messages, passagesUsed } = await buildAnswerMessages({
    question,
    passages: passages.map((p) => ({ docName: p.docName, where: where(p), text: p.text })),
    history,
    contextWindow: generator.contextWindow,
    answerTokens,
    countTokens: (t) => generator.countTokens(t),
  });
  if (aborted()) return yield stop;

  const streamed = yield* stream(generator, messages, answerTokens, signal);
  if (streamed.text.trim()) {
    // Without the search model (still loading) the words alone decide; embedding would wait for it.
    const checked = await checkAnswer(
      streamed.text,
      passages.slice(0, passagesUsed),
      keywordOnly ? undefined : (texts) => retriever.embed(texts, 'passage'),
    );
    yield { type: 'checked', ...checked };
  }
  yield { type: 'done', finishReason: streamed.finishReason };
}

/** The best few sentences on words, re-scored with their embeddings' cosines with the question. */
async function refine(
  question: string,
  cands: Candidate[],
  count: number,
  retriever: Retriever,
  model: string,
): Promise<Candidate[]> {
  const shortlist = [...cands]
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map((c) => ({ ...c, features: [...c.features] }));
  if (!shortlist.length) return [];
  const texts = shortlist.map((c) => c.text);
  // A model that embeds questions and passages alike (MiniLM) does both in one run.
  const spec = EMBEDDING_MODELS.find((m) => m.id === model);
  let q: Float32Array;
  let vectors: Float32Array;
  if (spec && spec.queryPrefix === spec.passagePrefix) {
    const all = await retriever.embed([question, ...texts], 'passage');
    const d = all.length / (texts.length + 1);
    [q, vectors] = [all.subarray(0, d), all.subarray(d)];
  } else {
    [q, vectors] = await Promise.all([retriever.embed([question], 'query'), retriever.embed(texts, 'passage')]);
  }
  return score(withCosines(shortlist, q, vectors), WITH_COSINE);
}

/**
 * The chosen sentence as a cited, supported sentence; its score is its share of the candidates'
 * probability (softmax of their scores). A table row is shown under its column headers (the quote
 * stays the row itself).
 */
function extractSentence(c: Candidate, all: Candidate[], passages: ContextPassage[]): CheckedSentence {
  const top = Math.max(...all.map((x) => x.score));
  const sum = all.reduce((s, x) => s + Math.exp(x.score - top), 0);
  const p = Math.exp(c.score - top) / sum;
  const header = passages[c.passage] ? tableHeader(passages[c.passage]!.text, c.start) : null;
  return {
    text: header ? `${header}\n${c.text}` : c.text,
    citations: [c.passage + 1],
    support: { passage: c.passage + 1, start: c.start, end: c.end, quote: c.text, score: round(Math.min(1, p)) },
  };
}

/** Runs the model, yielding its tokens as they come; returns the whole text and why it stopped. */
async function* stream(
  generator: Generator,
  messages: ChatMessage[],
  maxNewTokens: number,
  signal?: AbortSignal,
): AsyncGenerator<AnswerEvent, { text: string; finishReason: 'stop' | 'length' | 'aborted' }, undefined> {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown;
  let result: { text: string; finishReason: 'stop' | 'length' | 'aborted' } = { text: '', finishReason: 'aborted' };
  void generator
    .generate(messages, {
      maxNewTokens,
      ...(signal ? { signal } : {}),
      onToken: (t) => {
        queue.push(t);
        wake?.();
      },
    })
    .then(
      (r) => void (result = r),
      (err: unknown) => void (failure = err),
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  for (;;) {
    while (queue.length) yield { type: 'token', text: queue.shift()! };
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  if (failure) throw failure;
  return result;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
