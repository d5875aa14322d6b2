/**
 * INTERIM answer engines (issue 11), written against the `Engines` contract so the app can be
 * built and tested now; the engines work (issue 16: catalogue with sizes, WebLLM libraries at build
 * time, Chrome's Prompt API, llama.cpp/wllama, GGUF files) replaces this file. What it offers:
 * passages only; the transformers.js answer model (Qwen2.5 0.5B Instruct); hub ids added under
 * "Advanced" (kept in localStorage); the WebLLM models this site hosts and this GPU can run.
 */
import type { Engines, EngineOption, EngineState } from '../core/generate/engine';
import type { Generator } from '../core/generate/generator';
import { PREFERRED_WEBLLM_MODELS } from '../core/generate/webllm';
import { openTransformersGenerator, openWebLLMGenerator, webLLMChoices } from './generator';
import { modelSource, servedBySite } from './modelSource';

const CUSTOM_KEY = 'folio.customEngines';
const TRANSFORMERS_CACHE = 'transformers-cache';

const PASSAGES: EngineOption = {
  id: 'passages',
  kind: 'passages',
  group: 'instant',
  name: 'Passages only',
  note: 'The best passages with their key sentences marked. Instant, nothing to download.',
  state: { kind: 'ready' },
};

const QWEN: EngineOption = {
  id: 'transformers:onnx-community/Qwen2.5-0.5B-Instruct',
  kind: 'transformers',
  group: 'processor',
  name: 'Qwen2.5 0.5B Instruct',
  // model_quantized.onnx (q8, what runs on the processor) 512 MB + tokenizer files, as listed on the hub.
  sizeBytes: 520 * 1e6,
  note: 'Writes short answers with citations on the processor; works in any browser, slowly.',
  state: { kind: 'not-downloaded' },
};

const hubId = (id: string) => id.replace(/^transformers:/, '');

/** A sentence a person understands, for what went wrong while fetching or starting a model. */
export function plainError(name: string, err: unknown): string {
  const message = String((err as Error)?.message ?? err);
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return `You're offline, so ${name} can't be downloaded now. Passages-only answers keep working.`;
  if (/memory|allocation|OOM|out of range/i.test(message)) return `There isn't enough memory on this device to run ${name}. Try a smaller model.`;
  if (/Unexpected token|JSON|tokenizer_class|Could not locate|404|not found|Failed to fetch|NetworkError|fetch/i.test(message))
    return `${name} could not be fetched: the model host is unreachable or doesn't have it${servedBySite ? ' (this site serves its models from its own folder)' : ''}. Passages-only answers keep working.`;
  return `${name} could not be started: ${message}`;
}

function loadCustom(): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(CUSTOM_KEY) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string' && /^[\w.-]+\/[\w.-]+$/.test(x)) : [];
  } catch {
    return [];
  }
}

function customOption(id: string): EngineOption {
  return { id: `transformers:${id}`, kind: 'transformers', group: 'processor', name: id, note: 'Added by you (transformers.js, on the processor).', state: { kind: 'not-downloaded' } };
}

/** Whether a transformers.js model's weights are in the browser's cache (what transformers.js stores). */
async function cachedModels(ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (typeof caches === 'undefined') return found;
  const keys = await (await caches.open(TRANSFORMERS_CACHE)).keys().catch(() => [] as readonly Request[]);
  for (const id of ids) if (keys.some((k) => k.url.includes(`/${id}/`) && /\.onnx(_data)?$/.test(k.url))) found.add(id);
  return found;
}

/** "Llama-3.2-1B-Instruct-q4f32_1-MLC-1k" → "Llama 3.2 1B Instruct (q4f32, 1k context)". */
function prettyWebLLM(id: string): string {
  const [, base = id, quant = '', variant] = id.match(/^(.*?)-(q\d[a-z0-9]*?)(?:_\d+)?-MLC(?:-(.+))?$/) ?? [];
  const details = [quant, variant ? (/^\d+k$/.test(variant) ? `${variant} context` : variant) : ''].filter(Boolean).join(', ');
  return `${base.replace(/-/g, ' ')}${details ? ` (${details})` : ''}`;
}

