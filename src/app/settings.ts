import { DEFAULT_CHUNK_OPTIONS, DEFAULT_EMBEDDING_MODEL } from '../core';

export interface Settings {
  embeddingModel: string;
  /** Largest passage, in the embedding model's tokens (applies to documents added afterwards). */
  chunkTokens: number;
  /** Passages retrieved per question. */
  passages: number;
  /** Fuse keyword (BM25) and vector rankings; off means vectors only. */
  hybrid: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  embeddingModel: DEFAULT_EMBEDDING_MODEL.id,
  chunkTokens: DEFAULT_CHUNK_OPTIONS.maxTokens,
  passages: 6,
  hybrid: true,
};

const KEY = 'folio.settings';

export function loadSettings(): Settings {
  try {
    return { ...DEFAULT_SETTINGS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>) };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(s: Settings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}
