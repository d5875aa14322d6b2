// The core's one door: app/, client/, scripts/ and the test helpers import the core only from here
// (and #platform); `npm run lint` checks it (scripts/check-boundaries.ts). Unused exports cost the
// UI bundle nothing: package.json declares the core free of side effects, so the bundler drops them.

// The library and its worker protocol
export { openLibrary, Library } from './library/library';
export type { AddOptions, LibraryEvent, LibraryOptions } from './library/library';
export { LibraryHost } from './host';
export type { HostAskOptions, HostGenerate, OpenedInfo, Remote, RemoteLibrary, WorkerOpenOptions } from './host';
export type { AddInput, AddOutcome, IndexProgress, IndexStage, ParsedInput } from './library/indexing';
export { setIndexPipelining } from './library/indexing';
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
export { linkedAbort } from './abort';
export type { LinkedAbort } from './abort';

// Stages
export { parseBytes, readBytes, detectType, decodeText, DEFAULT_MAX_FILE_BYTES } from './ingest';
export { DocumentBuilder, meaningfulTitle } from './ingest/builder';
export type { DocType, FileInput, ParsedDocument, SourceLocation, Block } from './types';
export { chunkDocument, chunkDocumentAsync, DEFAULT_CHUNK_OPTIONS, passageText } from './chunk/chunker';
export type { Chunk, ChunkOptions, TokenCounter } from './chunk/chunker';
export type { Embedder, EmbedDevice, DownloadProgress } from './embed/embedder';
export { EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL, getEmbeddingModel } from './embed/models';
export type { EmbeddingModelSpec, EmbeddingDtype } from './embed/models';
export { modelFolderProblem } from './embed/modelFolder';
export type { FolderReader } from './embed/modelFolder';
export { createTransformersEmbedder, detectDevice } from './embed/transformers';
export type { TransformersEmbedderOptions } from './embed/transformers';
export { DeferredEmbedder } from './embed/deferred';
export { chooseDevice } from './embed/device';
export type { AdapterLike, DeviceChoice, DeviceMemory, GpuLike } from './embed/device';
export type { DocumentRecord, ChunkRecord, CollectionRecord, CollectionSource, IntegrityReport } from './store/store';
export { SCHEMA_VERSION } from './store/store';
// The store and the vector index on their own, for the benchmarks that measure them (scripts/bench/).
export { LibraryStore } from './store/store';
export { evenSample, TopK, VectorIndex } from './search/vectorIndex';

// The backup file's frames: the command line writes a library from parts indexed in separate runs.
export { BACKUP_MAGIC, encodeFrame, readFrames } from './store/backup';
export type { BackupHeader, DocumentBundle } from './store/backup';

// Search
export { DEFAULT_FUSION } from './search/ranking';
export { SEARCH_DEFAULTS } from './search/defaults';
export type { FusionOptions, SearchHit, SearchMode, SearchOptions } from './search/ranking';
export { KeywordIndex, buildPostings, DEFAULT_BM25 } from './search/keywordIndex';
export type { Bm25Params } from './search/keywordIndex';
export { analyze } from './search/analyzer';
export { reciprocalRankFusion, scoreFusion } from './search/fusion';
export { selectContext } from './search/context';
export type { ContextPassage, ContextOptions } from './search/context';

// Tables kept as tables, and questions computed over them (issue 24)
export { answerFromTables, schemasOf } from './table/answer';
export type {
  DocumentTables,
  TableAnswer,
  TableCitation,
  TableProposeFn,
  TableQueryProposer,
  TableSchema,
} from './table/answer';
export { generatorTableProposer, namesATable, readProposal } from './table/propose';
export { runQuery, validateQuery, ROWS_SHOWN } from './table/run';
export { readQuestion, tableTitle } from './table/understand';
export { tablesFromGrid, typeColumn, parseNumber, parseDate } from './table/columns';
export type { TableData, TableColumn, TableQuery, TableFilter, TableResult } from './table/types';

// OCR (Node callers end the idle OCR worker so the process can exit)
export { closeOcr, defaultOcrWorkers, ocrWorkers, setOcrWorkers } from './ocr';

// Evaluation
export { ndcgAt, recallAt, mrrAt, hitAt, mean, percentile, uniqueBy } from './eval/metrics';
export { rougeTokens, rougeN, rougeL } from './eval/rouge';
export type { Judgements } from './eval/metrics';
export { evaluate, parseEvalSet, serializeEvalSet, matches } from './eval/userEval';
export type { EvalQuestion, EvalSet, EvalReport, EvalQuestionResult, EvalFound } from './eval/userEval';

// Answers: engines and prompts (the answer pipeline and its contracts are below)
export { PASSAGES_ONLY } from './generate/engine';
export type {
  AddedSource,
  EngineGroup,
  EngineInput,
  EngineKind,
  EngineOption,
  EngineState,
  Engines,
} from './generate/engine';
export {
  catalogueModels,
  catalogueOptions,
  PROCESSOR_MODELS,
  promptApiOptions,
  recommend,
  webllmOptions,
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
export type { ChatMessage, GenerateOptions, GenerateResult, Generator, RunStats } from './generate/generator';
// The answer models' worker hosts and their protocols (derived from the classes)
export { TransformersHost } from './generate/transformersHost';
export type { TransformersWorkerApi } from './generate/transformersHost';
export { WllamaHost } from './generate/wllamaHost';
export type { LoadedInfo, WllamaAssets, WllamaWorkerApi } from './generate/wllamaHost';
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
  localNetworkLine,
  localNetworkNote,
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

// Questions about the whole: summaries, lists, counts, comparisons (issue 21)
export * from './whole';
