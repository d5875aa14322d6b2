/// <reference types="dom-chromium-ai" />
/**
 * Chrome's built-in model through the Prompt API (`LanguageModel`, desktop Chrome 148+;
 * https://github.com/webmachinelearning/prompt-api) behind the Generator interface. The browser
 * downloads and runs the model; nothing of Folio's goes anywhere. Written against the spec's
 * current shape (measureContextUsage / contextWindow), with the names older Chrome builds used
 * (measureInputUsage / inputQuota) as a fallback.
 */
import {
  answerController,
  type ChatMessage,
  type GenerateOptions,
  type GenerateResult,
  type Generator,
} from './generator';

/** The static side of `LanguageModel` that Folio uses (the real global satisfies it). */
export type LanguageModelFactory = Pick<typeof LanguageModel, 'availability' | 'create'>;

const EXPECTED: LanguageModelCreateCoreOptions = {
  expectedInputs: [{ type: 'text', languages: ['en'] }],
  expectedOutputs: [{ type: 'text', languages: ['en'] }],
};

/** The page's `LanguageModel`, if the browser has one. */
export function languageModelFactory(): LanguageModelFactory | undefined {
  const lm = (globalThis as { LanguageModel?: LanguageModelFactory }).LanguageModel;
  return lm && typeof lm.availability === 'function' && typeof lm.create === 'function' ? lm : undefined;
}

/** 'available', 'downloadable', 'downloading' or 'unavailable' (also when the API is missing or throws). */
export async function promptApiAvailability(factory = languageModelFactory()): Promise<Availability> {
  if (!factory) return 'unavailable';
  try {
    return await factory.availability(EXPECTED);
  } catch {
    return 'unavailable';
  }
}

type Session = Pick<LanguageModel, 'promptStreaming' | 'destroy' | 'clone'> & {
  measureContextUsage?: LanguageModel['measureContextUsage'];
  measureInputUsage?: LanguageModel['measureInputUsage'];
  contextWindow?: number;
  inputQuota?: number;
};

/**
 * Creates the session (Chrome downloads the model first if it must: `onProgress` gets the
 * fraction from the monitor's downloadprogress events). `signal` cancels the creation.
 */
export async function createPromptApiGenerator(
  factory: LanguageModelFactory,
  opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<Generator> {
  const base = (await factory.create({
    ...EXPECTED,
    ...(opts.signal ? { signal: opts.signal } : {}),
    monitor(m) {
      m.addEventListener('downloadprogress', (e) => opts.onProgress?.(e.total ? e.loaded / e.total : e.loaded));
    },
  })) as unknown as Session;
  return new PromptApiGenerator(base);
}

export class PromptApiGenerator implements Generator {
  readonly id = 'prompt-api';
  private controller: AbortController | undefined;

  constructor(private readonly base: Session) {}

  /** Tokens the session can hold: the spec's contextWindow (inputQuota before it was renamed). */
  get contextWindow(): number {
    const w = this.base.contextWindow ?? this.base.inputQuota ?? 4096;
    return Number.isFinite(w) ? w : 1 << 20;
  }

  async countTokens(text: string): Promise<number> {
    const measure = this.base.measureContextUsage ?? this.base.measureInputUsage;
    if (!measure) return Math.ceil(text.length / 3);
    return measure.call(this.base, text);
  }

  /**
   * Each answer runs in a clone of the empty session, so earlier answers do not pile up in the
   * browser's context: the messages already carry the history Folio chose to keep. The API has no
   * length limit for an answer, so `maxNewTokens` is not applied; `temperature` is left to the
   * browser (settable only in extensions).
   */
  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    if (opts.signal?.aborted) return { text: '', finishReason: 'aborted' };
    const { controller, release } = answerController(opts.signal);
    this.controller = controller;
    let session: Session | undefined;
    let text = '';
    try {
      session = (await this.base.clone({ signal: controller.signal })) as unknown as Session;
      const stream = session.promptStreaming(messages as LanguageModelPrompt, { signal: controller.signal });
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!value) continue;
        text += value;
        opts.onToken?.(value);
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    } finally {
      release();
      session?.destroy();
      if (this.controller === controller) this.controller = undefined;
    }
    return { text, finishReason: controller.signal.aborted ? 'aborted' : 'stop' };
  }

  interrupt(): void {
    this.controller?.abort();
  }

  async dispose(): Promise<void> {
    this.controller?.abort();
    this.base.destroy();
  }
}
