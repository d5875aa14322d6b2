/**
 * A transformers.js answer model as a worker hosts it: `workers/generator.worker.ts` only hands a
 * TransformersHost to Comlink; `client/generator.ts` calls it through `TransformersWorkerApi`,
 * derived from this class. It also loads a tokenizer alone, for WebLLM's exact token counts.
 */
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { Remote } from '../host';
import { configureTransformers } from '../embed/transformers';
import { type ChatMessage, type GenerateResult, type Generator, type RunStats, timedGenerate } from './generator';
import { createTransformersGenerator, type TransformersGeneratorOptions } from './transformers';

export class TransformersHost {
  private generator: (Generator & { lastTokens?: number }) | undefined;
  private tokenizer: PreTrainedTokenizer | undefined;

  async load(
    opts: Omit<TransformersGeneratorOptions, 'onDownload'>,
    onDownload?: (p: { file: string; loaded: number; total: number }) => void,
  ): Promise<{ id: string; contextWindow: number }> {
    await this.generator?.dispose();
    this.generator = await createTransformersGenerator({
      ...opts,
      ...(onDownload ? { onDownload: (p) => void onDownload(p) } : {}),
    });
    return { id: this.generator.id, contextWindow: this.generator.contextWindow };
  }

  /** Loads only a tokenizer (e.g. of a WebLLM model's repo), for exact token counts. */
  async loadTokenizer(repo: string, opts: { localModelPath?: string; remoteHost?: string }): Promise<void> {
    configureTransformers(opts);
    this.tokenizer = await AutoTokenizer.from_pretrained(repo);
  }

  async countTokens(text: string): Promise<number> {
    if (this.tokenizer) return this.tokenizer.encode(text, { add_special_tokens: false }).length;
    if (!this.generator) throw new Error('No model is loaded.');
    return this.generator.countTokens(text);
  }

  generate(
    messages: ChatMessage[],
    opts: { maxNewTokens?: number; temperature?: number },
    onToken?: (t: string) => void,
  ): Promise<GenerateResult & Partial<RunStats>> {
    const g = this.generator;
    if (!g) throw new Error('No model is loaded.');
    return timedGenerate(g, messages, opts, onToken, () => g.lastTokens);
  }

  interrupt(): void {
    this.generator?.interrupt();
  }

  async dispose(): Promise<void> {
    await this.generator?.dispose();
    this.generator = undefined;
  }
}

/** The transformers.js worker's calls, as the page makes them. */
export type TransformersWorkerApi = Remote<TransformersHost>;
