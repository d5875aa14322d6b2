import { createPromptApiGenerator, EngineError, promptApiOptions } from '../../core';
import type { EngineDriver } from './driver';

/** Chrome's built-in model (Gemini Nano, the Prompt API): Chrome downloads and keeps it for every site, and removes it. */
export const promptApiEngine: EngineDriver = {
  kind: 'prompt-api',
  options: async (page) => promptApiOptions(page.device),
  async open(_option, page, signal, progress) {
    if (!page.languageModel) throw new EngineError('unavailable', 'This browser has no built-in model.');
    return createPromptApiGenerator(page.languageModel, { signal, onProgress: (f) => progress.fraction(f) });
  },
};
