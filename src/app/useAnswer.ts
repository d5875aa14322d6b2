import { useCallback, useEffect, useRef, useState } from 'react';
import { openTransformersGenerator, openWebLLMGenerator } from '../client/generator';
import type { RemoteLibrary } from '../client/library';
import { analyze, buildAnswerMessages, highlightPassage, rewriteMessages, type ContextPassage, type Generator, type HighlightedPassage } from '../core';
import { loadConversation, saveConversation } from './conversationStore';

import { modelSource } from '../client/modelSource';

export type AnswerModelChoice = { kind: 'passages' } | { kind: 'transformers'; model: string } | { kind: 'webllm'; model: string };

export interface Turn {
  /** Stable identity, so streamed updates always reach their own turn. */
  id?: string;
  question: string;
  sources: ContextPassage[];
  /** Model answer text (Markdown), streamed; empty in passages-only mode. */
  answer: string;
  /** Passages-only answers: each source with its most relevant sentences marked. */
  highlights?: HighlightedPassage[];
  status: 'retrieving' | 'answering' | 'done' | 'stopped' | 'error';
  error?: string;
  /** After a GPU failure: a smaller model that should work (the conversation is kept). */
  fallbackModel?: string;
  /** The standalone question retrieval used, when a follow-up was rewritten. */
  searchedFor?: string;
}

/** Words that only make sense with the conversation before them. */
const DEPENDENT = /\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there|same|also|else)\b/i;
const CONTINUATION = /^\s*(and|but|so|what about|how about)\b/i;

/**
 * A follow-up ("and when did it close?") made into a question that stands alone, for retrieval.
 * With a model, the model rewrites it; without one, the previous question is added as context.
 */
export async function standaloneQuestion(question: string, history: Turn[], gen: Generator | null): Promise<string> {
  const previous = history.at(-1);
  const followUp = DEPENDENT.test(question) || CONTINUATION.test(question) || question.trim().split(/\s+/).length <= 2;
  if (!previous || !followUp) return question;
  if (!gen) return `${previous.question} ${question}`;
  const messages = rewriteMessages(
    question,
    history.slice(-3).flatMap((t) => [
      { role: 'user' as const, content: t.question },
      ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : []),
    ]),
  );
  const rewritten = (await gen.generate(messages, { maxNewTokens: 64 })).text.trim().split('\n')[0]!.trim();
  // A rewrite is trusted only if it stays on topic (shares words with the conversation) and is
  // short; a model that rambles instead falls back to joining the two questions.
  const topic = new Set(analyze(`${previous.question} ${question}`));
  const onTopic = analyze(rewritten).some((w) => topic.has(w));
  return rewritten && rewritten.length < 300 && onTopic ? rewritten : `${previous.question} ${question}`;
}

const ANSWER_MODEL_KEY = 'folio.answerModel';

function loadAnswerModel(): AnswerModelChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(ANSWER_MODEL_KEY) ?? 'null') as AnswerModelChoice | null;
    return saved && (saved.kind === 'passages' || typeof (saved as { model?: unknown }).model === 'string') ? saved : { kind: 'passages' };
  } catch {
    return { kind: 'passages' };
  }
}

function saveAnswerModel(choice: AnswerModelChoice): void {
  localStorage.setItem(ANSWER_MODEL_KEY, JSON.stringify(choice));
}

export function where(p: Pick<ContextPassage, 'location'>): string {
  const parts: string[] = [];
  if (p.location.page) parts.push(`p. ${p.location.page}${p.location.pageEnd ? `–${p.location.pageEnd}` : ''}`);
  const heading = p.location.headings.at(-1);
  if (heading) parts.push(heading);
  return parts.join(', ');
}

