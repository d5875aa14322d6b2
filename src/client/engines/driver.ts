import type {
  DeviceFacts,
  EngineError,
  EngineInput,
  EngineKind,
  EngineOption,
  EngineState,
  Generator,
  LanguageModelFactory,
} from '../../core';

/** What the page's engines (pageEngines.ts) give each kind: the device, and a say in the list. */
export interface EnginePage {
  readonly device: DeviceFacts;
  /** Chrome's `LanguageModel`, or a test's stand-in; undefined where the browser has none. */
  readonly languageModel: LanguageModelFactory | undefined;
  /** Sets an option's state as the menu shows it (e.g. 'loading' once its download is done). */
  setState(id: string, state: EngineState): void;
}

/** A download's progress, in bytes, or as a fraction where that is all the engine tells. */
export interface LoadProgress {
  bytes(loaded: number, total: number): void;
  fraction(done: number): void;
}

/**
 * One kind of answer engine: a file in this folder and a row in kinds.ts. The page keeps the list,
 * the states, one model in memory at a time, cancelling and time-left; a kind only knows its own
 * options and how to fetch, open and remove them.
 */
export interface EngineDriver {
  readonly kind: EngineKind;
  /**
   * This kind's options on this device, each 'unavailable' with the reason where it cannot run
   * here, 'not-downloaded' where it needs a download (the page then asks `isDownloaded`).
   * Called when the page opens and after `add`: options found at run time (a hub id the person
   * added, their files, a server's models) come from here too.
   */
  options(page: EnginePage): Promise<EngineOption[]>;
  /** Whether a 'not-downloaded' option's files are on this device after all (found without any request). */
  isDownloaded?(option: EngineOption, page: EnginePage): Promise<boolean>;
  /**
   * Downloads what is missing (only ever after the person chose the option) and opens it; null
   * for an engine that needs no model. Stops, rejecting, when `signal` aborts.
   */
  open(option: EngineOption, page: EnginePage, signal: AbortSignal, progress: LoadProgress): Promise<Generator | null>;
  /** Why `open` failed, as a sentence a person understands (default: "<name> could not be started: …"). */
  explain?(option: EngineOption, err: unknown): Promise<EngineError>;
  /**
   * Frees the space the option takes on this device. Resolves with its state from then on, or
   * null when it leaves the list. Without it, removing leaves the option as it is.
   */
  remove?(option: EngineOption, page: EnginePage): Promise<EngineState | null>;
  /** A field a person fills to add options of this kind; `add` takes what they typed. */
  input?: EngineInput;
  /** Keeps what was typed (it is among `options` from then on); resolves with the id to use at once, if any. */
  add?(text: string, page: EnginePage): Promise<string | undefined>;
  /** What was added through `input` and is kept (a server's address), in the order added. */
  added?(): { value: string; name?: string }[];
  /** Stops keeping something added; its options (those whose `from` is `value`) leave the list. */
  forget?(value: string): Promise<void>;
  /** Model files picked from disk: checked and kept, then listed. */
  addFiles?(files: File[], page: EnginePage): Promise<EngineOption>;
}
