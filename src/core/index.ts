// The core's public surface: everything the app, the CLI and the tests import comes from here.
export { openLibrary, Library, embeddingText } from './library';
export type { AddOutcome, EmbeddingStatus, IndexProgress, IndexStage, LibraryOptions, SearchHit, SearchOptions } from './library';
export { FolioError } from './errors';
export type { FolioErrorCode, SerializedFolioError } from './errors';
export { parseBytes, readBytes, detectType, decodeText, DEFAULT_MAX_FILE_BYTES, formatBytes } from './ingest';
export { chunkDocument, DEFAULT_CHUNK_OPTIONS } from './chunk/chunker';
export type { Chunk, ChunkOptions, TokenCounter } from './chunk/chunker';
export type { Embedder, EmbedDevice, DownloadProgress } from './embed/embedder';
export { EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL, getEmbeddingModel } from './embed/models';
export type { EmbeddingModelSpec, EmbeddingDtype } from './embed/models';
export { createTransformersEmbedder, detectDevice } from './embed/transformers';
export type { TransformersEmbedderOptions } from './embed/transformers';
export type { DocumentRecord, ChunkRecord, IntegrityReport } from './store/store';
export { SCHEMA_VERSION } from './store/store';
export type { DocType, FileInput, ParsedDocument, SourceLocation, Block } from './types';
