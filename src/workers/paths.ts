/**
 * transformers.js (4.3) only looks in `localModelPath` when it is not a full URL (its metadata
 * check skips http(s) paths), so a same-origin folder is passed as an absolute path: "/models/".
 */
export function sameOriginPath(folder: string): string {
  const url = new URL(folder, self.location.origin + '/');
  return url.origin === self.location.origin ? url.pathname : url.href;
}
