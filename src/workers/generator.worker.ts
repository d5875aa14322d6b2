/**
 * Hosts an answer model off the UI thread (transformers.js backend). Only core code runs here;
 * WebLLM brings its own worker (webllm.worker.ts).
 */
import * as Comlink from 'comlink';
import type { GeneratorWorkerApi } from '../client/generator';
import type { Generator } from '../core/generate/generator';
import { createTransformersGenerator } from '../core/generate/transformers';

let generator: Generator | undefined;

function sameOriginPath(folder: string): string {
  const url = new URL(folder, self.location.origin + '/');
  return url.origin === self.location.origin ? url.pathname : url.href;
}

const api: GeneratorWorkerApi = {
  async load(opts, onDownload) {
    await generator?.dispose();
    generator = await createTransformersGenerator({
      ...opts,
      ...(opts.localModelPath ? { localModelPath: sameOriginPath(opts.localModelPath) } : {}),
      ...(onDownload ? { onDownload: (p) => void onDownload(p) } : {}),
    });
    return { id: generator.id, contextWindow: generator.contextWindow };
  },
  countTokens: (text) => generator!.countTokens(text),
  generate: (messages, opts, onToken) => generator!.generate(messages, { ...opts, ...(onToken ? { onToken: (t) => void onToken(t) } : {}) }),
  interrupt: () => generator?.interrupt(),
  async dispose() {
    await generator?.dispose();
    generator = undefined;
  },
};

Comlink.expose(api);