export function openEngines(): Engines {
  let options: EngineOption[] = [PASSAGES, QWEN, ...loadCustom().map(customOption)];
  const listeners = new Set<() => void>();
  const loads = new Map<string, AbortController>();
  const emit = () => listeners.forEach((l) => l());
  const setState = (id: string, state: EngineState) => {
    options = options.map((o) => (o.id === id ? { ...o, state } : o));
    emit();
  };
  const option = (id: string) => options.find((o) => o.id === id);

  const refreshCached = async () => {
    const transformers = options.filter((o) => o.kind === 'transformers');
    const cached = await cachedModels(transformers.map((o) => hubId(o.id)));
    let changed = false;
    options = options.map((o) => {
      if (o.kind !== 'transformers' || (o.state.kind !== 'not-downloaded' && o.state.kind !== 'ready')) return o;
      const kind = cached.has(hubId(o.id)) ? 'ready' : 'not-downloaded';
      if (o.state.kind === kind) return o;
      changed = true;
      return { ...o, state: { kind } };
    });
    if (changed) emit();
  };
  void refreshCached();

  // Graphics-card models: only where WebGPU has an adapter, and only those this site hosts the
  // model library of. Listing needs WebLLM's model list, in its 6 MB module: fetched when idle.
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const unavailableGpu = (reason: string): EngineOption[] =>
    PREFERRED_WEBLLM_MODELS.slice(0, 3).map((m) => ({ id: `webllm:${m}`, kind: 'webllm', group: 'gpu', name: m.replace(/-/g, ' '), note: 'A larger model on the graphics card (WebLLM).', state: { kind: 'unavailable', reason } }));
  const listGpu = async () => {
    const adapter = await gpu?.requestAdapter().catch(() => null);
    if (!adapter) {
      options = [...options, ...unavailableGpu('Needs a graphics card this browser can use (WebGPU), which it does not offer here.')];
      return emit();
    }
    const choices = await webLLMChoices().catch(() => []);
    if (!choices.length) {
      options = [...options, ...unavailableGpu("This copy of Folio doesn't include graphics-card model libraries (its deployer can add them with npm run webllm:libs).")];
      return emit();
    }
    options = [
      ...options,
      ...choices.slice(0, 8).map<EngineOption>((c, i) => ({
        id: `webllm:${c.id}`,
        kind: 'webllm',
        group: 'gpu',
        name: prettyWebLLM(c.id),
        note: `Fast, better answers; needs about ${(c.vramMB / 1000).toFixed(1)} GB of graphics memory.`,
        state: { kind: 'not-downloaded' },
        ...(i === 0 ? { recommended: true } : {}),
      })),
    ];
    emit();
  };
  // Without a usable graphics card the processor model is the one to pick (decided once known).
  const recommendProcessor = () => {
    options = options.map((o) => (o.id === QWEN.id ? { ...o, recommended: true } : o));
    emit();
  };
  if (gpu) setTimeout(() => void listGpu().then(() => !options.some((o) => o.recommended) && recommendProcessor()), 1500);
  else {
    options = [...options, ...unavailableGpu('Needs a graphics card this browser can use (WebGPU), which it does not offer here.')];
    recommendProcessor();
  }

  const engines: Engines = {
    list: () => options,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async load(id, signal) {
      const o = option(id);
      if (!o) throw new Error('This answer engine is not available any more.');
      if (o.kind === 'passages') return null;
      if (o.state.kind === 'unavailable') throw new Error(o.state.reason);
      loads.get(id)?.abort();
      const abort = new AbortController();
      loads.set(id, abort);
      signal?.addEventListener('abort', () => abort.abort(), { once: true });
      const cancelled = () => abort.signal.aborted;
      const started = performance.now();
      setState(id, o.state.kind === 'ready' ? { kind: 'loading' } : { kind: 'downloading', loaded: 0, total: o.sizeBytes ?? 0 });
      let generator: Generator;
      try {
        generator =
          o.kind === 'webllm'
            ? await openWebLLMGenerator(id.replace(/^webllm:/, ''), (p) => !cancelled() && setState(id, { kind: 'loading', progress: p.progress }), modelSource)
            : await openTransformersGenerator({ model: hubId(id), device: 'wasm', ...modelSource }, (p) => {
                if (cancelled()) return;
                const secs = (performance.now() - started) / 1000;
                const rate = p.loaded / secs;
                const secondsLeft = rate > 0 && p.total > p.loaded && secs > 1 ? (p.total - p.loaded) / rate : undefined;
                setState(id, p.loaded >= p.total && p.total ? { kind: 'loading' } : { kind: 'downloading', loaded: p.loaded, total: p.total, ...(secondsLeft !== undefined ? { secondsLeft } : {}) });
              });
      } catch (err) {
        loads.delete(id);
        if (cancelled()) throw new DOMException('Download cancelled', 'AbortError');
        const message = plainError(o.name, err);
        setState(id, { kind: 'error', message });
        throw Object.assign(new Error(message), { cause: err });
      }
      loads.delete(id);
      if (cancelled()) {
        // The worker could not be stopped mid-download here; what it fetched is dropped now.
        void generator.dispose();
        void refreshCached();
        setState(id, { kind: 'not-downloaded' });
        throw new DOMException('Download cancelled', 'AbortError');
      }
      setState(id, { kind: 'ready' });
      return generator;
    },
    cancel(id) {
      loads.get(id)?.abort();
      const o = option(id);
      if (o && (o.state.kind === 'downloading' || o.state.kind === 'loading')) setState(id, { kind: 'not-downloaded' });
    },
    async remove(id) {
      const o = option(id);
      if (!o || o.kind !== 'transformers' || typeof caches === 'undefined') return;
      const cache = await caches.open(TRANSFORMERS_CACHE);
      for (const k of await cache.keys()) if (k.url.includes(`/${hubId(id)}/`)) await cache.delete(k);
      setState(id, { kind: 'not-downloaded' });
    },
    async addModelFile(file) {
      const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
      const isGguf = String.fromCharCode(...head) === 'GGUF';
      if (!isGguf) throw new Error(`${file.name} is not a GGUF model file (.gguf).`);
      throw new Error(`${file.name} is a GGUF model, but this version of Folio can't run .gguf files yet.`);
    },
    addCustom(id) {
      const clean = id.trim().replace(/^https:\/\/huggingface\.co\//, '');
      if (!/^[\w.-]+\/[\w.-]+$/.test(clean)) throw new Error(`“${id}” isn't a model id. It looks like owner/name, for example onnx-community/Qwen2.5-0.5B-Instruct.`);
      const existing = option(`transformers:${clean}`);
      if (existing) return existing;
      const added = customOption(clean);
      options = [...options, added];
      try {
        localStorage.setItem(CUSTOM_KEY, JSON.stringify([...loadCustom(), clean]));
      } catch {
        // kept for this page only
      }
      emit();
      void refreshCached();
      return added;
    },
  };
  return engines;
}
