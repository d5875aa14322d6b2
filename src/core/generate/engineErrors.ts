/**
 * What went wrong with an answer engine, as a sentence a person understands. Libraries report
 * failures in their own terms ("Failed to fetch", "Cannot read properties of undefined (reading
 * 'tokenizer_class')" when transformers.js could not fetch a tokenizer, a wasm abort); these turn
 * them into: offline, model host unreachable, not found there, not a model, not enough memory,
 * storage full.
 */

export type EngineErrorCode =
  | 'offline'
  | 'host-unreachable'
  | 'not-found'
  | 'not-a-model'
  | 'not-gguf'
  | 'truncated'
  | 'unknown-architecture'
  | 'too-large'
  | 'out-of-memory'
  | 'download-interrupted'
  | 'storage-full'
  | 'unavailable'
  | 'cancelled'
  | 'failed';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** Code carried in the message across postMessage (Comlink keeps only name and message). */
const TAG = /^\[folio:([a-z-]+)\] /;

export function tagged(err: EngineError): Error {
  return new Error(`[folio:${err.code}] ${err.message}`);
}

export function untag(err: unknown): EngineError | undefined {
  if (err instanceof EngineError) return err;
  const m = String((err as Error | null)?.message ?? '').match(TAG);
  return m
    ? new EngineError(m[1] as EngineErrorCode, String((err as Error).message).replace(TAG, ''), { cause: err })
    : undefined;
}

const online = () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false);

/** A fetch that failed before any HTTP answer. */
export function networkError(host: string, cause?: unknown): EngineError {
  return online()
    ? new EngineError(
        'host-unreachable',
        `The model host (${host}) could not be reached. Check the connection, or try again later; passages-only answers keep working.`,
        { cause },
      )
    : new EngineError(
        'offline',
        'You are offline, and this model has not been downloaded yet. Connect to the internet to download it; passages-only answers keep working.',
        { cause },
      );
}

/**
 * `typed`: the person named the model (a hub id under "Advanced"), so a 404 may be a typo. A model
 * Folio itself offered that the host lacks is this deployment's gap, not the person's.
 */
export function httpError(status: number, what: string, cause?: unknown, typed = true): EngineError {
  if (status === 404 || status === 401)
    return new EngineError(
      'not-found',
      typed
        ? `The model host has no ${what} (HTTP ${status}). Check the model name.`
        : `This site does not serve ${what} (its model host answered HTTP ${status}). Choose another model; passages-only answers keep working.`,
      { cause },
    );
  return new EngineError(
    'host-unreachable',
    `The model host answered with an error (HTTP ${status}) for ${what}. Try again later.`,
    { cause },
  );
}

export function isOutOfMemory(err: unknown): boolean {
  const text = `${(err as Error | null)?.name ?? ''} ${(err as Error | null)?.message ?? err}`;
  return /out of memory|Out of memory|OOM|Cannot allocate|allocation failed|RangeError: (Array buffer allocation|WebAssembly\.Memory)|could not allocate|failed to allocate/i.test(
    text,
  );
}

export function outOfMemory(cause?: unknown): EngineError {
  return new EngineError(
    'out-of-memory',
    'There is not enough memory on this device to run this model. Close other tabs or choose a smaller model.',
    { cause },
  );
}

export function isQuota(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'QuotaExceededError';
}

export function storageFull(cause?: unknown): EngineError {
  return new EngineError(
    'storage-full',
    'There is not enough storage space left in this browser to keep this model. Remove a model you no longer use, or free disk space.',
    { cause },
  );
}

/**
 * After transformers.js failed to load `model`: asks the host for its config.json to tell offline,
 * unreachable, missing and not-a-model apart (the library's own error often says none of that).
 */
export async function diagnoseHubFailure(
  model: string,
  configUrl: string,
  err: unknown,
  typed = true,
): Promise<EngineError> {
  const known = untag(err);
  if (known) return known;
  if (isOutOfMemory(err)) return outOfMemory(err);
  if (isQuota(err)) return storageFull(err);
  const host = new URL(configUrl, typeof location === 'undefined' ? 'http://localhost/' : location.href).host;
  let res: Response;
  try {
    res = await fetch(configUrl, { cache: 'no-store' });
  } catch (cause) {
    return networkError(host, cause);
  }
  if (!res.ok) return httpError(res.status, typed ? `model called "${model}"` : model, err, typed);
  const type = res.headers.get('content-type') ?? '';
  const body = await res.text().catch(() => '');
  let config: unknown;
  try {
    config = JSON.parse(body);
  } catch {
    config = undefined;
  }
  if (!type.includes('json') || !config || typeof config !== 'object' || !('model_type' in config)) {
    return new EngineError(
      'not-a-model',
      `"${model}" is not a model Folio can use: the host did not return its configuration file.`,
      { cause: err },
    );
  }
  const detail = (err as Error | null)?.message ?? String(err);
  const readable = /Cannot read properties|undefined|null/.test(detail)
    ? 'some of its files are missing or unreadable'
    : detail;
  return new EngineError('failed', `The model "${model}" could not be loaded: ${readable}.`, { cause: err });
}
