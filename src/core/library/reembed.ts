import { passageText } from '../chunk/chunker';
import type { LibraryContext } from './context';

export interface EmbeddingStatus {
  /** The model this library's vectors are in. */
  libraryModel: string;
  /** The model of the embedder in use now. */
  currentModel: string;
  /** Documents whose vectors are in another model's space; they are not searched until re-embedded. */
  staleDocuments: string[];
}

export function embeddingStatus(ctx: LibraryContext): EmbeddingStatus {
  return { libraryModel: ctx.libraryModel, currentModel: ctx.embedder.model.id, staleDocuments: ctx.state.staleIds() };
}

/**
 * Moves every document into the current model's vector space, one document per transaction,
 * from the chunk text already stored (no re-parsing). Until a document is done it is not searched.
 */
export async function reembed(ctx: LibraryContext, onProgress?: (done: number, total: number) => void): Promise<void> {
  await ctx.embedder.whenReady?.();
  const stale = ctx.state.staleIds();
  const model = ctx.embedder.model;
  for (const [i, id] of stale.entries()) {
    const chunks = await ctx.store.getChunks(id);
    const vectors = await ctx.embedder.embed(
      chunks.map((c) => passageText(c.text, c.location.headings)),
      'passage',
    );
    await ctx.state.replaceVectors(id, vectors);
    onProgress?.(i + 1, stale.length);
  }
  ctx.libraryModel = model.id;
  await ctx.store.setMeta({
    key: 'library',
    embeddingModel: model.id,
    dimensions: model.dimensions,
    createdAt: Date.now(),
  });
  if (stale.length) ctx.announce();
}
