/**
 * INTERIM — until the answer pipeline (issue 12, `answer()` / `applyAnswerEvent` in core/answer)
 * lands. Today's answering logic, unchanged in what it retrieves and generates, speaking the
 * pipeline's contract: it yields `AnswerEvent`s, and `applyAnswerEvent` folds them into the
 * `AnswerRecord` a turn keeps. useAnswer only iterates and folds, so swapping in the real pipeline
 * is replacing the two imports there.
 */
import type { RemoteLibrary } from '../../client/library';
import { where } from './place';
import { analyze, buildAnswerMessages, highlightPassage, rewriteMessages, type AnswerEvent, type AnswerRecord, type CheckedSentence, type ContextPassage, type Generator } from '../../core';

/** Words that only make sense with the conversation before them. */
const DEPENDENT = /\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there|same|also|else)\b/i;
const CONTINUATION = /^\s*(and|but|so|what about|how about)\b/i;

interface HistoryTurn {
  question: string;
  answer: string;
}

/**
 * A follow-up ("and when did it close?") made into a question that stands alone, for retrieval.
 * With a model, the model rewrites it; without one, the previous question is added as context.
 */
export async function standaloneQuestion(question: string, history: HistoryTurn[], gen: Generator | null): Promise<string> {
  const previous = history.at(-1);
  const followUp = DEPENDENT.test(question) || CONTINUATION.test(question) || question.trim().split(/\s+/).length <= 2;
  if (!previous || !followUp) return question;
  if (!gen) return `${previous.question} ${question}`;
  const messages = rewriteMessages(
    question,
    history.slice(-3).flatMap((t) => [{ role: 'user' as const, content: t.question }, ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : [])]),
  );
  const rewritten = (await gen.generate(messages, { maxNewTokens: 64 })).text.trim().split('\n')[0]!.trim();
  // A rewrite is trusted only if it stays on topic (shares words with the conversation) and is
  // short; a model that rambles instead falls back to joining the two questions.
  const topic = new Set(analyze(`${previous.question} ${question}`));
  const onTopic = analyze(rewritten).some((w) => topic.has(w));
  return rewritten && rewritten.length < 300 && onTopic ? rewritten : `${previous.question} ${question}`;
}

/** The passage sentence that best answers, as the extract (today: the top highlighted sentence of passage 1). */
export function extractFrom(query: string, passages: ContextPassage[]): CheckedSentence | undefined {
  const first = passages[0];
  if (!first) return undefined;
  const sentences = highlightPassage(query, first.text, 1).sentences;
  let offset = 0;
  for (const s of sentences) {
    if (s.highlight) {
      const text = s.text.trim();
      const start = first.text.indexOf(text, offset);
      return { text, citations: [1], support: { passage: 1, start, end: start + text.length, quote: text, score: 1 } };
    }
    offset += s.text.length;
  }
  return undefined;
}

export interface AskOptions {
  question: string;
  history: HistoryTurn[];
  generator: Generator | null;
  passages: number;
  hybrid: boolean;
  signal: AbortSignal;
}

export async function* interimAnswer(lib: RemoteLibrary, o: AskOptions): AsyncGenerator<AnswerEvent> {
  const gen = o.generator;
  const query = await standaloneQuestion(o.question, o.history, gen);
  yield { type: 'query', query, rewritten: query !== o.question };
  if (o.signal.aborted) return yield { type: 'done', finishReason: 'aborted' };
  // Without a model the passages are the answer: a reader's worth (≈ 3 chunks), not a wall.
  const passages = await lib.context(query, { k: o.passages, mode: o.hybrid ? 'hybrid' : 'dense', budgetTokens: gen ? Math.max(128, Math.floor(gen.contextWindow * 0.6)) : 700 });
  if (o.signal.aborted) {
    yield { type: 'passages', passages };
    return yield { type: 'done', finishReason: 'aborted' };
  }
  const extract = extractFrom(query, passages);
  if (!gen) {
    yield { type: 'passages', passages };
    if (extract) yield { type: 'extract', sentence: extract };
    return yield { type: 'done', finishReason: 'stop' };
  }
  const answerTokens = Math.min(256, Math.floor(gen.contextWindow / 4));
  const { messages, passagesUsed } = await buildAnswerMessages({
    question: o.question,
    passages: passages.map((s) => ({ docName: s.docName, where: where(s), text: s.text })),
    history: o.history.slice(-2).flatMap((t) => [{ role: 'user' as const, content: t.question }, ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : [])]),
    contextWindow: gen.contextWindow,
    answerTokens,
    countTokens: (t) => gen.countTokens(t),
  });
  yield { type: 'passages', passages: passages.slice(0, passagesUsed) };
  if (extract) yield { type: 'extract', sentence: extract };
  if (o.signal.aborted) return yield { type: 'done', finishReason: 'aborted' };
  // Tokens arrive by callback; they are handed on as events in the order they came.
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let finished: { finishReason: 'stop' | 'length' | 'aborted' } | { error: unknown } | null = null;
  void gen
    .generate(messages, {
      maxNewTokens: answerTokens,
      signal: o.signal,
      onToken: (t) => {
        queue.push(t);
        wake?.();
      },
    })
    .then(
      (r) => (finished = { finishReason: r.finishReason }),
      (error: unknown) => (finished = { error }),
    )
    .finally(() => wake?.());
  for (;;) {
    while (queue.length) yield { type: 'token', text: queue.splice(0).join('') };
    if (finished) break;
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
  const end = finished as { finishReason: 'stop' | 'length' | 'aborted' } | { error: unknown };
  if ('error' in end) throw end.error;
  yield { type: 'done', finishReason: end.finishReason };
}

/** Folds one event into the record (the pipeline's `applyAnswerEvent`, interim). */
export function applyAnswerEvent(r: AnswerRecord, e: AnswerEvent): AnswerRecord {
  switch (e.type) {
    case 'query':
      return e.rewritten ? { ...r, searchedFor: e.query } : r;
    case 'passages':
      return { ...r, passages: e.passages, ...(e.keywordOnly ? { keywordOnly: true } : {}), status: r.status === 'retrieving' ? 'answering' : r.status };
    case 'coverage':
      return { ...r, coverage: { covered: e.covered, score: e.score } };
    case 'extract':
      return { ...r, extract: e.sentence };
    case 'token':
      return { ...r, answer: r.answer + e.text, status: 'answering' };
    case 'checked':
      return { ...r, checked: { sentences: e.sentences, supported: e.supported, total: e.total } };
    case 'declined':
      return { ...r, declined: { reason: e.reason }, passages: e.closest };
    case 'done':
      return { ...r, status: e.finishReason === 'aborted' ? 'stopped' : 'done' };
  }
}
