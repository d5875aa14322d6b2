// The core's public surface: everything the app, the CLI and the tests import comes from here.
export { openLibrary, Library, DEFAULT_FUSION } from './library';
export type { AddOptions, AddOutcome, EmbeddingStatus, FusionOptions, IndexProgress, IndexStage, LibraryOptions, ParsedInput, SearchHit, SearchMode, SearchOptions } from './library';
export { FolioError } from './errors';
export type { FolioErrorCode, SerializedFolioError } from './errors';
export { parseBytes, readBytes, detectType, decodeText, DEFAULT_MAX_FILE_BYTES, formatBytes } from './ingest';
export { chunkDocument, chunkDocumentAsync, DEFAULT_CHUNK_OPTIONS, passageText } from './chunk/chunker';
export type { Chunk, ChunkOptions, TokenCounter } from './chunk/chunker';
export type { Embedder, EmbedDevice, DownloadProgress } from './embed/embedder';
export { EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL, getEmbeddingModel } from './embed/models';
export type { EmbeddingModelSpec, EmbeddingDtype } from './embed/models';
export { createTransformersEmbedder, detectDevice } from './embed/transformers';
export { DeferredEmbedder } from './embed/deferred';
export type { TransformersEmbedderOptions } from './embed/transformers';
export type { DocumentRecord, ChunkRecord, IntegrityReport } from './store/store';
export { SCHEMA_VERSION } from './store/store';
export type { DocType, FileInput, ParsedDocument, SourceLocation, Block } from './types';
export { DocumentBuilder } from './ingest/builder';
export { KeywordIndex, buildPostings, DEFAULT_BM25 } from './search/keywordIndex';
export type { Bm25Params } from './search/keywordIndex';
export { analyze } from './search/analyzer';
export { reciprocalRankFusion, scoreFusion } from './search/fusion';
export { ndcgAt, recallAt, mrrAt, hitAt, mean, percentile, uniqueBy } from './eval/metrics';
export type { Judgements } from './eval/metrics';
export { selectContext } from './search/context';
export type { ContextPassage, ContextOptions } from './search/context';
export { evaluate, parseEvalSet, serializeEvalSet, matches } from './eval/userEval';
export type { EvalQuestion, EvalSet, EvalReport, EvalQuestionResult, EvalFound } from './eval/userEval';
// What the app (src/app) needs beyond the library: the answer and engine contracts, answer
// helpers used until the answer pipeline lands, and the passages-only highlighter.
export type { AnswerEvent, AnswerRecord, CheckedSentence, Support } from './answer/types';
export type { Engines, EngineOption, EngineState, EngineKind, EngineGroup } from './generate/engine';
export type { ChatMessage, Generator, GenerateOptions, GenerateResult } from './generate/generator';
export { highlightPassage } from './generate/passagesOnly';
export type { HighlightedPassage } from './generate/passagesOnly';
export { buildAnswerMessages, rewriteMessages } from './generate/prompt';
