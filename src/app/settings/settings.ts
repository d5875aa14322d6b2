import { DEFAULT_CHUNK_OPTIONS, DEFAULT_EMBEDDING_MODEL, EMBEDDING_MODELS, SEARCH_DEFAULTS } from '../../core';
import { is, persisted, type Check } from '../persisted';

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
  passages: SEARCH_DEFAULTS.k.answer,
  hybrid: true,
};

export const checkSettings: Check<Settings> = is.fields<Settings>(
  {
    embeddingModel: is.oneOf(...EMBEDDING_MODELS.map((m) => m.id)),
    chunkTokens: is.integer(64, 480),
    passages: is.integer(1, 20),
    hybrid: is.boolean,
  },
  DEFAULT_SETTINGS,
);

export const settingsState = persisted('folio.settings', checkSettings, DEFAULT_SETTINGS);

export type Theme = 'system' | 'light' | 'dark';
export const themeState = persisted<Theme>('folio.theme', is.oneOf('system', 'light', 'dark'), 'system');
