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

/**
 * One answer's stop switch, aborted by the caller's signal or by the generator's interrupt();
 * `release` unhooks it from the caller's signal once the answer is over.
 */
export function answerController(signal: AbortSignal | undefined): {
  controller: AbortController;
  release: () => void;
} {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => signal?.removeEventListener('abort', onAbort) };
}
