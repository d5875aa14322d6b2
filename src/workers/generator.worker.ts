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
  countTokens: async (text) => (tokenizer ? tokenizer.encode(text, { add_special_tokens: false }).length : generator!.countTokens(text)),
  generate: (messages, opts, onToken) => generator!.generate(messages, { ...opts, ...(onToken ? { onToken: (t) => void onToken(t) } : {}) }),
  interrupt: () => generator?.interrupt(),
  async dispose() {
    await generator?.dispose();
    generator = undefined;
  },
};

Comlink.expose(api);
