import fs from 'node:fs';
import path from 'node:path';
import {
  createTransformersEmbedder,
  DEFAULT_EMBEDDING_MODEL,
  type Embedder,
  type FolderReader,
  getEmbeddingModel,
  modelFolderProblem,
} from '../core';

/** The local file system, for `modelFolderProblem`. */
export const diskReader: FolderReader = {
  exists: (p) => fs.existsSync(p),
  list: (p) => {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
};

/** The model host when no local folder is given: the same default as the app's. */
export const HUB = 'https://huggingface.co/';

/** Where models come from, for messages. */
export function modelSource(): string {
  return process.env.FOLIO_MODELS
    ? `the folder ${path.resolve(process.env.FOLIO_MODELS)} (FOLIO_MODELS)`
    : `${HUB} (kept in transformers.js's cache after the first download)`;
}

/**
 * The embedding model on native ONNX Runtime (onnxruntime-node, every core). FOLIO_MODELS names a
 * folder in the hub's layout (<org>/<model>/...): then the hub is never contacted. Otherwise the
 * files come from the Hugging Face hub once, as in the app, and from transformers.js's cache after.
 */
export async function loadEmbedder(modelId: string = DEFAULT_EMBEDDING_MODEL.id): Promise<Embedder> {
  const spec = getEmbeddingModel(modelId);
  const local = process.env.FOLIO_MODELS;
  // Checked first: transformers.js, given a folder without the model, fails with a TypeError from
  // deep inside its tokenizer set-up (and leaves a second rejection behind it).
  const problem = local ? modelFolderProblem(path.resolve(local), [spec.id], diskReader) : undefined;
  if (problem) throw new Error(problem);
  try {
    return await createTransformersEmbedder({
      model: spec,
      device: 'cpu',
      ...(local ? { localModelPath: path.resolve(local) } : { remoteHost: HUB }),
    });
  } catch (err) {
    throw new Error(
      `could not load the embedding model ${spec.id} from ${modelSource()}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
