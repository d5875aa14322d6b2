/**
 * The UI thread's handle on an answer model. Each backend runs in a worker; this gives them one
 * `Generator` shape.
 */
import * as Comlink from 'comlink';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from '../core/generate/generator';
import type { TransformersGeneratorOptions } from '../core/generate/transformers';

export interface GeneratorWorkerApi {
  load(opts: Omit<TransformersGeneratorOptions, 'onDownload'>, onDownload?: (p: { file: string; loaded: number; total: number }) => void): Promise<{ id: string; contextWindow: number }>;
  countTokens(text: string): Promise<number>;
  generate(messages: ChatMessage[], opts: { maxNewTokens?: number; temperature?: number }, onToken?: (t: string) => void): Promise<GenerateResult>;
  interrupt(): void;
  dispose(): Promise<void>;
}

export async function openTransformersGenerator(
  opts: Omit<TransformersGeneratorOptions, 'onDownload'>,
  onDownload?: (p: { file: string; loaded: number; total: number }) => void,
): Promise<Generator> {
  const worker = new Worker(new URL('../workers/generator.worker.ts', import.meta.url), { type: 'module', name: 'folio-generator' });
  const remote = Comlink.wrap<GeneratorWorkerApi>(worker);
  let info: { id: string; contextWindow: number };
  try {
    info = await remote.load(opts, onDownload ? Comlink.proxy(onDownload) : undefined);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  return {
    id: info.id,
    contextWindow: info.contextWindow,
    countTokens: (text) => remote.countTokens(text),
    async generate(messages: ChatMessage[], o: GenerateOptions = {}) {
      const onAbort = () => void remote.interrupt();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await remote.generate(
          messages,
          { ...(o.maxNewTokens ? { maxNewTokens: o.maxNewTokens } : {}), ...(o.temperature !== undefined ? { temperature: o.temperature } : {}) },
          o.onToken ? Comlink.proxy(o.onToken) : undefined,
        );
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
      }
    },
    interrupt: () => void remote.interrupt(),
    async dispose() {
      await remote.dispose().catch(() => {});
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
