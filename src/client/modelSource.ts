/// <reference types="vite/client" />
import type { WebLLMHosting } from '../core';

/**
 * Where this build gets its models, fixed at build time (README "Models"): a folder the site
 * serves (FOLIO_MODELS → "/models/", hub turned off), a mirror of the hub (FOLIO_MODEL_HOST), or
 * by default the Hugging Face hub.
 */
const LOCAL = import.meta.env.VITE_FOLIO_LOCAL_MODELS as string;
const HOST = import.meta.env.VITE_FOLIO_MODEL_HOST as string;

export const modelSource: { localModelPath?: string; remoteHost?: string } = LOCAL ? { localModelPath: LOCAL } : HOST ? { remoteHost: HOST } : {};
export const servedBySite = !!LOCAL;

/** WebLLM's model libraries (WebAssembly code) are only ever loaded from this folder of the site. */
export const WEBLLM_FOLDER = '/webllm/';

let hosted: Promise<string[]> | undefined;

/**
 * The libraries this site hosts (listed in /webllm/libs.json by `npm run webllm:libs`), or none:
 * fetched once per page, and again only after a fetch that failed (offline).
 */
function hostedLibs(): Promise<string[]> {
  hosted ??= (async () => {
    try {
      const res = await fetch(`${WEBLLM_FOLDER}libs.json`);
      // A static host may answer a missing file with the app's index.html: that is "none" too.
      if (res.ok && res.headers.get('content-type')?.includes('json')) return ((await res.json()) as { libs?: string[] }).libs ?? [];
      return [];
    } catch {
      hosted = undefined; // offline: ask again next time
      return []; // offline or not hosted: no WebLLM models
    }
  })();
  return hosted;
}

/** Where WebLLM's libraries and weights come from, for `selfHostedModelList`. */
export async function webLLMHosting(): Promise<WebLLMHosting> {
  const origin = self.location.origin;
  const libs = await hostedLibs();
  const weightsHost = LOCAL ? new URL(LOCAL, origin + '/').href : HOST || undefined;
  return { libFolder: new URL(WEBLLM_FOLDER, origin + '/').href, libs, ...(weightsHost ? { weightsHost: weightsHost.endsWith('/') ? weightsHost : `${weightsHost}/` } : {}) };
}