/** Question → retrieved passages → a grounded, streamed answer (or the passages themselves). */
export function useAnswer(library: () => Promise<RemoteLibrary | null>, search: { passages: number; hybrid: boolean } = { passages: 6, hybrid: true }) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [model, setModel] = useState<{
    choice: AnswerModelChoice;
    status: 'ready' | 'loading' | 'error';
    progress?: number;
    bytes?: { loaded: number; total: number };
    error?: string;
  }>({
    choice: { kind: 'passages' },
    status: 'ready',
  });
  const generator = useRef<Generator | null>(null);
  const controller = useRef<AbortController | null>(null);
  const restored = useRef(false);
  // The turns as last rendered: read synchronously when a question is sent.
  const rendered = useRef<Turn[]>([]);
  rendered.current = turns;

  useEffect(() => {
    void loadConversation().then((saved) => {
      restored.current = true;
      setTurns((current) => [...saved, ...current]);
    });
  }, []);
  // Saved whenever a turn settles (not on every streamed token).
  const settled = turns.filter((t) => t.status !== 'retrieving' && t.status !== 'answering').length;
  useEffect(() => {
    if (restored.current) void saveConversation(turns);
  }, [settled, turns.length]); // eslint-disable-line react-hooks/exhaustive-deps -- saving on settle is the point

  // Each choice gets a number: a model that finishes loading after a newer choice was made (or
  // after the page let go of it) is closed instead of silently replacing the newer one.
  const latestChoice = useRef(0);
  const chooseModel = useCallback(async (choice: AnswerModelChoice) => {
    const mine = ++latestChoice.current;
    await generator.current?.dispose();
    generator.current = null;
    if (choice.kind === 'passages') {
      saveAnswerModel(choice);
      return setModel({ choice, status: 'ready' });
    }
    setModel({ choice, status: 'loading', progress: 0 });
    const current = (patch: (m: typeof model) => typeof model) => mine === latestChoice.current && setModel(patch);
    try {
      const loaded =
        choice.kind === 'webllm'
          ? await openWebLLMGenerator(choice.model, (p) => current((m) => ({ ...m, progress: p.progress })), modelSource)
          : await openTransformersGenerator(
              { model: choice.model, device: 'wasm', ...modelSource },
              (p) => current((m) => ({ ...m, bytes: p, progress: p.total ? p.loaded / p.total : m.progress })),
            );
      if (mine !== latestChoice.current) return void loaded.dispose();
      generator.current = loaded;
      setModel({ choice, status: 'ready' });
      saveAnswerModel(choice);
    } catch (err) {
      current(() => ({ choice, status: 'error', error: (err as Error).message }));
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- `model` is only used as a type

  // The answer model chosen last time comes back on the next visit (from the browser's cache).
  useEffect(() => {
    const saved = loadAnswerModel();
    if (saved.kind !== 'passages') void chooseModel(saved);
    return () => {
      latestChoice.current++;
      void generator.current?.dispose();
      generator.current = null;
    };
  }, [chooseModel]);

  const update = (id: string, patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)) =>
    setTurns((ts) => ts.map((t) => (t.id === id ? { ...t, ...(typeof patch === 'function' ? patch(t) : patch) } : t)));

  const ask = useCallback(
    async (question: string) => {
      const lib = await library();
      if (!lib || !question.trim()) return;
      const index = crypto.randomUUID();
      const history = rendered.current.filter((t) => t.status === 'done' || t.status === 'stopped');
      setTurns((ts) => [...ts, { id: index, question, sources: [], answer: '', status: 'retrieving' }]);
      const gen = generator.current;
      // Stop works from the moment a question is sent: during retrieval as well as generation.
      const abort = new AbortController();
      controller.current = abort;
      try {
        const query = await standaloneQuestion(question, history, gen);
        if (query !== question) update(index, { searchedFor: query });
        if (abort.signal.aborted) return update(index, { status: 'stopped' });
        // Without a model the passages are the answer: a reader's worth (≈ 3 chunks), not a wall.
        const sources = await lib.context(query, { k: search.passages, mode: search.hybrid ? 'hybrid' : 'dense', budgetTokens: gen ? Math.max(128, Math.floor(gen.contextWindow * 0.6)) : 700 });
        if (abort.signal.aborted) return update(index, { sources, status: 'stopped' });
        if (!gen) {
          update(index, { sources, highlights: sources.map((s) => highlightPassage(query, s.text)), status: 'done' });
          return;
        }
        update(index, { sources, status: 'answering' });
        const { messages, passagesUsed } = await buildAnswerMessages({
          question,
          passages: sources.map((s) => ({ docName: s.docName, where: where(s), text: s.text })),
          history: history.slice(-2).flatMap((t) => [
            { role: 'user' as const, content: t.question },
            ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : []),
          ]),
          contextWindow: gen.contextWindow,
          answerTokens: Math.min(256, Math.floor(gen.contextWindow / 4)),
          countTokens: (t) => gen.countTokens(t),
        });
        update(index, { sources: sources.slice(0, passagesUsed) });
        if (abort.signal.aborted) return update(index, { status: 'stopped' });
        const result = await gen.generate(messages, {
          maxNewTokens: Math.min(256, Math.floor(gen.contextWindow / 4)),
          signal: abort.signal,
          onToken: (t) => update(index, (turn) => ({ answer: turn.answer + t })),
        });
        update(index, { status: result.finishReason === 'aborted' ? 'stopped' : 'done' });
      } catch (err) {
        const e = err as Error & { suggestion?: string; fallbackModel?: string };
        update(index, { status: 'error', error: e.suggestion ? `${e.message} ${e.suggestion}` : e.message, ...(e.fallbackModel ? { fallbackModel: e.fallbackModel } : {}) });
      } finally {
        if (controller.current === abort) controller.current = null;
      }
    },
    [library, search.passages, search.hybrid],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => {
    controller.current?.abort();
    setTurns([]);
  }, []);
  /** Turns from a backup, placed before the current ones (and saved with them). */
  const restoreTurns = useCallback((restored: Turn[]) => {
    setTurns((current) => [...restored.map((t) => ({ ...t, id: crypto.randomUUID() })), ...current]);
  }, []);
  const busy = turns.some((t) => t.status === 'retrieving' || t.status === 'answering');

  return { turns, ask, stop, clear, busy, model, chooseModel, restoreTurns };
}
