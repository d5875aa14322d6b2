/**
 * The answer engines menu's contract (issues 11 and 16): every way Folio can write an answer, with
 * what a person needs to choose one. The catalogue and the loaders live with the engines
 * (core/generate, client/); the app only lists, renders and asks to load.
 */
import type { Generator } from './generator';

export type EngineKind = 'passages' | 'prompt-api' | 'webllm' | 'transformers' | 'wllama' | 'gguf-file';

/** Menu groups, in display order: where the engine runs. */
export type EngineGroup = 'instant' | 'built-in' | 'gpu' | 'processor' | 'file';

export type EngineState =
  | { kind: 'ready' }
  /** Nothing downloaded yet; `Download` is needed first. */
  | { kind: 'not-downloaded' }
  | { kind: 'downloading'; loaded: number; total: number; secondsLeft?: number }
  /** Loading into memory (already downloaded). */
  | { kind: 'loading'; progress?: number }
  /** Cannot run on this device or deployment; `reason` is a sentence a person understands. */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; message: string };

export interface EngineOption {
  /** Stable id, kept in settings: e.g. 'passages', 'webllm:Llama-3.2-1B-Instruct-q4f16_1-MLC'. */
  id: string;
  kind: EngineKind;
  group: EngineGroup;
  /** Display name, e.g. "Qwen2.5 0.5B Instruct". */
  name: string;
  /** Download size in bytes, when known. */
  sizeBytes?: number;
  /** One line on speed and quality, e.g. "fast, good for short answers". */
  note: string;
  state: EngineState;
  /** The option that fits this device best. */
  recommended?: boolean;
}
