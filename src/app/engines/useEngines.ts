import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { openLazyEngines } from '../../client/lazyEngines';
import type { Engines, Generator } from '../../core';
import { is, persisted, usePersisted } from '../persisted';

/** The engine chosen last time; older versions kept `{kind, model}` under folio.answerModel. */
const legacyChoice = (): string | undefined => {
  try {
    const old = JSON.parse(localStorage.getItem('folio.answerModel') ?? 'null') as {
      kind?: string;
      model?: string;
    } | null;
    return old?.kind && old.kind !== 'passages' && typeof old.model === 'string'
      ? `${old.kind}:${old.model}`
      : undefined;
  } catch {
    return undefined;
  }
};
const choiceState = persisted('folio.engine', is.string, legacyChoice() ?? 'passages');

let shared: Engines | undefined;
/** One Engines per page (its downloads and loaded models outlive any component). */
const pageEngines = () => (shared ??= openLazyEngines());

/** The engine in use ('ready'), or the one being loaded to replace it ('loading'). */
export type ActiveEngine = { id: string; status: 'ready' | 'loading' };

/**
 * The answer engines menu's state: the options (kept in step through `subscribe`), the engine in
 * use and its Generator. The chosen engine comes back on the next visit if it needs no download.
 */
export function useEngines() {
  const engines = pageEngines();
  const options = useSyncExternalStore(engines.subscribe, engines.list);
  const [chosen, setChosen] = usePersisted(choiceState);
  const [active, setActive] = useState<ActiveEngine>({ id: 'passages', status: 'ready' });
  // The last engine that could not be loaded, and why (the one in use stays in use).
  const [failed, setFailed] = useState<{ id: string; message: string } | null>(null);
  const generator = useRef<{ id: string; generator: Generator | null }>({ id: 'passages', generator: null });
  const attempt = useRef(0);
  const loading = useRef<AbortController | null>(null);

  const use = useCallback(
    async (id: string) => {
      const mine = ++attempt.current;
      loading.current?.abort();
      const abort = new AbortController();
      loading.current = abort;
      setActive({ id, status: id === 'passages' ? 'ready' : 'loading' });
      setFailed(null);
      try {
        const loaded = await engines.load(id, abort.signal);
        if (mine !== attempt.current) return void loaded?.dispose();
        const previous = generator.current.generator;
        generator.current = { id, generator: loaded };
        if (previous && previous !== loaded) void previous.dispose();
        setActive({ id, status: 'ready' });
        setChosen(id);
      } catch (err) {
        if (mine !== attempt.current) return;
        // A cancelled download or a failed model leaves the engine that was working in use.
        setActive({ id: generator.current.id, status: 'ready' });
        if ((err as Error).name !== 'AbortError') setFailed({ id, message: (err as Error).message });
      }
    },
    [engines, setChosen],
  );

  const cancel = useCallback(
    (id: string) => {
      engines.cancel(id);
      if (active.id === id && active.status === 'loading') {
        attempt.current++;
        loading.current?.abort();
        setActive({ id: generator.current.id, status: 'ready' });
      }
    },
    [engines, active],
  );

  const remove = useCallback(
    async (id: string) => {
      if (generator.current.id === id) await use('passages');
      await engines.remove(id);
    },
    [engines, use],
  );

  /**
   * Forgets something added (a model server's address). If an engine from it was in use, or is the
   * one chosen, answers fall back to passages only; resolves with whether they did.
   */
  const forget = useCallback(
    async (kind: string, value: string): Promise<boolean> => {
      const fromIt = (id: string) => engines.list().find((o) => o.id === id)?.from === value;
      const inUse = fromIt(generator.current.id) || fromIt(active.id) || fromIt(chosen);
      if (inUse) await use('passages');
      await engines.forget(kind, value);
      return inUse;
    },
    [engines, use, active.id, chosen],
  );

  // Last visit's engine comes back by itself only when it is already downloaded.
  const restored = useRef(false);
  const chosenOption = options.find((o) => o.id === chosen);
  useEffect(() => {
    if (restored.current || chosen === 'passages' || !chosenOption) return;
    if (chosenOption.state.kind === 'ready') {
      restored.current = true;
      void use(chosen);
    }
  }, [chosen, chosenOption, use]);

  const current = options.find((o) => o.id === active.id) ?? options[0]!;
  return {
    engines,
    options,
    active,
    failed,
    current,
    /** For the answer pipeline: the engine in use right now. */
    engine: useCallback(() => generator.current, []),
    use,
    cancel,
    remove,
    inputs: engines.inputs(),
    add: (kind: string, text: string) => engines.add(kind, text),
    /** What was added through the menu's fields (model servers' addresses), for Settings. */
    added: engines.added(),
    forget,
    addModelFile: (file: File | readonly File[]) => engines.addModelFile(file),
  };
}
