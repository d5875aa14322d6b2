// Linked folders: scanning a directory handle and deciding what a sync must do. Framework-free;
// applying the decisions to a library (and remembering which path became which document) is the
// caller's job.
export { contentHash, isHiddenOrSystem, scanFolder } from './folder';
export type {
  FolderDirectory,
  FolderFile,
  FolderFileData,
  FolderScan,
  ListedFile,
  ScanOptions,
  SkippedFile,
} from './folder';
export { countDecisions, planSync } from './plan';
export type { KnownFile, PlanOptions, SyncDecision, SyncPlan } from './plan';
export { syncLinkedFolder, validLinkedFolder } from './linked';
export type { FolderLibrary, LinkedFile, LinkedFolder, SyncOptions, SyncResult, SyncSummary } from './linked';
