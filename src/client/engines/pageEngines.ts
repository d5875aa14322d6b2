/**
 * The page's answer engines (the `Engines` contract in core/generate/engine.ts): the options of
 * every kind in kinds.ts on this device, each option's state (what is already downloaded is found
 * in the caches and OPFS without any request), and loading, cancelling and removing them, one
 * model in memory at a time. Nothing downloads until `load()` is called for it. One instance per
 * page (`openEngines()`).
 */
import {
  type AddedSource,
  type DeviceFacts,
  EngineError,
  type EngineKind,
  type EngineOption,
  type EngineState,
  type Engines,
  type Generator,
  type LanguageModelFactory,
  languageModelFactory,
  type LinkedAbort,
  linkedAbort,
  PASSAGES_ONLY,
  promptApiAvailability,
  recommend,
  untag,
} from '../../core';
import type { EngineDriver, EnginePage, LoadProgress } from './driver';
import { ENGINE_KINDS } from './kinds';

export interface EnginesOptions {
  /** Chrome's `LanguageModel` (default: the page's own); tests pass a stand-in with the spec's shape. */
  languageModel?: LanguageModelFactory;
  /** The kinds offered (default: kinds.ts); a test adds a kind the way a new row would. */
  kinds?: readonly EngineDriver[];
}

export function openEngines(opts: EnginesOptions = {}): Engines {
  return new PageEngines(opts);
}

type Listener = () => void;

class PageEngines implements Engines {
  private options: EngineOption[] = [PASSAGES_ONLY];
  private snapshot: readonly EngineOption[] = this.options;
  private readonly listeners = new Set<Listener>();
  private readonly loads = new Map<string, LinkedAbort>();
  private current: { id: string; generator: Generator } | undefined;
  private page: EnginePage | undefined;
  private readonly kinds: readonly EngineDriver[];
  readonly ready: Promise<void>;

