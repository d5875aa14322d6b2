import { useCallback, useRef, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import type { Generator } from '../../core';
import type { Turn } from './conversationStore';
// The answer pipeline's two calls; until core/answer lands they come from the interim module.
import { applyAnswerEvent, interimAnswer as answer } from './interimAnswer';

interface Options {
  library: () => Promise<RemoteLibrary | null>;
  search: { passages: number; hybrid: boolean };
  /** The answer engine in use: its generator (null for passages only) and id. */
  engine: () => { id: string; generator: Generator | null };
  /** Deletes documents still waiting for Undo, so no answer cites what the person removed. */
  settleRemovals: () => Promise<void>;
  updateTurns: (conversation: string, change: (turns: Turn[]) => Turn[]) => void;
}

/** Question → the pipeline's events → a turn of the conversation in view, updated as they come. */
export function useAnswer(o: Options) {
  const [busy, setBusy] = useState(false);
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
    const turn: Turn = { id, question, passages: [], answer: '', status: 'retrieving', askedAt, ...(generator ? { engine: engineId } : {}) };
    const update = (change: (t: Turn) => Turn) => updateTurns(conversation, (ts) => ts.map((t) => (t.id === id ? change(t) : t)));
    updateTurns(conversation, (ts) => [...ts, turn]);
    try {
      const lib = await library();
      if (!lib) throw new Error('Your library is not available in this tab.');
      await settleRemovals();
      const settledTurns = history.filter((t) => t.status === 'done' || t.status === 'stopped');
      for await (const event of answer(lib, { question, history: settledTurns, generator, ...search, signal: abort.signal })) {
        update((t) => ({ ...(applyAnswerEvent(t, event) as Turn), ...(event.type === 'done' ? { ms: Date.now() - askedAt } : {}) }));
      }
    } catch (err) {
      const e = err as Error & { suggestion?: string; fallbackModel?: string };
      update((t) => ({ ...t, status: 'error', error: e.suggestion ? `${e.message} ${e.suggestion}` : e.message, ...(e.fallbackModel ? { fallbackModel: e.fallbackModel } : {}) }));
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
