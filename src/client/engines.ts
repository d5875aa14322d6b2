/**
 * The page's answer engines (the `Engines` contract in core/generate/engine.ts): the catalogue for
 * this device, each option's state (what is already downloaded is found in the caches and OPFS
 * without any request), and loading, cancelling and removing them. Nothing downloads until
 * `load()` is called for it. One instance per page (`openEngines()`).
 */
import * as Comlink from 'comlink';
import {
  catalogueOptions,
  createPromptApiGenerator,
  type DeviceFacts,
  diagnoseHubFailure,
  EngineError,
  type EngineOption,
  type EngineState,
  type Engines,
  type Generator,
  hostedModelRecords,
  type LanguageModelFactory,
  languageModelFactory,
  listStoredModels,
  PROCESSOR_MODELS,
  promptApiAvailability,
  removeStoredModel,
  type StoredModel,
  transformersDevice,
  transformersDtype,
  transformersFiles,
  untag,
} from '../core';
import { openTransformersGenerator, openWebLLMGenerator, openWllamaGenerator, openWllamaWorker } from './generator';
import { modelFileUrl, modelSource, servedBySite, webLLMHosting } from './modelSource';
import { PASSAGES_ONLY } from './passagesOnly';

const CUSTOM_KEY = 'folio.engines.custom';

export interface EnginesOptions {
  /** Chrome's `LanguageModel` (default: the page's own); tests pass a stand-in with the spec's shape. */
  languageModel?: LanguageModelFactory;
}

export function openEngines(opts: EnginesOptions = {}): Engines {
  return new PageEngines(opts);
}

type Listener = () => void;

class PageEngines implements Engines {
  private options: EngineOption[] = [PASSAGES_ONLY];
  private snapshot: readonly EngineOption[] = this.options;
  private readonly listeners = new Set<Listener>();
  private device: DeviceFacts | undefined;
  private stored: StoredModel[] = [];
  private readonly loads = new Map<string, AbortController>();
  private current: { id: string; generator: Generator } | undefined;
  private wllamaHost: ReturnType<typeof openWllamaWorker> | undefined;
  private readonly factory: LanguageModelFactory | undefined;
  readonly ready: Promise<void>;

  constructor(opts: EnginesOptions) {
    this.factory = opts.languageModel ?? languageModelFactory();
    this.ready = this.refresh();
  }

