import { EngineError, type EngineOption, type StoredModel, untag } from '../../core';
import type { EngineDriver } from './driver';
import { llamaCpp, openWllamaGenerator } from './llamaCpp';

/** "Use a model file you already have": a .gguf the person picked, kept on this device, run by llama.cpp. */
export const modelFileEngine: EngineDriver = {
  kind: 'gguf-file',
  options: async (page) => (await llamaCpp(page).stored()).filter((m) => m.source === 'file').map(fileOption),
  open: (option, page) => openWllamaGenerator(llamaCpp(page).worker(), option.id),
  async remove(option, page) {
    await llamaCpp(page).removed(option.id);
    return null;
  },
  async addFiles(files, page) {
    if (!files.length) throw new Error('No file was given.');
    const first = [...files].sort((a, b) => a.name.localeCompare(b.name))[0]!;
    if (!/\.gguf$/i.test(first.name) && !(await looksLikeGguf(first))) {
      throw new EngineError(
        'not-gguf',
        `"${first.name}" cannot be used: it is not a GGUF model file (Folio runs .gguf files from llama.cpp, Ollama or LM Studio).`,
      );
    }
    const id = `gguf-file:${first.name.replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '')}:${files.reduce((n, f) => n + f.size, 0)}`;
    const here = llamaCpp(page);
    let stored: StoredModel;
    try {
      stored = await here.worker().api.addFiles(id, files, page.device.deviceMemoryGiB);
    } catch (err) {
      throw untag(err) ?? err;
    }
    await here.kept(stored);
    return fileOption(stored);
  },
};

function fileOption(m: StoredModel): EngineOption {
  const ctx = m.contextLength ? `, ${m.contextLength.toLocaleString('en')}-token context` : '';
  return {
    id: m.id,
    kind: 'gguf-file',
    group: 'file',
    name: m.name,
    sizeBytes: m.bytes,
    note: `your file: ${m.architecture}, ${m.quantization}${ctx}${m.hasChatTemplate ? '' : ', no chat template (plain transcript)'}; runs on the processor`,
    state: { kind: 'ready' },
  };
}

/** Files not named .gguf are still accepted when their first bytes say GGUF. */
async function looksLikeGguf(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return String.fromCharCode(...head) === 'GGUF';
}
