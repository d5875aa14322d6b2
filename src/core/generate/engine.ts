/**
 * The answer engines menu's contract (issues 11 and 16): every way Folio can write an answer, with
 * what a person needs to choose one. The catalogue lives in core/generate; each kind of engine is
 * a file in client/engines/ and a row of its table (client/engines/kinds.ts); the app only lists,
 * renders and asks to load.
 */
import type { Generator } from './generator';

/**
 * Which kind of engine an option is: the `kind` of a row of client/engines/kinds.ts ('passages',
 * 'prompt-api', 'webllm', 'wllama', 'transformers', 'gguf-file', …). A string, so that a new kind
 * is its own file and row, not a change here.
 */
export type EngineKind = string;

/** Menu groups, in display order: where the engine runs ('server': a model server on this computer). */
export type EngineGroup = 'instant' | 'built-in' | 'gpu' | 'processor' | 'server' | 'file';

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
  /**
   * What the person added that this option comes from (a model server's address): it is listed
   * while that is kept, and `Engines.forget` takes it away with every option from it.
   */
  from?: string;
}

/** Something a person added through a kind's field and that is kept (a model server's address). */
export interface AddedSource {
  kind: EngineKind;
  value: string;
  /** What it is, when known (e.g. "Ollama" for its usual address). */
  name?: string;
}

/**
 * A field a person fills to add options of one kind: a hub model's id, a model server's address.
 * The menu shows one per kind that has it, under its `summary`.
 */
export interface EngineInput {
  kind: EngineKind;
  summary: string;
  /** One line under the field: what to type and what happens then. */
  help: string;
  /** The field's accessible name. */
  label: string;
  placeholder: string;
  /** The button's text, e.g. "Add and download". */
  submit: string;
  /** A line to read before using the field, when there is one (e.g. the browser will ask a permission). */
  note?: string;
  /** Values a person can put in the field with one press, e.g. known servers' usual addresses. */
  presets?: readonly { name: string; value: string }[];
}

/**
 * The page's answer engines (implemented in `src/client/engines/pageEngines.ts` as `openEngines()`,
 * one per page). Shaped for React's `useSyncExternalStore`: `list()` returns the same array until something
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
  /** The fields a person can fill to add options (one per kind that has one). */
  inputs(): readonly EngineInput[];
  /**
   * Adds what was typed in a kind's field (a hub model id, a server address); it is listed from
   * then on. Resolves with the option to use at once, if there is one; rejects with a plain reason.
   */
  add(kind: EngineKind, text: string): Promise<EngineOption | undefined>;
  /** What was added through the kinds' fields and is kept, in the order added (Settings lists them). */
  added(): readonly AddedSource[];
  /**
   * Forgets something added: it is no longer kept or contacted, and its options leave the list (the
   * one in memory, if it is among them, is freed first).
   */
  forget(kind: EngineKind, value: string): Promise<void>;
}

/**
 * The engine that needs nothing: always there, also before the engines' code has loaded. It lives
 * here, not in catalogue.ts, so that the page's first load carries it and not the catalogue.
 */
export const PASSAGES_ONLY: EngineOption = {
  id: 'passages',
  kind: 'passages',
  group: 'instant',
  name: 'Passages only',
  note: 'instant: the best passages, their key sentences highlighted',
  state: { kind: 'ready' },
};
