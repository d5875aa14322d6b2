/**
 * Checks a local model folder (FOLIO_MODELS: the Hugging Face hub's layout, `<org>/<model>/…`)
 * before anything loads from it. transformers.js, given a folder without the model, fails deep in
 * its tokenizer set-up ("Cannot read properties of undefined (reading 'tokenizer_class')"); the
 * build, the dev server, preview and the command line say instead what is missing and where they
 * looked. File access is passed in, so the check runs wherever a folder can be read.
 */

export interface FolderReader {
  /** True when `path` exists (file or folder). */
  exists(path: string): boolean;
  /** The names in folder `path` ([] when it cannot be read). */
  list(path: string): string[];
}

/** Files transformers.js reads for every model, before its weights. */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

const join = (...parts: string[]) => parts.join('/').replace(/\/+/g, '/');

/**
 * One sentence saying what the folder lacks for these models, or undefined when each has its
 * configuration, tokenizer and at least one ONNX weights file. `setting` names where the folder
 * came from, for the sentence (e.g. "FOLIO_MODELS").
 */
export function modelFolderProblem(
  folder: string,
  modelIds: readonly string[],
  reader: FolderReader,
  setting = 'FOLIO_MODELS',
): string | undefined {
  if (!reader.exists(folder))
    return `${setting} names the model folder ${folder}, which does not exist: point ${setting} at a folder holding the models in the Hugging Face hub's layout (<org>/<model>/…).`;
  for (const id of modelIds) {
    const dir = join(folder, id);
    if (!reader.exists(dir))
      return `The model folder ${folder} (${setting}) has no ${id}: looked for ${dir}. Copy the model there, or point ${setting} at a folder that has it.`;
    const missing = REQUIRED.filter((f) => !reader.exists(join(dir, f)));
    if (missing.length)
      return `The model ${id} in ${folder} (${setting}) is incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${dir}.`;
    if (!reader.list(join(dir, 'onnx')).some((f) => f.endsWith('.onnx')))
      return `The model ${id} in ${folder} (${setting}) has no ONNX weights: looked for .onnx files in ${join(dir, 'onnx')}.`;
  }
  return undefined;
}
