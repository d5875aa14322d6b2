import type { EngineOption } from '../core';

/** The engine that needs nothing: always there, also before the engines' code has loaded. */
export const PASSAGES_ONLY: EngineOption = {
  id: 'passages',
  kind: 'passages',
  group: 'instant',
  name: 'Passages only',
  note: 'instant: the best passages, their key sentences highlighted',
  state: { kind: 'ready' },
};
