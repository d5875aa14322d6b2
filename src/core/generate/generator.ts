export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  maxNewTokens?: number;
  temperature?: number;
  /** Called with each new piece of text as it is produced. */
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface GenerateResult {
  text: string;
  /** 'stop': the model finished; 'length': hit maxNewTokens; 'aborted': stopped by the user. */
  finishReason: 'stop' | 'length' | 'aborted';
}

/**
 * The one thing the app needs from an answer model. Every backend (WebLLM, transformers.js)
 * implements it and runs in a Web Worker; the passages-only answer needs no model at all.
 */
export interface Generator {
  readonly id: string;
  /** Tokens the model can attend to: prompt + answer. */
  readonly contextWindow: number;
  countTokens(text: string): Promise<number>;
  generate(messages: ChatMessage[], opts?: GenerateOptions): Promise<GenerateResult>;
  /** Stops the current generation; `generate` then resolves with finishReason 'aborted'. */
  interrupt(): void;
  dispose(): Promise<void>;
}

/** Timings of the last answer, for the benchmark. */
export interface RunStats {
  tokens: number;
  firstTokenMs?: number;
  ms: number;
}

/**
 * One answer with its timings, as a worker host returns it: `tokens()` is read after the answer
 * (the generator's own count, when it keeps one).
 */
export async function timedGenerate(
  generator: Generator,
  messages: ChatMessage[],
  opts: Omit<GenerateOptions, 'onToken' | 'signal'>,
  onToken: ((t: string) => void) | undefined,
  tokens: (pieces: number) => number | undefined,
): Promise<GenerateResult & Partial<RunStats>> {
  const t0 = performance.now();
  let first: number | undefined;
  let pieces = 0;
  const result = await generator.generate(messages, {
    ...opts,
    onToken: (t) => {
      first ??= performance.now() - t0;
      pieces++;
      onToken?.(t);
    },
  });
  const n = tokens(pieces);
  return {
    ...result,
    ms: performance.now() - t0,
    ...(n !== undefined ? { tokens: n } : {}),
    ...(first !== undefined ? { firstTokenMs: first } : {}),
  };
}
