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
  /** On this device: usable without a download. `loaded`: in memory now (the current engine). */
  | { kind: 'ready'; loaded?: boolean }
  /** Nothing downloaded yet; `Download` is needed first. */
  | { kind: 'not-downloaded' }
  /**
   * `loaded`/`total` are bytes, except with `fraction` (Chrome's built-in model reports only a
   * fraction): then total is 1 and loaded the part done.
   */
  | { kind: 'downloading'; loaded: number; total: number; secondsLeft?: number; fraction?: boolean }
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

/**
 * The page's answer engines (implemented in `src/client/engines.ts` as `openEngines()`, one per
 * page). Shaped for React's `useSyncExternalStore`: `list()` returns the same array until something
 * changes, and `subscribe` is told when it does (download progress, ready, error).
 */
export interface Engines {
  list(): readonly EngineOption[];
  subscribe(listener: () => void): () => void;
  /**
   * Downloads (if needed — only ever after the person chose it) and loads the engine. Resolves with
   * its Generator, or null for 'passages'. Progress and failures also show in the option's state;
   * a failure rejects with an Error whose message a person understands.
   */
  load(id: string, signal?: AbortSignal): Promise<Generator | null>;
  /** Stops a download in progress (its state goes back to 'not-downloaded'). */
  cancel(id: string): void;
  /** Frees the space a downloaded model or a kept model file takes. */
  remove(id: string): Promise<void>;
  /**
   * "Use a model file you already have": checks and keeps a .gguf (or all parts of a split one);
   * rejects with a plain reason that names the file.
   */
  addModelFile(file: File | readonly File[]): Promise<EngineOption>;
  /** A hub model id typed under "Advanced" (transformers.js); listed from then on. */
  addCustom(hubId: string): EngineOption;
}
