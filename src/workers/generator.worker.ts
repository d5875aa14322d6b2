/**
 * Hosts an answer model off the UI thread (transformers.js backend). Only core code runs here;
 * WebLLM brings its own worker (webllm.worker.ts).
 */
import * as Comlink from 'comlink';
import type { GeneratorWorkerApi } from '../client/generator';
import type { Generator } from '../core/generate/generator';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { configureTransformers } from '../core/embed/transformers';
import { createTransformersGenerator } from '../core/generate/transformers';

let generator: Generator | undefined;
let tokenizer: PreTrainedTokenizer | undefined;

const api: GeneratorWorkerApi = {
  async load(opts, onDownload) {
    await generator?.dispose();
    generator = await createTransformersGenerator({
      ...opts,
      ...(onDownload ? { onDownload: (p) => void onDownload(p) } : {}),
    });
    return { id: generator.id, contextWindow: generator.contextWindow };
  },
  async loadTokenizer(repo, opts) {
    configureTransformers(opts);
    tokenizer = await AutoTokenizer.from_pretrained(repo);
  },
  countTokens: async (text) =>
    tokenizer ? tokenizer.encode(text, { add_special_tokens: false }).length : generator!.countTokens(text),
  async generate(messages, opts, onToken) {
    const t0 = performance.now();
    let first: number | undefined;
    const result = await generator!.generate(messages, {
      ...opts,
      onToken: (t) => {
        first ??= performance.now() - t0;
        if (onToken) void onToken(t);
      },
    });
    const tokens = (generator as { lastTokens?: number }).lastTokens;
    return {
      ...result,
      ms: performance.now() - t0,
      ...(tokens !== undefined ? { tokens } : {}),
      ...(first !== undefined ? { firstTokenMs: first } : {}),
    };
  },
  interrupt: () => generator?.interrupt(),
  async dispose() {
    await generator?.dispose();
    generator = undefined;
  },
};

Comlink.expose(api);
