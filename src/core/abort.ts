/**
 * Work that stops when its caller's signal aborts or when it is interrupted from inside, written
 * once for every engine: each generator, and the client's engine loads, link to the signal they are
 * given this way.
 */
export interface LinkedAbort {
  /** Aborts when the outer signal does, or when `abort()` is called. */
  readonly signal: AbortSignal;
  abort(): void;
  /**
   * Stops following the outer signal; call it when the work is over. A listener left on a
   * long-lived signal (one per conversation) would keep every finished answer's objects alive.
   */
  release(): void;
}

/**
 * Links new work to `outer`: the returned signal aborts with it, and `onAbort` runs once when
 * either aborts. An outer signal that has already aborted aborts the work at once (a listener
 * added to it would never fire).
 */
export function linkedAbort(outer: AbortSignal | undefined, onAbort?: () => void): LinkedAbort {
  const controller = new AbortController();
  if (onAbort) controller.signal.addEventListener('abort', onAbort, { once: true });
  const follow = () => controller.abort();
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort: follow,
    release: () => outer?.removeEventListener('abort', follow),
  };
}
