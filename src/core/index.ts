// The core's one door: app/, client/, scripts/ and the test helpers import the core only from here
// (and #platform); `npm run lint` checks it (scripts/check-boundaries.ts). Unused exports cost the
// UI bundle nothing: package.json declares the core free of side effects, so the bundler drops them.

// The library and its worker protocol
export { openLibrary, Library } from './library';
export type { AddOptions, LibraryEvent, LibraryOptions } from './library';
export { LibraryHost } from './host';
export type { OpenedInfo, Remote, RemoteLibrary, WorkerOpenOptions } from './host';
export type { AddInput, AddOutcome, IndexProgress, IndexStage, ParsedInput } from './library/indexing';
export type { InterruptedFile } from './library/recovery';
export type {
  CollectionInfo,
  DeleteCollectionOptions,
  LibraryFileOptions,
  LibraryFileResult,
} from './library/collections';
export type { EmbeddingStatus } from './library/reembed';
export { memoryLocks } from './library/locks';
export type { LockManagerLike } from './library/locks';
export { FolioError } from './errors';
export type { FolioErrorCode, SerializedFolioError } from './errors';
export { formatBytes } from './format';

// Stages
export { parseBytes, readBytes, detectType, decodeText, DEFAULT_MAX_FILE_BYTES } from './ingest';
export { DocumentBuilder } from './ingest/builder';
export type { DocType, FileInput, ParsedDocument, SourceLocation, Block } from './types';
export { chunkDocument, chunkDocumentAsync, DEFAULT_CHUNK_OPTIONS, passageText } from './chunk/chunker';
export type { Chunk, ChunkOptions, TokenCounter } from './chunk/chunker';
export type { Embedder, EmbedDevice, DownloadProgress } from './embed/embedder';
export { EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL, getEmbeddingModel } from './embed/models';
export type { EmbeddingModelSpec, EmbeddingDtype } from './embed/models';
export { createTransformersEmbedder, detectDevice } from './embed/transformers';
export type { TransformersEmbedderOptions } from './embed/transformers';
export { DeferredEmbedder } from './embed/deferred';
export { chooseDevice } from './embed/device';
export type { AdapterLike, DeviceChoice, DeviceMemory, GpuLike } from './embed/device';
export type { DocumentRecord, ChunkRecord, CollectionRecord, CollectionSource, IntegrityReport } from './store/store';
export { SCHEMA_VERSION } from './store/store';

// The backup file's frames: the command line writes a library from parts indexed in separate runs.
export { BACKUP_MAGIC, encodeFrame, readFrames } from './store/backup';
export type { BackupHeader, DocumentBundle } from './store/backup';

// Search
export { DEFAULT_FUSION } from './search/ranking';
export type { FusionOptions, SearchHit, SearchMode, SearchOptions } from './search/ranking';
export { KeywordIndex, buildPostings, DEFAULT_BM25 } from './search/keywordIndex';
export type { Bm25Params } from './search/keywordIndex';
export { analyze } from './search/analyzer';
export { reciprocalRankFusion, scoreFusion } from './search/fusion';
export { selectContext } from './search/context';
export type { ContextPassage, ContextOptions } from './search/context';

// OCR (Node callers end the idle OCR worker so the process can exit)
export { closeOcr } from './ocr';

// Evaluation
export { ndcgAt, recallAt, mrrAt, hitAt, mean, percentile, uniqueBy } from './eval/metrics';
export type { Judgements } from './eval/metrics';
export { evaluate, parseEvalSet, serializeEvalSet, matches } from './eval/userEval';
export type { EvalQuestion, EvalSet, EvalReport, EvalQuestionResult, EvalFound } from './eval/userEval';

// Answers: engines and prompts (the answer pipeline and its contracts are below)
export type { EngineGroup, EngineKind, EngineOption, EngineState, Engines } from './generate/engine';
export {
  catalogueOptions,
  PROCESSOR_MODELS,
  transformersDevice,
  transformersDtype,
  transformersFiles,
} from './generate/catalogue';
export type { DeviceFacts } from './generate/catalogue';
export { diagnoseHubFailure, EngineError, untag } from './generate/engineErrors';
export { listStoredModels, removeStoredModel } from './generate/modelStore';
export type { StoredModel } from './generate/modelStore';
export { createPromptApiGenerator, languageModelFactory, promptApiAvailability } from './generate/promptApi';
export type { LanguageModelFactory } from './generate/promptApi';
export type { ChatMessage, GenerateOptions, GenerateResult, Generator } from './generate/generator';
export { highlightPassage } from './generate/passagesOnly';
export type { HighlightedPassage } from './generate/passagesOnly';
export { buildAnswerMessages, plainTranscript, rewriteMessages } from './generate/prompt';
export {
  corsAdvice,
  createLocalServerGenerator,
  DEFAULT_LOCAL_SERVER,
  listServerModels,
  LOCAL_SERVER_PRESETS,
  LocalServerError,
  LocalServerGenerator,
  normalizeBaseUrl,
} from './generate/localServer';
export type { LocalServerErrorCode, LocalServerOptions, ServerModel } from './generate/localServer';
export type { TransformersGeneratorOptions } from './generate/transformers';
export {
  chooseWebLLMModels,
  gpuCapabilities,
  hostedModelRecords,
  PREFERRED_WEBLLM_MODELS,
  repoOf,
  smallerModel,
  WebLLMGenerator,
} from './generate/webllm';
export type { GpuCapabilities, HostedWebLLMModel, WebLLMHosting, WebLLMLibs } from './generate/webllm';
export {
  contentHash,
  countDecisions,
  isHiddenOrSystem,
  planSync,
  scanFolder,
  syncLinkedFolder,
  validLinkedFolder,
} from './sync';
export type {
  FolderDirectory,
  FolderFile,
  FolderFileData,
  FolderLibrary,
  FolderScan,
  KnownFile,
  LinkedFile,
  LinkedFolder,
  ListedFile,
  PlanOptions,
  ScanOptions,
  SkippedFile,
  SyncDecision,
  SyncOptions,
  SyncPlan,
  SyncResult,
  SyncSummary,
} from './sync';

// The answer pipeline (issue 12)
export * from './answer';
