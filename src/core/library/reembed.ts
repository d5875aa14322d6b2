import { passageText } from '../chunk/chunker';
import type { LibraryParts } from './parts';

export interface EmbeddingStatus {
  /** The model this library's vectors are in. */
  libraryModel: string;
  /** The model of the embedder in use now. */
  currentModel: string;
  /** Documents whose vectors are in another model's space; they are not searched until re-embedded. */
  staleDocuments: string[];
}

export function embeddingStatus(parts: LibraryParts): EmbeddingStatus {
  return {
    libraryModel: parts.libraryModel,
    currentModel: parts.embedder.model.id,
    staleDocuments: parts.state.staleIds(),
  };
}

/**
 * Moves every document into the current model's vector space, one document per transaction,
 * from the chunk text already stored (no re-parsing). Until a document is done it is not searched.
 */
export async function reembed(parts: LibraryParts, onProgress?: (done: number, total: number) => void): Promise<void> {
  await parts.embedder.whenReady?.();
  const stale = parts.state.staleIds();
  const model = parts.embedder.model;
  for (const [i, id] of stale.entries()) {
    const chunks = await parts.store.getChunks(id);
    const vectors = await parts.embedder.embed(
      chunks.map((c) => passageText(c.text, c.location.headings)),
      'passage',
    );
    await parts.state.replaceVectors(id, vectors);
    onProgress?.(i + 1, stale.length);
  }
  parts.libraryModel = model.id;
  await parts.store.setMeta({
    key: 'library',
    embeddingModel: model.id,
    dimensions: model.dimensions,
    createdAt: Date.now(),
  });
  if (stale.length) parts.announce();
}
