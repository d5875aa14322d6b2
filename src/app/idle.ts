/** Runs `f` when the page is idle (after `fallbackMs` where requestIdleCallback is missing, as in Safari). */
export function whenIdle(f: () => void, fallbackMs = 200): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => f(), { timeout: 5000 });
  else setTimeout(f, fallbackMs);
}
