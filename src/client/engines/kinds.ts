import type { EngineDriver } from './driver';
import { llamaCppEngine } from './llamaCpp';
import { modelFileEngine } from './modelFile';
import { modelServerEngine } from './modelServer';
import { passagesEngine } from './passages';
import { promptApiEngine } from './promptApi';
import { transformersEngine } from './transformers';
import { webllmEngine } from './webllm';

/**
 * Every kind of answer engine the page offers, in the menu's order within each group. A new kind
 * is a file in this folder implementing EngineDriver (driver.ts) and a row here.
 */
export const ENGINE_KINDS: readonly EngineDriver[] = [
  passagesEngine,
  promptApiEngine,
  webllmEngine,
  llamaCppEngine,
  transformersEngine,
  modelServerEngine,
  modelFileEngine,
];