  // Arrow properties: React's useSyncExternalStore calls them unbound (engines.subscribe, engines.list).
  list = (): readonly EngineOption[] => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    this.snapshot = [...this.options];
    for (const l of this.listeners) l();
  }

  private setState(id: string, state: EngineState): void {
    const loadedNow = state.kind === 'ready' && state.loaded;
    this.options = this.options.map((o) => {
      if (o.id === id) return { ...o, state };
      // One engine is in memory at a time.
      return loadedNow && o.state.kind === 'ready' && o.state.loaded ? { ...o, state: { kind: 'ready' } } : o;
    });
    this.emit();
  }

  private option(id: string): EngineOption {
    const o = this.options.find((x) => x.id === id);
    if (!o) throw new Error(`There is no answer engine "${id}" here.`);
    return o;
  }

  private host() {
    return (this.wllamaHost ??= openWllamaWorker());
  }

  /** Builds the list for this device and finds what is already downloaded. */
  private async refresh(): Promise<void> {
    const [device, stored] = await Promise.all([
      probeDevice(this.factory),
      listStoredModels().catch(() => [] as StoredModel[]),
    ]);
    this.device = device;
    this.stored = stored;
    // The site's WebLLM list (/webllm/libs.json) only matters with a WebGPU adapter: without one
    // it is not asked for, so opening the app makes no request for it (none at all offline).
    const hosting = device.gpu ? await webLLMHosting() : undefined;
    const base = catalogueOptions(device, {
      webllm: hosting?.libs.models ?? [],
      ...(hosting?.libs.missing ? { webllmMissing: hosting.libs.missing } : {}),
      testModels: servedBySite,
    });
    const custom = readCustom().filter((id) => !base.some((o) => o.id === `transformers:${id}`));
    const where = transformersDevice(device) === 'webgpu' ? 'gpu' : 'processor';
    const options: EngineOption[] = [
      ...base,
      ...custom.map(
        (id): EngineOption => ({
          id: `transformers:${id}`,
          kind: 'transformers',
          group: where,
          name: id,
          note: 'a model from the hub you added (transformers.js)',
          state: { kind: 'not-downloaded' },
        }),
      ),
      ...stored.filter((m) => m.source === 'file').map(fileOption),
    ];
    const downloaded = await Promise.all(options.map((o) => this.isDownloaded(o).catch(() => false)));
    this.options = options.map((o, i) => {
      const kept = this.options.find((x) => x.id === o.id);
      // A load already under way keeps its live state.
      if (kept && kept.state.kind !== 'not-downloaded' && kept.state.kind !== 'ready')
        return { ...o, state: kept.state };
      if (this.current?.id === o.id) return { ...o, state: { kind: 'ready', loaded: true } };
      return downloaded[i] && o.state.kind === 'not-downloaded' ? { ...o, state: { kind: 'ready' } } : o;
    });
    this.emit();
  }

  /** Whether an option's files are on this device: Cache Storage (transformers.js, WebLLM) or OPFS (GGUF). */
  private async isDownloaded(o: EngineOption): Promise<boolean> {
    if (o.kind === 'wllama' || o.kind === 'gguf-file') return this.stored.some((m) => m.id === o.id);
    if (o.kind === 'transformers') {
      if (!(await caches.has('transformers-cache'))) return false;
      const cache = await caches.open('transformers-cache');
      const repo = o.id.slice('transformers:'.length);
      const files = transformersFiles(transformersDtype(o.id, this.device!)).filter(
        (f) => f !== 'generation_config.json',
      );
      const hits = await Promise.all(
        files.map((f) => cache.match(new URL(modelFileUrl(repo, f), location.origin).href)),
      );
      return hits.every(Boolean);
    }
    if (o.kind === 'webllm' && o.id.startsWith('webllm:')) {
      if (!(await caches.has('webllm/model'))) return false;
      const record = hostedModelRecords(await webLLMHosting()).find((r) => `webllm:${r.model_id}` === o.id);
      if (!record) return false;
      const base = record.model.includes('/resolve/')
        ? record.model.replace(/\/?$/, '/')
        : `${record.model.replace(/\/?$/, '')}/resolve/main/`;
      const cache = await caches.open('webllm/model');
      const listing = await cache.match(`${base}tensor-cache.json`);
      if (!listing) return false;
      const records = ((await listing.json()) as { records?: { dataPath: string }[] }).records ?? [];
      return (await Promise.all(records.map((r) => cache.match(new URL(r.dataPath, base).href)))).every(Boolean);
    }
    return false;
  }

  async load(id: string, signal?: AbortSignal): Promise<Generator | null> {
    const option = this.option(id);
    if (option.state.kind === 'unavailable') throw new Error(option.state.reason);
    if (this.current?.id === id) return this.current.generator;
    // Only one model in memory at a time: the previous one is freed before the next loads.
    await this.release();
    if (option.kind === 'passages') return null;
    this.loads.get(id)?.abort();
    const controller = new AbortController();
    this.loads.set(id, controller);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const progress = progressTracker((state) => !controller.signal.aborted && this.setState(id, state));
    const wasDownloaded = option.state.kind === 'ready';
    this.setState(
      id,
      wasDownloaded ? { kind: 'loading' } : { kind: 'downloading', loaded: 0, total: option.sizeBytes ?? 0 },
    );
    try {
      const generator = await this.open(option, controller.signal, progress);
      if (controller.signal.aborted) {
        await generator.dispose().catch(() => {});
        throw new EngineError('cancelled', 'Cancelled.');
      }
      this.current = { id, generator };
      this.setState(id, { kind: 'ready', loaded: true });
      return generator;
    } catch (err) {
      if (controller.signal.aborted) {
        this.setState(id, wasDownloaded ? { kind: 'ready' } : { kind: 'not-downloaded' });
        throw new EngineError('cancelled', 'The download was cancelled.');
      }
      const plain = untag(err) ?? (await this.explain(option, err));
      this.setState(id, { kind: 'error', message: plain.message });
      throw plain;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.loads.get(id) === controller) this.loads.delete(id);
    }
  }

  private async open(
    option: EngineOption,
    signal: AbortSignal,
    progress: ReturnType<typeof progressTracker>,
  ): Promise<Generator> {
    const device = this.device ?? (await probeDevice(this.factory));
    switch (option.kind) {
      case 'prompt-api': {
        if (!this.factory) throw new EngineError('unavailable', 'This browser has no built-in model.');
        return createPromptApiGenerator(this.factory, { signal, onProgress: (f) => progress.fraction(f) });
      }
      case 'transformers': {
        const model = option.id.slice('transformers:'.length);
        const dev = transformersDevice(device);
        return openTransformersGenerator(
          { model, device: dev, dtype: transformersDtype(option.id, device), ...modelSource },
          (p) => progress.bytes(p.loaded, p.total),
          signal,
        );
      }
      case 'webllm':
        return openWebLLMGenerator(
          option.id.slice('webllm:'.length),
          (p) => progress.fraction(p.progress),
          modelSource,
          signal,
        );
      case 'wllama':
      case 'gguf-file': {
        const host = this.host();
        if (!this.stored.some((m) => m.id === option.id)) {
          const entry = PROCESSOR_MODELS.find((e) => e.id === option.id)!;
          const onAbort = () => void host.api.cancelDownload(option.id);
          signal.addEventListener('abort', onAbort, { once: true });
          try {
            const urls = entry.files!.map((f) => new URL(modelFileUrl(entry.repo!, f), location.origin).href);
            const stored = await host.api.download(
              option.id,
              urls,
              undefined,
              Comlink.proxy((loaded: number, total: number) => progress.bytes(loaded, total)),
              device.deviceMemoryGiB,
            );
            this.stored = [...this.stored.filter((m) => m.id !== stored.id), stored];
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
          this.setState(option.id, { kind: 'loading' });
        }
        return openWllamaGenerator(host, option.id);
      }
      default:
        throw new Error(`Cannot load ${option.id}.`);
    }
  }

  private async explain(option: EngineOption, err: unknown): Promise<EngineError> {
    if (option.kind === 'transformers') {
      const model = option.id.slice('transformers:'.length);
      return diagnoseHubFailure(model, new URL(modelFileUrl(model, 'config.json'), location.origin).href, err);
    }
    const message = (err as Error | null)?.message ?? String(err);
    return new EngineError('failed', `${option.name} could not be started: ${message}`, { cause: err });
  }

  /** Frees the model in memory, if any. */
  private async release(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    await current.generator.dispose().catch(() => {});
    const o = this.options.find((x) => x.id === current.id);
    if (o?.state.kind === 'ready') this.setState(current.id, { kind: 'ready' });
  }

  cancel(id: string): void {
    this.loads.get(id)?.abort();
  }

  async remove(id: string): Promise<void> {
    const option = this.option(id);
    if (this.current?.id === id) await this.release();
    this.loads.get(id)?.abort();
    if (option.kind === 'wllama' || option.kind === 'gguf-file') {
      await removeStoredModel(id);
      this.stored = this.stored.filter((m) => m.id !== id);
    } else if (option.kind === 'transformers') {
      const repo = id.slice('transformers:'.length);
      if (await caches.has('transformers-cache')) {
        const cache = await caches.open('transformers-cache');
        for (const dtype of ['q8', 'q4f16', 'fp32'] as const)
          for (const f of transformersFiles(dtype))
            await cache.delete(new URL(modelFileUrl(repo, f), location.origin).href);
      }
    } else if (option.kind === 'webllm') {
      const { deleteModelAllInfoInCache, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
      await deleteModelAllInfoInCache(id.slice('webllm:'.length), {
        ...prebuiltAppConfig,
        model_list: hostedModelRecords(await webLLMHosting()),
      });
    }
    if (option.kind === 'gguf-file') {
      this.options = this.options.filter((o) => o.id !== id);
      this.emit();
    } else if (option.state.kind !== 'unavailable')
      this.setState(
        id,
        option.kind === 'prompt-api' || option.kind === 'passages' ? option.state : { kind: 'not-downloaded' },
      );
  }

  async addModelFile(input: File | readonly File[]): Promise<EngineOption> {
    const files = Array.isArray(input) ? [...(input as readonly File[])] : [input as File];
    if (!files.length) throw new Error('No file was given.');
    const first = [...files].sort((a, b) => a.name.localeCompare(b.name))[0]!;
    if (!/\.gguf$/i.test(first.name) && !(await looksLikeGguf(first))) {
      throw new EngineError(
        'not-gguf',
        `"${first.name}" cannot be used: it is not a GGUF model file (Folio runs .gguf files from llama.cpp, Ollama or LM Studio).`,
      );
    }
    const id = `gguf-file:${first.name.replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '')}:${files.reduce((n, f) => n + f.size, 0)}`;
    let stored: StoredModel;
    try {
      stored = await this.host().api.addFiles(
        id,
        files,
        this.device?.deviceMemoryGiB ?? (navigator as { deviceMemory?: number }).deviceMemory,
      );
    } catch (err) {
      throw untag(err) ?? err;
    }
    this.stored = [...this.stored.filter((m) => m.id !== id), stored];
    const option = fileOption(stored);
    const existing = this.options.find((o) => o.id === id);
    this.options = existing
      ? this.options.map((o) => (o.id === id ? { ...option, state: o.state } : o))
      : [...this.options, option];
    this.emit();
    return this.option(id);
  }

  addCustom(hubId: string): EngineOption {
    const repo = hubId
      .trim()
      .replace(/^https:\/\/huggingface\.co\//, '')
      .replace(/\/+$/, '');
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
      throw new EngineError(
        'not-found',
        `"${hubId}" is not a model name: use the hub's form "organisation/model", e.g. onnx-community/Qwen2.5-0.5B-Instruct.`,
      );
    const id = `transformers:${repo}`;
    const existing = this.options.find((o) => o.id === id);
    if (existing) return existing;
    writeCustom([...readCustom().filter((r) => r !== repo), repo]);
    const group = this.device && transformersDevice(this.device) === 'webgpu' ? 'gpu' : 'processor';
    const option: EngineOption = {
      id,
      kind: 'transformers',
      group,
      name: repo,
      note: 'a model from the hub you added (transformers.js)',
      state: { kind: 'not-downloaded' },
    };
    this.options = [...this.options, option];
    this.emit();
    void this.isDownloaded(option).then(
      (yes) =>
        yes &&
        this.options.find((o) => o.id === id)?.state.kind === 'not-downloaded' &&
        this.setState(id, { kind: 'ready' }),
    );
    return option;
  }
}

function fileOption(m: StoredModel): EngineOption {
  const ctx = m.contextLength ? `, ${m.contextLength.toLocaleString('en')}-token context` : '';
  return {
    id: m.id,
    kind: 'gguf-file',
    group: 'file',
    name: m.name,
    sizeBytes: m.bytes,
    note: `your file: ${m.architecture}, ${m.quantization}${ctx}${m.hasChatTemplate ? '' : ', no chat template (plain transcript)'}; runs on the processor`,
    state: { kind: 'ready' },
  };
}

/** Files not named .gguf are still accepted when their first bytes say GGUF. */
async function looksLikeGguf(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return String.fromCharCode(...head) === 'GGUF';
}

function readCustom(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(CUSTOM_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeCustom(ids: string[]): void {
  try {
    localStorage.setItem(CUSTOM_KEY, JSON.stringify(ids));
  } catch {
    // storage refused (private mode): the custom model lasts for this page only
  }
}

/** Download progress with a time-left estimate from the average rate so far. */
function progressTracker(set: (s: EngineState) => void) {
  const t0 = performance.now();
  const left = (done: number) => {
    const s = (performance.now() - t0) / 1000;
    return s > 1 && done > 0 && done < 1 ? Math.round((s / done) * (1 - done)) : undefined;
  };
  return {
    bytes(loaded: number, total: number) {
      const secondsLeft = total ? left(loaded / total) : undefined;
      set({ kind: 'downloading', loaded, total, ...(secondsLeft !== undefined ? { secondsLeft } : {}) });
    },
    fraction(f: number) {
      const secondsLeft = left(f);
      set({
        kind: 'downloading',
        loaded: f,
        total: 1,
        fraction: true,
        ...(secondsLeft !== undefined ? { secondsLeft } : {}),
      });
    },
  };
}

/** What the browser offers (no request leaves the page). */
export async function probeDevice(factory = languageModelFactory()): Promise<DeviceFacts> {
  const nav = navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> }; deviceMemory?: number };
  type Adapter = {
    features: { has(f: string): boolean };
    limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
    info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string; description?: string };
    isFallbackAdapter?: boolean;
  };
  const adapter = (await nav.gpu?.requestAdapter().catch(() => null)) as Adapter | null | undefined;
  const gpu = adapter
    ? {
        fallback:
          !!(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) ||
          /swiftshader|llvmpipe|software/i.test(`${adapter.info?.architecture} ${adapter.info?.description}`),
        shaderF16: adapter.features.has('shader-f16'),
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        ...(adapter.info?.description ? { description: adapter.info.description } : {}),
      }
    : null;
  return {
    gpu,
    ...(nav.deviceMemory ? { deviceMemoryGiB: nav.deviceMemory } : {}),
    cores: nav.hardwareConcurrency || 1,
    wllamaSupported: wasmMemory64(),
    promptApi: factory ? await promptApiAvailability(factory) : 'absent',
  };
}

/** llama.cpp's wasm build uses 64-bit memory (besides SIMD and exceptions, older than it). */
function wasmMemory64(): boolean {
  try {
    new WebAssembly.Memory({ address: 'i64', initial: 1n } as unknown as WebAssembly.MemoryDescriptor);
    return true;
  } catch {
    return false;
  }
}
