import { openDB } from 'idb';
import type { EmbedDevice, Embedder } from './embedder';

/**
 * Where embedding runs, decided by what the machine does rather than by what it has. A WebGPU
 * adapter can be a software one (SwiftShader, WARP, llvmpipe: `isFallbackAdapter`), which ran a
 * 127k-word handbook at 0.6 passages/s against 14 on WASM; such an adapter is never used. A real
 * one is tried on a calibration batch, and WASM too when that batch looks slow; the faster wins.
 * The choice and its speed are remembered per browser, so this happens once.
 */

/** The part of a WebGPU adapter the choice reads (`info.isFallbackAdapter`; older browsers had it on the adapter). */
export interface AdapterLike {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string };
  isFallbackAdapter?: boolean;
}

export interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

export interface DeviceChoice {
  device: EmbedDevice;
  /** Passages per second measured on it (calibration, then real indexing), if known. */
  passagesPerSecond?: number;
  /** Why this device, in words a person understands. */
  reason: string;
}

/** Remembered choices, per browser (IndexedDB) or wherever a test keeps them. */
export interface DeviceMemory {
  get(key: string): Promise<DeviceChoice | undefined>;
  set(key: string, choice: DeviceChoice): Promise<void>;
}

export interface ChooseDeviceInput {
  /** What the choice is remembered under: model and weights. */
  key: string;
  gpu: GpuLike | undefined;
  /** The device used when WebGPU is not: 'wasm' in browsers, 'cpu' (native) in Node. */
  fallback: EmbedDevice;
  load(device: EmbedDevice): Promise<Embedder>;
  memory: DeviceMemory;
  /** Clock for calibration (tests pass one they control). */
  now?: () => number;
}

/** Below this, a WebGPU calibration batch is checked against WASM; any real GPU does far more. */
const SUSPICIOUSLY_SLOW = 20;
/** Passages of a typical length (≈ 200 tokens) for calibrating. */
const CALIBRATION = Array.from(
  { length: 8 },
  (_, i) =>
    `Calibration passage ${i + 1}. ${'The committee reviewed the quarterly figures, compared them with the previous year and noted where the differences came from. '.repeat(6)}`,
);

/** Loads the embedder on the device this browser does best, choosing (and remembering) it the first time. */
export async function chooseDevice(input: ChooseDeviceInput): Promise<{ embedder: Embedder; choice: DeviceChoice }> {
  const remembered = await input.memory.get(input.key).catch(() => undefined);
  if (remembered) {
    try {
      return { embedder: await input.load(remembered.device), choice: remembered };
    } catch {
      // The device it worked on is gone (driver update, another GPU): choose again.
    }
  }
  const choice = await decide(input);
  await input.memory.set(input.key, choice.choice).catch(() => {});
  return choice;
}

async function decide(input: ChooseDeviceInput): Promise<{ embedder: Embedder; choice: DeviceChoice }> {
  const plain = async (reason: string) => ({
    embedder: await input.load(input.fallback),
    choice: { device: input.fallback, reason },
  });
  let adapter: AdapterLike | null = null;
  try {
    adapter = (await input.gpu?.requestAdapter()) ?? null;
  } catch {
    /* no usable adapter */
  }
  if (!adapter) return plain('no graphics card is available to this browser (WebGPU)');
  if (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) {
    return plain(
      `the only WebGPU adapter is a software one (${adapter.info?.architecture || adapter.info?.vendor || 'fallback adapter'}), slower than the processor`,
    );
  }
  let gpu: Embedder;
  try {
    gpu = await input.load('webgpu');
  } catch {
    return plain('the graphics card could not run the model');
  }
  const gpuSpeed = await calibrate(gpu, input.now);
  if (gpuSpeed >= SUSPICIOUSLY_SLOW)
    return {
      embedder: gpu,
      choice: { device: 'webgpu', passagesPerSecond: gpuSpeed, reason: `graphics card: ${round(gpuSpeed)} passages/s` },
    };
  const cpu = await input.load(input.fallback);
  const cpuSpeed = await calibrate(cpu, input.now);
  const [winner, loser] = gpuSpeed >= cpuSpeed ? [gpu, cpu] : [cpu, gpu];
  await loser.dispose();
  const measured = `graphics card ${round(gpuSpeed)}, processor ${round(cpuSpeed)} passages/s`;
  return {
    embedder: winner,
    choice: { device: winner.device, passagesPerSecond: Math.max(gpuSpeed, cpuSpeed), reason: `measured: ${measured}` },
  };
}

/** Passages per second on the calibration batch, after one warm-up run (first runs compile kernels). */
async function calibrate(embedder: Embedder, now: () => number = () => performance.now()): Promise<number> {
  await embedder.embed(CALIBRATION.slice(0, 1), 'passage');
  const t0 = now();
  await embedder.embed(CALIBRATION, 'passage');
  return (CALIBRATION.length * 1000) / Math.max(1, now() - t0);
}

const round = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);

/**
 * Keeps the measured speed up to date from real work: long passage batches (indexing) are timed
 * and the running rate written back to the memory now and then.
 */
export function measured(
  embedder: Embedder,
  choice: DeviceChoice,
  remember: (choice: DeviceChoice) => void,
  now: () => number = () => performance.now(),
): Embedder {
  let rate = choice.passagesPerSecond;
  return {
    model: embedder.model,
    device: embedder.device,
    dtype: embedder.dtype,
    get passagesPerSecond() {
      return rate;
    },
    countTokens: (text) => embedder.countTokens(text),
    async embed(texts, kind, onProgress, signal) {
      const t0 = now();
      const out = await embedder.embed(texts, kind, onProgress, signal);
      if (kind === 'passage' && texts.length >= 32) {
        const current = (texts.length * 1000) / Math.max(1, now() - t0);
        rate = rate === undefined ? current : 0.5 * rate + 0.5 * current;
        remember({ ...choice, passagesPerSecond: Math.round(rate * 10) / 10 });
      }
      return out;
    },
    dispose: () => embedder.dispose(),
  };
}

/** Remembered choices in this browser's IndexedDB (one small database, apart from any library). */
export function browserDeviceMemory(name = 'folio-device'): DeviceMemory {
  const db = openDB(name, 1, { upgrade: (d) => void d.createObjectStore('choices') });
  return {
    get: async (key) => (await db).get('choices', key) as Promise<DeviceChoice | undefined>,
    set: async (key, choice) => void (await (await db).put('choices', choice, key)),
  };
}
