/// <reference types="vite/client" />
import type { WebLLMHosting, WebLLMLibs } from '../core';

/**
 * Where this build gets its models, fixed at build time (README "Models"): a folder the site
 * serves (FOLIO_MODELS → "/models/", hub turned off), a mirror of the hub (FOLIO_MODEL_HOST), or
 * by default the Hugging Face hub.
 */
const LOCAL = import.meta.env.VITE_FOLIO_LOCAL_MODELS as string;
const HOST = import.meta.env.VITE_FOLIO_MODEL_HOST as string;

export const modelSource: { localModelPath?: string; remoteHost?: string } = LOCAL
  ? { localModelPath: LOCAL }
  : HOST
    ? { remoteHost: HOST }
    : {};
export const servedBySite = !!LOCAL;

/** WebLLM's model libraries (WebAssembly code) are only ever loaded from this folder of the site. */
export const WEBLLM_FOLDER = '/webllm/';

let hosted: Promise<WebLLMLibs> | undefined;

/**
 * The WebLLM models this site hosts (/webllm/libs.json, written by the build), or none and why:
 * fetched once per page, and again only after a fetch that failed (offline).
 */
function hostedLibs(): Promise<WebLLMLibs> {
  hosted ??= (async () => {
    try {
      const res = await fetch(`${WEBLLM_FOLDER}libs.json`);
      // A static host may answer a missing file with the app's index.html: that is "none" too.
      if (res.ok && res.headers.get('content-type')?.includes('json')) {
        const libs = (await res.json()) as Partial<WebLLMLibs>;
        if (Array.isArray(libs.models))
          return { webllm: libs.webllm ?? '', models: libs.models, ...(libs.missing ? { missing: libs.missing } : {}) };
      }
      return { webllm: '', models: [], missing: 'this copy of Folio was deployed without its WebLLM model libraries' };
    } catch {
      hosted = undefined; // offline: ask again next time
      return { webllm: '', models: [], missing: 'the list of WebLLM models could not be read (offline?)' };
    }
  })();
  return hosted;
}

/** Where WebLLM's libraries and weights come from, for `hostedModelRecords`. */
export async function webLLMHosting(): Promise<WebLLMHosting> {
  const origin = self.location.origin;
  const libs = await hostedLibs();
  const weightsHost = LOCAL ? new URL(LOCAL, `${origin}/`).href : HOST || undefined;
  return {
    libFolder: new URL(WEBLLM_FOLDER, `${origin}/`).href,
    libs,
    ...(weightsHost ? { weightsHost: weightsHost.endsWith('/') ? weightsHost : `${weightsHost}/` } : {}),
  };
}

/** A file of a hub repository, from this build's model source. */
export function modelFileUrl(repo: string, file: string): string {
  if (LOCAL) return `${LOCAL}${repo}/${file}`;
  const host = HOST ? (HOST.endsWith('/') ? HOST : `${HOST}/`) : 'https://huggingface.co/';
  return `${host}${repo}/resolve/main/${file}`;
}
