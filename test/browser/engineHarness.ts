/**
 * The answer engines as the browser tests and the benchmark drive them: the page's engines menu
 * data (openEngines) and the generators underneath, on the shared stories260K model.
 */
import { openTransformersGenerator, openWllamaGenerator, openWllamaWorker } from '../../src/client/generator';

export const STORIES_GGUF = '/models/karpathy/stories260K/stories260K-f32.gguf';

async function fetchFile(url: string, name = url.slice(url.lastIndexOf('/') + 1)): Promise<File> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new File([await res.arrayBuffer()], name);
}

export const engineHarness = { openTransformersGenerator, openWllamaGenerator, openWllamaWorker, fetchFile };
