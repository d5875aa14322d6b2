import type { ChunkOptions } from '../chunk/chunker';
import type { Embedder } from '../embed/embedder';
import type { LibraryStore } from '../store/store';
import type { Recovery } from './recovery';
import type { LibraryState } from './state';

/**
 * Everything one open library is made of, handed to each of its jobs (indexing, recovery,
 * retrieval, backup, re-embedding). The facade in `library.ts` owns it; the jobs are
 * functions over it.
 */
export interface LibraryParts {
  store: LibraryStore;
  state: LibraryState;
  embedder: Embedder;
  recovery: Recovery;
  settings: {
    chunking: ChunkOptions;
    maxFileBytes: number | undefined;
  };
  /** The model this library's vectors are in (changes when re-embedding finishes). */
  libraryModel: string;
  /** Tells the other tabs on this library that it changed (no-op when not shared). */
  announce(): void;
  /** Called when a search has been answered (the first one lets loading go on, see library.ts). */
  searched(): void;
  /** Called when a search starts: background work (fill.ts) gives way to it for a moment. */
  asked(): void;
}
