import { type EngineOption, type Engines, PASSAGES_ONLY } from '../core';

/**
 * The page's Engines, with their code (the catalogue, WebLLM's model records, the workers' glue)
 * fetched after the page has shown: until then the list holds passages only, which is also what
 * the page answers with. A call that needs the real object waits for it.
 */
export function openLazyEngines(): Engines {
  let snapshot: readonly EngineOption[] = [PASSAGES_ONLY];
  let real: Engines | undefined;
  const listeners = new Set<() => void>();
  const tell = () => {
    for (const l of listeners) l();
  };
  const ready = import('./engines/pageEngines').then(({ openEngines }) => {
    const engines = openEngines();
    real = engines;
    engines.subscribe(() => {
      snapshot = engines.list();
      tell();
    });
    snapshot = engines.list();
    tell();
    return engines;
  });
  return {
    list: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: async (id, signal) => (id === 'passages' && !real ? null : (await ready).load(id, signal)),
    cancel: (id) => void ready.then((e) => e.cancel(id)),
    remove: async (id) => (await ready).remove(id),
    addModelFile: async (file) => (await ready).addModelFile(file),
    // Until the engines' code is here there is no field to fill (the menu shows them once it is).
    inputs: () => real?.inputs() ?? [],
    add: async (kind, text) => (await ready).add(kind, text),
    added: () => real?.added() ?? [],
    forget: async (kind, value) => (await ready).forget(kind, value),
  };
}
