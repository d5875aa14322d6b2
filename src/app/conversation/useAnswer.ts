import { useCallback, useEffect, useRef, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import type { Generator, PreviousTurn } from '../../core';
import { whenIdle } from '../idle';
import type { Turn } from './conversationStore';

interface Options {
  library: () => Promise<RemoteLibrary | null>;
  /** `scopeName`: the chosen collections in words, for a declined answer to say where it looked. */
  search: { passages: number; hybrid: boolean; collections?: string[]; scopeName?: string };
  /** The answer engine in use: its generator (null for passages only) and id. */
  engine: () => { id: string; generator: Generator | null };
  /** Deletes documents still waiting for Undo, so no answer cites what the person removed. */
  settleRemovals: () => Promise<void>;
  updateTurns: (conversation: string, change: (turns: Turn[]) => Turn[]) => void;
}

/** What a follow-up may lean on: earlier settled turns, with what was searched and answered. */
export function previousTurns(turns: Turn[]): PreviousTurn[] {
  return turns
    .filter((t) => t.status === 'done' || t.status === 'stopped')
    .map((t) => ({
      question: t.question,
      ...(t.searchedFor ? { query: t.searchedFor } : {}),
      ...(t.answer ? { answer: t.answer } : t.extract ? { answer: t.extract.text } : {}),
    }));
}

/**
 * Question → the core's answer pipeline (`answer()`, on this thread: it searches through the
 * library worker and writes with the engine chosen in the engines menu) → its events folded into a
 * turn of the conversation in view as they come. Nothing is decided here: what was searched,
 * whether the documents cover it, the extract and the checked sentences all come from the pipeline.
 */
let pipeline: Promise<typeof import('./answerPipeline')> | undefined;
const loadPipeline = () => (pipeline ??= import('./answerPipeline'));

export function useAnswer(o: Options) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    whenIdle(() => void loadPipeline());
  }, []);
  const controller = useRef<AbortController | null>(null);
  const opts = useRef(o);
  opts.current = o;

  const ask = useCallback(async (conversation: string, question: string, history: Turn[]) => {
    const { library, search, engine, settleRemovals, updateTurns } = opts.current;
    if (!question.trim()) return;
    // The question shows, and Stop (Esc) works, from the moment it is sent: before the library
    // answers the first call, during retrieval as well as generation.
    const abort = new AbortController();
    controller.current?.abort();
    controller.current = abort;
    setBusy(true);
    const { id: engineId, generator } = engine();
    const id = crypto.randomUUID();
    const askedAt = Date.now();
    const turn: Turn = {
      id,
      question,
      passages: [],
      answer: '',
      status: 'retrieving',
      askedAt,
      ...(generator ? { engine: engineId } : {}),
    };
    const update = (change: (t: Turn) => Turn) =>
      updateTurns(conversation, (ts) => ts.map((t) => (t.id === id ? change(t) : t)));
    updateTurns(conversation, (ts) => [...ts, turn]);
    try {
      const lib = await library();
      if (!lib) throw new Error('Your library is not available in this tab.');
      const [{ answer, applyAnswerEvent }] = await Promise.all([loadPipeline(), settleRemovals()]);
      const events = answer(question, {
        retriever: lib,
        generator,
        history: previousTurns(history),
        signal: abort.signal,
        // The question's scope (collections) applies to every search the pipeline makes.
        search: {
          k: search.passages,
          mode: search.hybrid ? 'hybrid' : 'dense',
          ...(search.collections ? { collections: search.collections } : {}),
        },
        ...(search.scopeName ? { scopeName: search.scopeName } : {}),
        ...(lib.info.model ? { searchModel: lib.info.model } : {}),
      });
      for await (const event of events) {
        // A declined answer keeps no engine: no model wrote anything.
        update((t) => ({
          ...applyAnswerEvent(t, event),
          ...(event.type === 'declined' ? { engine: undefined } : {}),
          ...(event.type === 'done' ? { ms: Date.now() - askedAt } : {}),
        }));
      }
    } catch (err) {
      const e = err as Error & { suggestion?: string; fallbackModel?: string };
      update((t) => ({
        ...t,
        status: 'error',
        error: e.suggestion ? `${e.message} ${e.suggestion}` : e.message,
        ...(e.fallbackModel ? { fallbackModel: e.fallbackModel } : {}),
      }));
    } finally {
      if (controller.current === abort) {
        controller.current = null;
        setBusy(false);
      }
    }
  }, []);

  const stop = useCallback(() => controller.current?.abort(), []);
  return { ask, stop, busy };
}
