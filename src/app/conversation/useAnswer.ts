import { useCallback, useEffect, useRef, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import type { AskEvent, Classification, Generator, PreviousTurn, SummaryLength } from '../../core';
import { importOnce, prefetchWhenIdle } from '../idle';
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

/** The document the last answer came from: what "summarise it" means. */
export function lastDocument(turns: Turn[]): string | undefined {
  return [...turns].reverse().find((t) => t.passages.length && !t.declined)?.passages[0]?.docName;
}

/** How a question is asked again: as the other reading offered, at another summary length, in place of a turn. */
export interface AskAgain {
  as?: Classification;
  length?: SummaryLength;
  /** The turn this answer replaces (a summary asked at another length). */
  replace?: string;
  /** In all documents, whatever collections are chosen (a declined answer's offer). */
  everywhere?: boolean;
}

/**
 * Question → its kind (`classifyIn`, on this thread: it reads names, and for "What are the
 * limitations of X?" the headings of X through the library worker) → a lookup through the
 * core's answer pipeline (`askQuestion`, on this thread: it searches through the library worker and
 * writes with the engine chosen in the engines menu), or a summary, list, count or comparison read
 * in the library worker (`RemoteLibrary.ask`: it reads every passage in scope) → its events folded
 * into a turn of the conversation in view as they come (`applyAskEvent`). Nothing is decided here:
 * what was searched, whether the documents cover it, the extract, the checked sentences, the
 * summary and the list all come from the core.
 */
const loadPipeline = importOnce(() => import('./answerPipeline'));

export function useAnswer(o: Options) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    prefetchWhenIdle(loadPipeline);
  }, []);
  const controller = useRef<AbortController | null>(null);
  const opts = useRef(o);
  opts.current = o;

  const ask = useCallback(async (conversation: string, question: string, history: Turn[], again: AskAgain = {}) => {
    const { library, engine, settleRemovals, updateTurns } = opts.current;
    const { collections: _chosen, scopeName: _named, ...unscoped } = opts.current.search;
    const search: typeof opts.current.search = again.everywhere ? unscoped : opts.current.search;
    if (!question.trim()) return;
    // The question shows, and Stop (Esc) works, from the moment it is sent: before the library
    // answers the first call, during retrieval as well as generation.
    const abort = new AbortController();
    controller.current?.abort();
    controller.current = abort;
    setBusy(true);
    const { id: engineId, generator } = engine();
    const id = again.replace ?? crypto.randomUUID();
    const askedAt = Date.now();
    const turn: Turn = {
      id,
      question,
      passages: [],
      answer: '',
      status: 'retrieving',
      askedAt,
      ...(generator ? { engine: engineId } : {}),
      ...(again.length ? { length: again.length } : {}),
      ...(search.collections ? { askedIn: search.collections } : {}),
    };
    const update = (change: (t: Turn) => Turn) =>
      updateTurns(conversation, (ts) => ts.map((t) => (t.id === id ? change(t) : t)));
    updateTurns(conversation, (ts) => (again.replace ? ts.map((t) => (t.id === id ? turn : t)) : [...ts, turn]));
    let ended = false;
    try {
      const lib = await library();
      if (!lib) throw new Error('Your library is not available in this tab.');
      const [{ askQuestion, applyAskEvent, classifyIn, computedByTable, readingOnce }] = await Promise.all([
        loadPipeline(),
        settleRemovals(),
      ]);
      const apply = (event: AskEvent) => {
        if (ended) return;
        ended = event.type === 'done';
        // A declined answer keeps no engine: no model wrote anything.
        update((t) => ({
          ...(applyAskEvent(t, event) as Turn),
          ...(event.type === 'declined' ? { engine: undefined } : {}),
          ...(event.type === 'done' ? { ms: Date.now() - askedAt } : {}),
          ...(event.type === 'kind'
            ? {
                classified: { kind: event.kind, scope: event.scope, ...(event.target ? { target: event.target } : {}) },
              }
            : {}),
        }));
      };
      const earlier = history.filter((t) => t.id !== id);
      const last = lastDocument(earlier);
      const current = await pickerScope(lib, search.collections);
      const before = previousTurns(earlier);
      // Deciding and answering read the same lists, and an aim question the same paper: read once.
      const source = readingOnce(lib);
      const read =
        again.as ??
        (await classifyIn(source, question, {
          ...(last ? { lastDocument: last } : {}),
          current,
          history: before,
        }));
      // The question's scope (collections) applies to every search the pipeline makes.
      const searchOpts = {
        k: search.passages,
        mode: search.hybrid ? ('hybrid' as const) : ('dense' as const),
        ...(search.collections ? { collections: search.collections } : {}),
      };
      // A count a table computes exactly is a lookup: the pipeline computes it (issue 24).
      const computedTable = again.as
        ? undefined
        : await computedByTable(question, read, { source, retriever: lib, search: searchOpts, tables: true });
      const kind = computedTable ? { ...read, kind: 'lookup' as const } : read;
      abort.signal.throwIfAborted();
      const asked = {
        history: before,
        search: searchOpts,
        as: kind,
        // Questions over sheets and CSVs are computed (issue 24): conversation/table/ shows them.
        tables: true,
        ...(computedTable ? { computedTable } : {}),
        ...(search.scopeName ? { scopeName: search.scopeName } : {}),
        ...(lib.info.model ? { searchModel: lib.info.model } : {}),
        ...(last ? { lastDocument: last } : {}),
        ...(again.length ? { length: again.length } : {}),
        current,
      };
      if (kind.kind === 'lookup') {
        const events = askQuestion(question, {
          ...asked,
          source,
          retriever: lib,
          generator,
          signal: abort.signal,
        });
        for await (const event of events) apply(event);
      } else {
        // Read in the library worker; Stop ends the wait at once, the worker stops at its next batch.
        const generate = generator
          ? (messages: Parameters<Generator['generate']>[0], maxNewTokens?: number) =>
              generator.generate(messages, { ...(maxNewTokens ? { maxNewTokens } : {}), signal: abort.signal })
          : undefined;
        const stopped = new Promise<void>((resolve) =>
          abort.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        const onStop = () => void lib.stopAsk(id).catch(() => {});
        abort.signal.addEventListener('abort', onStop, { once: true });
        const asking = lib.ask(id, question, asked, apply, generate);
        // Stopped: the worker may still end with an error nobody waits for.
        asking.catch(() => {});
        await Promise.race([asking, stopped]);
        if (abort.signal.aborted) apply({ type: 'done', finishReason: 'aborted' });
      }
    } catch (err) {
      if (abort.signal.aborted && !ended) {
        update((t) => ({ ...t, status: 'stopped', finishReason: 'aborted', ms: Date.now() - askedAt }));
        return;
      }
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

/**
 * The scope picker as names, for "summarise this collection" and for a summary without a name in
 * it: one collection by its name, several as the documents they hold.
 */
async function pickerScope(
  lib: RemoteLibrary,
  collections: string[] | undefined,
): Promise<{ documents?: string[]; collection?: string } | undefined> {
  if (!collections?.length) return undefined;
  const all = await lib.listCollections();
  if (collections.length === 1) {
    const c = all.find((x) => x.id === collections[0]);
    return c ? { collection: c.name } : undefined;
  }
  const docs = await lib.listDocuments();
  return { documents: docs.filter((d) => d.collections?.some((c) => collections.includes(c))).map((d) => d.name) };
}
