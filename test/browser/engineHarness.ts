/**
 * The answer engines as the browser tests and the benchmark drive them: the page's engines menu
 * data (openEngines) and the generators underneath, on the shared stories260K model.
 */
import { ENGINE_KINDS } from '../../src/client/engines/kinds';
import { openEngines } from '../../src/client/engines/pageEngines';
import { openWllamaGenerator, openWllamaWorker } from '../../src/client/engines/llamaCpp';
import { openTransformersGenerator } from '../../src/client/engines/transformers';
import type { Engines } from '../../src/core/generate/engine';
import type { Generator } from '../../src/core/generate/generator';

export const STORIES_GGUF = '/models/karpathy/stories260K/stories260K-f32.gguf';
export const WLLAMA_STORIES = 'wllama:karpathy/stories260K/stories260K-f32.gguf';
export const TRANSFORMERS_STORIES = 'transformers:karpathy/stories260K';

async function fetchFile(url: string, name = url.slice(url.lastIndexOf('/') + 1)): Promise<File> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new File([await res.arrayBuffer()], name);
}

/** openEngines, resolved once the device probe and the download check are done. */
async function engines(opts?: Parameters<typeof openEngines>[0]): Promise<Engines> {
  const e = openEngines(opts);
  await (e as unknown as { ready: Promise<void> }).ready;
  return e;
}

/** A streamed greedy answer: its pieces, text, finish reason and the generator's run figures. */
async function answer(gen: Generator, prompt: string, maxNewTokens: number, stopAfter?: number) {
  const pieces: string[] = [];
  const controller = new AbortController();
  const result = await gen.generate([{ role: 'user', content: prompt }], {
    maxNewTokens,
    signal: controller.signal,
    onToken: (t) => {
      pieces.push(t);
      if (stopAfter !== undefined && pieces.length >= stopAfter) controller.abort();
    },
  });
  return {
    ...result,
    pieces,
    lastRun: (gen as { lastRun?: { tokens: number; ms: number; firstTokenMs?: number } }).lastRun,
  };
}

/** Names of the entries in the OPFS model store (to check that nothing half-kept stays). */
async function storedFiles(): Promise<string[]> {
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('folio-models', { create: true });
  const names: string[] = [];
  for await (const [name] of dir as unknown as AsyncIterable<[string, unknown]>) names.push(name);
  return names.sort();
}

export const engineHarness = {
  openEngines: engines,
  ENGINE_KINDS,
  openTransformersGenerator,
  openWllamaGenerator,
  openWllamaWorker,
  fetchFile,
  answer,
  storedFiles,
  STORIES_GGUF,
  WLLAMA_STORIES,
  TRANSFORMERS_STORIES,
};
