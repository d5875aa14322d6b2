import { PASSAGES_ONLY } from '../../core';
import type { EngineDriver } from './driver';

/** Answers with the best passages, their key sentences highlighted: no model, nothing to download. */
export const passagesEngine: EngineDriver = {
  kind: 'passages',
  options: async () => [PASSAGES_ONLY],
  // The page answers with passages without opening anything; this is for the contract's sake.
  open: async () => null,
};
