/**
 * llama.cpp compiled to WebAssembly (wllama) behind the Generator interface: answers on the
 * processor for browsers without a usable GPU, from GGUF files (a catalogue model or the person's
 * own). Runs inside src/workers/wllama.worker.ts, which hosts the Wllama object; llama.cpp itself
 * runs in wllama's own worker (and its threads) below that.
 */
import type { ChatCompletionChunk, RawCompletionChunk, Wllama } from '@wllama/wllama';
import {
  answerController,
  type ChatMessage,
  type GenerateOptions,
  type GenerateResult,
  type Generator,
} from './generator';
import type { TokenCounter } from './ggufTokenizer';
import { plainTranscript } from './prompt';

/**
 * Tokens of a context window kept back from what the answer pipeline is told it may fill: the
 * pipeline counts message contents plus a per-message allowance, and the transcript's labels or a
 * chat template's markers (and SentencePiece's word boundaries) can add a few more.
 */
export const TEMPLATE_MARGIN = 32;
export const promptWindow = (nCtx: number) => nCtx - TEMPLATE_MARGIN;

/** What the generator needs of Wllama (the real class satisfies it). */
export type WllamaEngine = Pick<Wllama, 'createChatCompletion' | 'createCompletion' | 'exit'>;

export class WllamaGenerator implements Generator {
  private controller: AbortController | undefined;
  /** Token counts llama.cpp reported for the last answer. */
  lastUsage: { prompt_tokens: number; completion_tokens: number } | undefined;

  /** What the answer pipeline may fill with prompt and answer (the context less the margin). */
  readonly contextWindow: number;

  constructor(
    private readonly wllama: WllamaEngine,
    readonly id: string,
    /** The context llama.cpp was loaded with. */
    readonly nCtx: number,
    private readonly tokenizer: TokenCounter,
    /** The GGUF carries a chat template: llama.cpp applies it (as llama-server does). */
    readonly hasChatTemplate: boolean,
  ) {
    this.contextWindow = promptWindow(nCtx);
  }

  /** Tokens llama.cpp will read for these messages: exact for the transcript (BOS + text), a bound for chat templates. */
  promptTokens(messages: ChatMessage[]): number {
    if (!this.hasChatTemplate) return 1 + this.tokenizer.encode(plainTranscript(messages)).length;
    return messages.reduce((n, m) => n + this.tokenizer.encode(m.content).length + 8, 16);
  }

  async countTokens(text: string): Promise<number> {
    return this.tokenizer.encode(text).length;
  }

  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    if (opts.signal?.aborted) return { text: '', finishReason: 'aborted' };
    const { controller, release } = answerController(opts.signal);
    this.controller = controller;
    // The answer gets what the context has left after the prompt, never more (llama.cpp would
    // otherwise shift the context and forget the start of the prompt).
    const room = this.nCtx - this.promptTokens(messages);
    if (room < 1)
      throw new Error(`The question and its passages are longer than this model's ${this.nCtx}-token context.`);
    const sampling = {
      max_tokens: Math.min(opts.maxNewTokens ?? 512, room),
      stream: true as const,
      abortSignal: controller.signal,
      // Temperature 0 is greedy decoding in llama.cpp; top_k 1 makes it so whatever the defaults.
      ...((opts.temperature ?? 0) > 0 ? { temperature: opts.temperature } : { temperature: 0, top_k: 1 }),
    };
    let text = '';
    let finish: GenerateResult['finishReason'] = 'stop';
    this.lastUsage = undefined;
    const take = (
      piece: string | null | undefined,
      reason: string | null | undefined,
      usage?: { prompt_tokens: number; completion_tokens: number } | null,
    ) => {
      if (usage) this.lastUsage = { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens };
      if (piece) {
        text += piece;
        opts.onToken?.(piece);
      }
      if (reason === 'length') finish = 'length';
    };
    try {
      if (this.hasChatTemplate) {
        const stream = await this.wllama.createChatCompletion({ messages, ...sampling });
        for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>)
          take(chunk.choices[0]?.delta?.content, chunk.choices[0]?.finish_reason, chunk.usage);
      } else {
        const stream = await this.wllama.createCompletion({
          prompt: plainTranscript(messages),
          ...sampling,
          stop: ['\nUser:'],
        });
        for await (const chunk of stream as AsyncIterable<RawCompletionChunk>)
          take(chunk.choices[0]?.text, chunk.choices[0]?.finish_reason, chunk.usage);
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    } finally {
      release();
      if (this.controller === controller) this.controller = undefined;
    }
    return { text, finishReason: controller.signal.aborted ? 'aborted' : finish };
  }

  interrupt(): void {
    this.controller?.abort();
  }

  async dispose(): Promise<void> {
    this.controller?.abort();
    await this.wllama.exit();
  }
}
