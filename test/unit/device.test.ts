import { describe, expect, test } from 'vitest';
import { chooseDevice, type AdapterLike, type DeviceChoice, type DeviceMemory, type EmbedDevice } from '../../src/core';
import { stubEmbedder } from '../helpers/stubEmbedder';

/** A clock the stand-in devices move forward by what their work would take. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function memory(): DeviceMemory & { saved: Map<string, DeviceChoice> } {
  const saved = new Map<string, DeviceChoice>();
  return { saved, get: async (k) => saved.get(k), set: async (k, c) => void saved.set(k, c) };
}

/** Stand-in devices: each passage costs `msPerPassage[device]` on the shared clock. */
function devices(msPerPassage: Partial<Record<EmbedDevice, number>>, time: ReturnType<typeof clock>) {
  const loaded: EmbedDevice[] = [];
  const disposed: EmbedDevice[] = [];
  let embedCalls = 0;
  const load = async (device: EmbedDevice) => {
    loaded.push(device);
    const e = stubEmbedder({
      beforeBatch: (texts) => {
        embedCalls++;
        time.advance(texts.length * msPerPassage[device]!);
      },
    });
    return Object.assign(e, { device, dispose: async () => void disposed.push(device) });
  };
  return { load, loaded, disposed, embedCalls: () => embedCalls };
}

const adapter = (a: AdapterLike) => ({ requestAdapter: async () => a });

describe('the embedding device is chosen by measurement and remembered', () => {
  test('a software (fallback) WebGPU adapter is never used: the processor is, without loading the model on the adapter', async () => {
    const time = clock();
    const d = devices({ webgpu: 2000, wasm: 70 }, time);
    const mem = memory();
    const { embedder, choice } = await chooseDevice({
      key: 'm',
      gpu: adapter({ info: { isFallbackAdapter: true, architecture: 'swiftshader' } }),
      fallback: 'wasm',
      load: d.load,
      memory: mem,
      now: time.now,
    });
    expect(embedder.device).toBe('wasm');
    expect(d.loaded).toEqual(['wasm']);
    expect(choice).toEqual({
      device: 'wasm',
      reason: 'the only WebGPU adapter is a software one (swiftshader), slower than the processor',
    });
    expect(mem.saved.get('m')).toEqual(choice);
    // Older browsers put the flag on the adapter itself.
    const older = await chooseDevice({
      key: 'n',
      gpu: adapter({ isFallbackAdapter: true }),
      fallback: 'wasm',
      load: d.load,
      memory: memory(),
      now: time.now,
    });
    expect(older.choice.device).toBe('wasm');
  });

  test('a real adapter far slower than WASM on a calibration batch is not used for bulk embedding; the measured speeds are remembered', async () => {
    const time = clock();
    const d = devices({ webgpu: 1600, wasm: 70 }, time); // 0.6 against 14 passages/s, as measured on the handbook
    const mem = memory();
    const { embedder, choice } = await chooseDevice({
      key: 'minilm|q8',
      gpu: adapter({ info: { isFallbackAdapter: false } }),
      fallback: 'wasm',
      load: d.load,
      memory: mem,
      now: time.now,
    });
    expect(embedder.device).toBe('wasm');
    expect(d.loaded).toEqual(['webgpu', 'wasm']);
    expect(d.disposed).toEqual(['webgpu']);
    expect(choice).toEqual({
      device: 'wasm',
      passagesPerSecond: 1000 / 70,
      reason: 'measured: graphics card 0.6, processor 14 passages/s',
    });
    expect(mem.saved.get('minilm|q8')).toEqual(choice);

    // The next time in this browser: the remembered device, no calibration, nothing else loaded.
    const again = devices({ webgpu: 1600, wasm: 70 }, time);
    const next = await chooseDevice({
      key: 'minilm|q8',
      gpu: adapter({ info: { isFallbackAdapter: false } }),
      fallback: 'wasm',
      load: again.load,
      memory: mem,
      now: time.now,
    });
    expect(next.choice).toEqual(choice);
    expect(again.loaded).toEqual(['wasm']);
    expect(again.embedCalls()).toBe(0);
  });

  test('a real graphics card that is fast on the calibration batch is used, and WASM is never loaded', async () => {
    const time = clock();
    const d = devices({ webgpu: 2, wasm: 70 }, time);
    const { embedder, choice } = await chooseDevice({
      key: 'k',
      gpu: adapter({ info: { isFallbackAdapter: false } }),
      fallback: 'wasm',
      load: d.load,
      memory: memory(),
      now: time.now,
    });
    expect(embedder.device).toBe('webgpu');
    expect(d.loaded).toEqual(['webgpu']);
    expect(choice).toMatchObject({ device: 'webgpu', passagesPerSecond: 500 });
  });

  test('no adapter, or one that cannot load the model: the processor, with the reason', async () => {
    const time = clock();
    const d = devices({ wasm: 70 }, time);
    expect(
      (
        await chooseDevice({
          key: 'a',
          gpu: undefined,
          fallback: 'wasm',
          load: d.load,
          memory: memory(),
          now: time.now,
        })
      ).choice.reason,
    ).toBe('no graphics card is available to this browser (WebGPU)');
    expect(
      (
        await chooseDevice({
          key: 'b',
          gpu: { requestAdapter: async () => null },
          fallback: 'wasm',
          load: d.load,
          memory: memory(),
          now: time.now,
        })
      ).choice.device,
    ).toBe('wasm');
    const failing = async (device: EmbedDevice) => {
      if (device === 'webgpu') throw new Error('no shader-f16');
      return d.load(device);
    };
    const c = await chooseDevice({
      key: 'c',
      gpu: adapter({ info: {} }),
      fallback: 'wasm',
      load: failing,
      memory: memory(),
      now: time.now,
    });
    expect(c.choice).toEqual({ device: 'wasm', reason: 'the graphics card could not run the model' });
  });

  test('a remembered device that no longer loads is chosen again', async () => {
    const time = clock();
    const mem = memory();
    mem.saved.set('k', { device: 'webgpu', passagesPerSecond: 300, reason: 'graphics card: 300 passages/s' });
    const d = devices({ wasm: 70 }, time);
    const gone = async (device: EmbedDevice) => {
      if (device === 'webgpu') throw new Error('adapter lost');
      return d.load(device);
    };
    const { choice } = await chooseDevice({
      key: 'k',
      gpu: undefined,
      fallback: 'wasm',
      load: gone,
      memory: mem,
      now: time.now,
    });
    expect(choice.device).toBe('wasm');
    expect(mem.saved.get('k')!.device).toBe('wasm');
  });
});
