/// <reference types="vite/client" />
import type { CollectionSource } from '../../core';

/** A library this site publishes: `?library=<url>` in the address, or the build's list (FOLIO_LIBRARIES). */
export interface Published {
  url: string;
  name: string;
}

/** URLs fixed at build time (README "Publishing a library"), as a JSON array. */
const BUILT_IN = import.meta.env.VITE_FOLIO_LIBRARIES as string | undefined;

export function publishedLibraries(location: Pick<Location, 'href' | 'search'>): Published[] {
  const urls = [...parseList(BUILT_IN), ...new URLSearchParams(location.search).getAll('library')];
  const out = new Map<string, Published>();
  for (const raw of urls) {
    let url: URL;
    try {
      url = new URL(raw, location.href);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    const file = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    out.set(url.href, { url: url.href, name: file.replace(/\.folio$/i, '') || url.host });
  }
  return [...out.values()];
}

function parseList(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Fetches a published library when it changed since `known` was stored: null when the server says
 * it has not (304). Same-origin requests carry the stored ETag / Last-Modified; a cross-origin one
 * lets the browser revalidate its own cache instead (custom headers would need the other server
 * to allow them in CORS), and the content hash then tells whether anything changed.
 */
export async function fetchPublished(
  url: string,
  known: CollectionSource | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<{ file: Blob; validators: { etag?: string; lastModified?: string } } | null> {
  const headers: Record<string, string> = {};
  // A stored copy without its hash was cut short while being stored: fetch it whole again.
  if (known?.sha256 && new URL(url).origin === window.location.origin) {
    if (known.etag) headers['If-None-Match'] = known.etag;
    if (known.lastModified) headers['If-Modified-Since'] = known.lastModified;
  }
  let res: Response;
  try {
    res = await fetch(url, { headers, cache: 'no-cache', credentials: 'same-origin' });
  } catch (err) {
    const sameOrigin = new URL(url).origin === window.location.origin;
    throw new Error(
      sameOrigin
        ? 'the site could not be reached (offline?)'
        : `${new URL(url).origin} could not be reached, or this site does not allow fetching from it (README, "Publishing a library")`,
      { cause: err },
    );
  }
  if (res.status === 304) return null;
  if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText}`.trim());
  if (res.headers.get('content-type')?.includes('text/html'))
    throw new Error('the server sent a web page, not a library file (is the address right?)');
  const total = Number(res.headers.get('content-length') ?? 0);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let done = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      parts.push(r.value);
      done += r.value.byteLength;
      onProgress(done, Math.max(total, done));
    }
  } else parts.push(new Uint8Array(await res.arrayBuffer()));
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  return {
    file: new Blob(parts),
    validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
  };
}
