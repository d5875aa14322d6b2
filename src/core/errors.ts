/**
 * Every failure a user can cause with a file is a FolioError with a stable `code` (for the UI and
 * tests) and a `reason` written for people. The message names the file, so a log line or a toast
 * is understandable on its own.
 */
export type FolioErrorCode =
  | 'unsupported-type'
  | 'empty-file'
  | 'corrupt-file'
  | 'encrypted-pdf'
  /** A password-protected (or DRM-locked) office document or e-book. */
  | 'encrypted-file'
  /** An image whose header declares more pixels than may be decoded (a decompression bomb). */
  | 'image-too-large'
  /** The text-recognition engine could not be loaded or failed on the file. */
  | 'ocr-failed'
  | 'no-text-layer'
  | 'file-too-large'
  | 'not-text'
  | 'duplicate'
  | 'no-text'
  | 'not-found'
  | 'storage-full'
  | 'cancelled';

export class FolioError extends Error {
  readonly code: FolioErrorCode;
  readonly fileName: string | undefined;
  readonly reason: string;

  constructor(code: FolioErrorCode, reason: string, fileName?: string, options?: { cause?: unknown }) {
    super(fileName ? `${fileName}: ${reason}` : reason, options);
    this.name = 'FolioError';
    this.code = code;
    this.reason = reason;
    this.fileName = fileName;
  }

  /** Plain data, so the error survives postMessage / structured clone between worker and UI. */
  toJSON(): SerializedFolioError {
    return { code: this.code, reason: this.reason, fileName: this.fileName, message: this.message };
  }
}

export interface SerializedFolioError {
  code: FolioErrorCode;
  reason: string;
  fileName: string | undefined;
  message: string;
}

export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || (name === 'AbortError' && /quota/i.test(String((err as Error).message)));
}

/** Turns anything thrown while indexing one file into a FolioError that names it. */
export function asFolioError(err: unknown, fileName: string): FolioError {
  if (err instanceof FolioError) {
    return err.fileName ? err : new FolioError(err.code, err.reason, fileName, { cause: err });
  }
  if (isQuotaError(err)) {
    return new FolioError(
      'storage-full',
      'there is not enough storage space left in this browser to add it',
      fileName,
      { cause: err },
    );
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new FolioError('corrupt-file', `it could not be read (${detail})`, fileName, { cause: err });
}