  constructor(opts: EnginesOptions) {
    this.kinds = opts.kinds ?? ENGINE_KINDS;
    const languageModel = opts.languageModel ?? languageModelFactory();
    this.ready = probeDevice(languageModel).then((device) => {
      this.page = { device, languageModel, setState: (id, state) => this.setState(id, state) };
      return this.refresh();
    });
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

  private kind(kind: EngineKind): EngineDriver {
    const driver = this.kinds.find((k) => k.kind === kind);
    if (!driver) throw new Error(`There is no answer engine of kind "${kind}" here.`);
    return driver;
  }

  private async opened(): Promise<EnginePage> {
    await this.ready;
    return this.page!;
  }

  /** Asks every kind for its options on this device and finds which are already downloaded. */
  private async refresh(): Promise<void> {
    const page = this.page!;
    const offered = await Promise.all(this.kinds.map((k) => k.options(page).catch((): EngineOption[] => [])));
    const options = recommend(offered.flat(), page.device);
    const downloaded = await Promise.all(
      options.map((o) =>
        o.state.kind === 'not-downloaded'
          ? (this.kind(o.kind)
              .isDownloaded?.(o, page)
              .catch(() => false) ?? false)
          : false,
      ),
    );
    this.options = options.map((o, i) => {
      const kept = this.options.find((x) => x.id === o.id);
      // A load under way keeps its live state, a failed one its message; what can run here is the kind's to say.
      if (kept && (kept.state.kind === 'downloading' || kept.state.kind === 'loading' || kept.state.kind === 'error'))
        return { ...o, state: kept.state };
      if (this.current?.id === o.id) return { ...o, state: { kind: 'ready', loaded: true } };
      return downloaded[i] ? { ...o, state: { kind: 'ready' } } : o;
    });
    this.emit();
  }

  async load(id: string, signal?: AbortSignal): Promise<Generator | null> {
    const option = this.option(id);
    if (option.state.kind === 'unavailable') throw new Error(option.state.reason);
    if (this.current?.id === id) return this.current.generator;
    // Only one model in memory at a time: the previous one is freed before the next loads.
    await this.release();
    if (id === PASSAGES_ONLY.id) return null;
    const driver = this.kind(option.kind);
    this.loads.get(id)?.abort();
    const controller = linkedAbort(signal);
    this.loads.set(id, controller);
    const progress = progressTracker((state) => !controller.signal.aborted && this.setState(id, state));
    const wasDownloaded = option.state.kind === 'ready';
    this.setState(
      id,
      wasDownloaded ? { kind: 'loading' } : { kind: 'downloading', loaded: 0, total: option.sizeBytes ?? 0 },
    );
    try {
      const generator = await driver.open(option, await this.opened(), controller.signal, progress);
      if (!generator) throw new Error(`Cannot load ${id}.`);
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
      const plain = untag(err) ?? (await (driver.explain ?? couldNotStart)(option, err));
      this.setState(id, { kind: 'error', message: plain.message });
      throw plain;
    } finally {
      controller.release();
      if (this.loads.get(id) === controller) this.loads.delete(id);
    }
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
    const driver = this.kind(option.kind);
    const after = driver.remove ? await driver.remove(option, await this.opened()) : option.state;
    if (after === null) {
      this.options = this.options.filter((o) => o.id !== id);
      this.emit();
    } else if (option.state.kind !== 'unavailable') this.setState(id, after);
  }

  async addModelFile(input: File | readonly File[]): Promise<EngineOption> {
    const files = Array.isArray(input) ? [...(input as readonly File[])] : [input as File];
    const driver = this.kinds.find((k) => k.addFiles);
    if (!driver?.addFiles) throw new Error('No answer engine here runs model files.');
    const option = await driver.addFiles(files, await this.opened());
    const existing = this.options.find((o) => o.id === option.id);
    this.options = existing
      ? this.options.map((o) => (o.id === option.id ? { ...option, state: o.state } : o))
      : [...this.options, option];
    this.emit();
    return this.option(option.id);
  }

  inputs() {
    return this.kinds.flatMap((k) => (k.input ? [k.input] : []));
  }

  added(): AddedSource[] {
    return this.kinds.flatMap((k) => k.added?.().map((a) => ({ kind: k.kind, ...a })) ?? []);
  }

  async forget(kind: EngineKind, value: string): Promise<void> {
    const driver = this.kind(kind);
    if (!driver.forget) throw new Error(`Nothing added to the answer engines of kind "${kind}" can be forgotten.`);
    const gone = new Set(this.options.filter((o) => o.kind === kind && o.from === value).map((o) => o.id));
    if (this.current && gone.has(this.current.id)) await this.release();
    for (const id of gone) this.loads.get(id)?.abort();
    await driver.forget(value);
    this.options = this.options.filter((o) => !gone.has(o.id));
    this.emit();
  }

  async add(kind: EngineKind, text: string): Promise<EngineOption | undefined> {
    const driver = this.kind(kind);
    if (!driver.add) throw new Error(`Nothing can be added to the answer engines of kind "${kind}".`);
    const id = await driver.add(text, await this.opened());
    await this.refresh();
    return id === undefined ? undefined : this.option(id);
  }
}

async function couldNotStart(option: EngineOption, err: unknown): Promise<EngineError> {
  const message = (err as Error | null)?.message ?? String(err);
  return new EngineError('failed', `${option.name} could not be started: ${message}`, { cause: err });
}

/** Download progress with a time-left estimate from the average rate so far. */
function progressTracker(set: (s: EngineState) => void): LoadProgress {
  const t0 = performance.now();
  const left = (done: number) => {
    const s = (performance.now() - t0) / 1000;
    return s > 1 && done > 0 && done < 1 ? Math.round((s / done) * (1 - done)) : undefined;
  };
  return {
    bytes(loaded, total) {
      const secondsLeft = total ? left(loaded / total) : undefined;
      set({ kind: 'downloading', loaded, total, ...(secondsLeft !== undefined ? { secondsLeft } : {}) });
    },
    fraction(f) {
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
