/** Runs `f` when the page is idle (after `fallbackMs` where requestIdleCallback is missing, as in Safari). */
export function whenIdle(f: () => void, fallbackMs = 200): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => f(), { timeout: 5000 });
  else setTimeout(f, fallbackMs);
}

/**
 * Fetches a chunk the page will soon want, once it is idle. A failed fetch (the connection dropped,
 * the page left mid-fetch) is nobody's error yet: the real use imports it again and reports its own.
 */
export function prefetchWhenIdle(load: () => Promise<unknown>, fallbackMs?: number): void {
  whenIdle(() => void load().catch(() => {}), fallbackMs);
}

/**
 * `import()` once, shared by every caller; a failed one is forgotten, so the next call imports again —
 * which fetches again where the browser does not keep a failed module in its map (whatwg/html#10327;
 * where it does, the next call fails as fast, and reloading is the way out, as the messages say).
 */
export function importOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
}
