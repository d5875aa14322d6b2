/**
 * Everything the pipeline needs to know about an embedding model. Facts come from each model's
 * card and sentence-transformers config (pooling module, max_seq_length, recommended prompts).
 */
export interface EmbeddingModelSpec {
  id: string;
  label: string;
  dimensions: number;
  pooling: 'mean' | 'cls';
  normalize: boolean;
  /** Prepended to search queries. */
  queryPrefix: string;
  /** Prepended to indexed passages. */
  passagePrefix: string;
  /** Longest input the model was trained on, in tokens (special tokens included). */
  maxTokens: number;
  /** Preferred weights per device; WASM runs int8 fastest, WebGPU wants floats. */
  dtype: { wasm: EmbeddingDtype; webgpu: EmbeddingDtype };
  /** Approximate download of the q8 weights, for the first-run screen. */
  downloadMB: number;
  languages: string;
}

export type EmbeddingDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';

export const EMBEDDING_MODELS: readonly EmbeddingModelSpec[] = [
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    label: 'MiniLM-L6 (fast, English)',
    dimensions: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
    maxTokens: 256,
    dtype: { wasm: 'q8', webgpu: 'fp32' },
    downloadMB: 23,
    languages: 'English',
  },
  {
    id: 'Xenova/bge-small-en-v1.5',
    label: 'BGE small v1.5 (English)',
    dimensions: 384,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    passagePrefix: '',
    maxTokens: 512,
    dtype: { wasm: 'q8', webgpu: 'fp32' },
    downloadMB: 34,
    languages: 'English',
  },
  {
    id: 'Snowflake/snowflake-arctic-embed-xs',
    label: 'Arctic Embed XS (English)',
    dimensions: 384,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    passagePrefix: '',
    maxTokens: 512,
    dtype: { wasm: 'q8', webgpu: 'fp32' },
    downloadMB: 23,
    languages: 'English',
  },
  {
    id: 'Xenova/multilingual-e5-small',
    label: 'Multilingual E5 small (~100 languages)',
    dimensions: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    maxTokens: 512,
    dtype: { wasm: 'q8', webgpu: 'fp32' },
    downloadMB: 118,
    languages: 'Multilingual',
  },
];

export const DEFAULT_EMBEDDING_MODEL = EMBEDDING_MODELS[0]!;

export function getEmbeddingModel(id: string): EmbeddingModelSpec {
  const spec = EMBEDDING_MODELS.find((m) => m.id === id);
  if (!spec) throw new Error(`Unknown embedding model "${id}". Known: ${EMBEDDING_MODELS.map((m) => m.id).join(', ')}`);
  return spec;
}
