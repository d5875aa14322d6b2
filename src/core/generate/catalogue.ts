/**
 * The answer engines Folio offers and which one fits this device: plain data and pure functions,
 * so the menu's content is tested in Node. Each kind's file in `src/client/engines/` offers its
 * part, adds the states (downloaded, downloading, ready) and does the loading.
 */
import { type EngineOption, PASSAGES_ONLY } from './engine';
import type { HostedWebLLMModel } from './webllm';

/** What the device offers, as far as choosing an engine goes. */
export interface DeviceFacts {
  /** A WebGPU adapter; `fallback` for software ones (SwiftShader), which count as no GPU here. */
  gpu?: {
    fallback: boolean;
    shaderF16: boolean;
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    description?: string;
  } | null;
  /** navigator.deviceMemory (GiB, rounded down by the browser), when the browser tells. */
  deviceMemoryGiB?: number;
  cores: number;
  /** WebAssembly memory64, SIMD and exceptions: what llama.cpp's wasm build needs. */
  wllamaSupported: boolean;
  /**
   * Chrome's Prompt API as `LanguageModel.availability()` answers; 'absent' where the browser has
   * no `LanguageModel` at all (Firefox, Safari), so there is nothing to offer or explain.
   */
  promptApi: 'available' | 'downloadable' | 'downloading' | 'unavailable' | 'absent';
}

export interface CatalogueEntry {
  id: string;
  kind: 'wllama' | 'transformers';
  name: string;
  sizeBytes?: number;
  note: string;
  /** transformers.js: hub repo; wllama: repo and GGUF file(s); webllm: model id. */
  repo?: string;
  files?: string[];
  /** transformers.js files that make the model complete in the cache (dtype-specific). */
  cacheFiles?: string[];
  /** transformers.js weights to use instead of the device's default (q8 on WASM, q4f16 on WebGPU). */
  dtype?: 'fp32';
  /** transformers.js: the weights' size for the device's default dtype, where it differs from `sizeBytes`. */
  sizeByDtype?: { q8: number; q4f16: number };
  /** Only offered in builds that serve the shared test models (FOLIO_MODELS). */
  testOnly?: boolean;
}

/**
 * Processor models. Sizes are the files' byte counts on the hub, not estimates: each was read from
 * several public projects that pin the same file by SHA-256 with its LFS size (found with a code
 * search over public repositories; the hub cannot be reached from the machine this was written
 * on). The test models' sizes are those of the shared files. The real size shows as soon as a
 * download starts.
 */
export const PROCESSOR_MODELS: CatalogueEntry[] = [
  {
    id: 'wllama:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    kind: 'wllama',
    name: 'Qwen2.5 0.5B Instruct (llama.cpp)',
    // qwen2.5-0.5b-instruct-q4_k_m.gguf, sha256 74a4da8c…a9db.
    sizeBytes: 491_400_032,
    note: 'runs on the processor; the fastest good answers without a graphics card',
    repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
    files: ['qwen2.5-0.5b-instruct-q4_k_m.gguf'],
  },
  {
    id: 'wllama:HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/smollm2-360m-instruct-q8_0.gguf',
    kind: 'wllama',
    name: 'SmolLM2 360M Instruct (llama.cpp)',
    // smollm2-360m-instruct-q8_0.gguf at revision 593b5a2e, sha256 48ab3034…0201.
    sizeBytes: 386_404_992,
    note: 'runs on the processor; smallest and quickest, short plain answers',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct-GGUF',
    files: ['smollm2-360m-instruct-q8_0.gguf'],
  },
  {
    id: 'wllama:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    kind: 'wllama',
    name: 'Qwen2.5 1.5B Instruct (llama.cpp)',
    // qwen2.5-1.5b-instruct-q4_k_m.gguf, sha256 6a1a2eb6…407e.
    sizeBytes: 1_117_320_736,
    note: 'runs on the processor; better answers, about three times slower',
    repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF',
    files: ['qwen2.5-1.5b-instruct-q4_k_m.gguf'],
  },
  {
    id: 'transformers:onnx-community/Qwen2.5-0.5B-Instruct',
    kind: 'transformers',
    name: 'Qwen2.5 0.5B Instruct (transformers.js)',
    // onnx/model_quantized.onnx (q8, the processor's) 512,096,557 bytes; onnx/model_q4f16.onnx
    // (the graphics card's) 483,003,582 bytes. The tokenizer and config add a few MB.
    sizeBytes: 512_096_557,
    sizeByDtype: { q8: 512_096_557, q4f16: 483_003_582 },
    note: 'ONNX Runtime; slower than llama.cpp on a processor, uses the graphics card when there is one',
    repo: 'onnx-community/Qwen2.5-0.5B-Instruct',
  },
  {
    id: 'wllama:karpathy/stories260K/stories260K-f32.gguf',
    kind: 'wllama',
    name: 'stories260K (test model, llama.cpp)',
    sizeBytes: 1_054_784,
    note: 'tiny test model that writes children’s stories, not answers',
    repo: 'karpathy/stories260K',
    files: ['stories260K-f32.gguf'],
    testOnly: true,
  },
  {
    id: 'transformers:karpathy/stories260K',
    kind: 'transformers',
    // Named by its hub id: the same model added under "Advanced" by that id is this entry.
    name: 'karpathy/stories260K',
    // config, tokenizer and onnx/model.onnx (fp32) as in ../shared/models.
    sizeBytes: 1_271_039,
    note: 'tiny test model (transformers.js) that writes children’s stories, not answers',
    repo: 'karpathy/stories260K',
    // fp32, like the GGUF test model, so both engines decode the same tokens.
    dtype: 'fp32',
    testOnly: true,
  },
];

/**
 * Why Chrome's model is not offered where `LanguageModel.availability()` says 'unavailable': Chrome
 * does not say which requirement failed, so the sentence names them (Chrome's documented ones:
 * desktop Windows 10/11, macOS 13+ or Linux, about 22 GB free on the profile's disk, a graphics
 * card with more than 4 GB or else 16 GB of memory and 4 cores; an administrator's policy can turn it off).
 */
export const PROMPT_API_UNAVAILABLE =
  'Chrome says its built-in model cannot run on this device. It needs desktop Chrome with about 22 GB of free disk space and either a graphics card with more than 4 GB of its own memory or 16 GB of memory and 4 cores; an administrator can also turn it off. The other engines here work without it.';

/** transformers.js weights for a model on this device. */
export function transformersDtype(id: string, device: DeviceFacts): 'fp32' | 'q4f16' | 'q8' {
  return PROCESSOR_MODELS.find((e) => e.id === id)?.dtype ?? (transformersDevice(device) === 'webgpu' ? 'q4f16' : 'q8');
}

/** The files transformers.js keeps for a text-generation model with this dtype. */
export function transformersFiles(dtype: 'q8' | 'q4f16' | 'fp32' | 'q4'): string[] {
  const suffix = { q8: '_quantized', q4f16: '_q4f16', fp32: '', q4: '_q4' }[dtype];
  return [
    'config.json',
    'generation_config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    `onnx/model${suffix}.onnx`,
  ];
}

const realGpu = (d: DeviceFacts) => !!d.gpu && !d.gpu.fallback;

/** Where a transformers.js model runs on this device. */
export const transformersDevice = (d: DeviceFacts): 'webgpu' | 'wasm' => (realGpu(d) ? 'webgpu' : 'wasm');

const PREFERRED = [
  'Llama-3.2-1B-Instruct',
  'Qwen2.5-1.5B-Instruct',
  'SmolLM2-1.7B-Instruct',
  'gemma-2-2b-it',
  'Qwen2.5-0.5B-Instruct',
  'SmolLM2-360M-Instruct',
];

/** The WebLLM models this GPU can run (q4f16 needs shader-f16, else q4f32), preferred first. */
export function usableWebLLM(
  models: readonly HostedWebLLMModel[],
  gpu: NonNullable<DeviceFacts['gpu']>,
): HostedWebLLMModel[] {
  const quant = gpu.shaderF16 ? 'q4f16' : 'q4f32';
  const rank = (id: string) => {
    const i = PREFERRED.findIndex((p) => id.startsWith(p));
    return i < 0 ? PREFERRED.length : i;
  };
  return models
    .filter(
      (m) =>
        m.model_id.includes(quant) && (m.required_features ?? []).every((f) => f !== 'shader-f16' || gpu.shaderF16),
    )
    .filter((m) => (m.buffer_size_required_bytes ?? 0) <= Math.min(gpu.maxStorageBufferBindingSize, gpu.maxBufferSize))
    .sort((a, b) => rank(a.model_id) - rank(b.model_id) || a.vram_required_MB - b.vram_required_MB);
}

export function webllmName(id: string): string {
  const m = id.match(/^(.*?)-(q\d\w*?)(_\d)?-MLC$/);
  return m ? `${m[1]!.replace(/-/g, ' ')} (${m[2]}, WebLLM)` : id;
}

/**
 * The menu's options for this device, before download states are known (every downloadable one
 * 'not-downloaded'), in group order, with the one that fits best marked `recommended`. The page
 * asks each kind for its part (client/engines/kinds.ts); this is the built-in kinds' part together.
 */
export function catalogueOptions(
  device: DeviceFacts,
  opts: { webllm: readonly HostedWebLLMModel[]; webllmMissing?: string; testModels: boolean },
): EngineOption[] {
  return recommend(
    [
      PASSAGES_ONLY,
      ...promptApiOptions(device),
      ...webllmOptions(device, opts),
      ...catalogueModels(device, 'wllama', opts.testModels),
      ...catalogueModels(device, 'transformers', opts.testModels),
    ],
    device,
  );
}

/** Chrome's built-in model: offered where Chrome has it, said once where Chrome says no. */
export function promptApiOptions(device: DeviceFacts): EngineOption[] {
  if (device.promptApi === 'absent') return [];
  const option = {
    id: 'prompt-api',
    kind: 'prompt-api',
    group: 'built-in',
    name: 'Chrome’s built-in model (Gemini Nano)',
  } as const;
  // Chrome has the API but says no: said once, so a person knows why it is not offered.
  if (device.promptApi === 'unavailable')
    return [
      { ...option, note: 'runs inside the browser', state: { kind: 'unavailable', reason: PROMPT_API_UNAVAILABLE } },
    ];
  return [
    {
      ...option,
      note:
        device.promptApi === 'available'
          ? 'already on this device; runs inside the browser'
          : 'Chrome downloads it once for every site; runs inside the browser',
      state: device.promptApi === 'available' ? { kind: 'ready' } : { kind: 'not-downloaded' },
    },
  ];
}

/** The WebLLM models this site hosts that this graphics card runs, or one line saying why none. */
export function webllmOptions(
  device: DeviceFacts,
  opts: { webllm: readonly HostedWebLLMModel[]; webllmMissing?: string },
): EngineOption[] {
  const unavailable = (note: string, reason: string): EngineOption[] => [
    {
      id: 'webllm',
      kind: 'webllm',
      group: 'gpu',
      name: 'Models for the graphics card (WebLLM)',
      note,
      state: { kind: 'unavailable', reason },
    },
  ];
  if (!device.gpu)
    return unavailable(
      'needs WebGPU',
      'This browser has no WebGPU, which the graphics-card models need. The processor models below work here.',
    );
  if (!opts.webllm.length)
    return unavailable(
      'not in this copy of Folio',
      `WebLLM models are missing: ${opts.webllmMissing ?? 'this copy of Folio hosts no WebLLM model libraries'}.`,
    );
  const gpu = device.gpu;
  const usable = usableWebLLM(opts.webllm, gpu);
  if (!usable.length)
    return unavailable(
      'too small a GPU',
      'This graphics card’s WebGPU limits are below what the hosted WebLLM models need.',
    );
  return usable.map((m) => ({
    id: `webllm:${m.model_id}`,
    kind: 'webllm',
    group: 'gpu',
    name: webllmName(m.model_id),
    ...(m.weightsBytes ? { sizeBytes: m.weightsBytes } : {}),
    note: gpu.fallback
      ? `runs on the graphics card, which here is a software renderer: very slow (needs ${Math.round(m.vram_required_MB)} MB)`
      : `runs on the graphics card; needs ${Math.round(m.vram_required_MB)} MB of graphics memory`,
    state: { kind: 'not-downloaded' },
  }));
}

/** The catalogue's models of one kind (PROCESSOR_MODELS), with what keeps them from running here. */
export function catalogueModels(
  device: DeviceFacts,
  kind: 'wllama' | 'transformers',
  testModels: boolean,
): EngineOption[] {
  const where = transformersDevice(device) === 'webgpu' ? 'gpu' : 'processor';
  return PROCESSOR_MODELS.filter((e) => e.kind === kind && (!e.testOnly || testModels)).map((e) => {
    const size = e.sizeByDtype ? e.sizeByDtype[where === 'gpu' ? 'q4f16' : 'q8'] : e.sizeBytes;
    return {
      id: e.id,
      kind: e.kind,
      group: kind === 'transformers' ? where : 'processor',
      name: e.name,
      ...(size ? { sizeBytes: size } : {}),
      note:
        kind === 'transformers' && where === 'gpu'
          ? e.note.replace('slower than llama.cpp on a processor, ', '')
          : e.note,
      state:
        kind === 'wllama' && !device.wllamaSupported
          ? {
              kind: 'unavailable',
              reason:
                'This browser’s WebAssembly lacks 64-bit memory, which llama.cpp needs (Safari before 26, older Firefox). The transformers.js models work here.',
            }
          : { kind: 'not-downloaded' },
    };
  });
}

/**
 * Marks the option that fits this device best: a real graphics card → the first WebLLM model;
 * else Chrome's built-in model when it is ready; else llama.cpp's Qwen2.5 0.5B (SmolLM2 360M
 * under 4 GB of memory); else transformers.js.
 */
export function recommend(options: EngineOption[], device: DeviceFacts): EngineOption[] {
  const pick = recommendedId(options, device);
  return options.map((o) => (o.id === pick ? { ...o, recommended: true } : o));
}

function recommendedId(options: EngineOption[], device: DeviceFacts): string | undefined {
  const offered = (id: string | undefined) => options.find((o) => o.id === id && o.state.kind !== 'unavailable')?.id;
  const small = device.deviceMemoryGiB !== undefined && device.deviceMemoryGiB < 4;
  if (realGpu(device)) {
    const gpu = options.filter((o) => o.kind === 'webllm' && o.state.kind !== 'unavailable');
    // A small-memory device gets the smallest of them (the list is ordered by preference).
    const first = small ? (gpu.find((o) => /0\.5B|360M/.test(o.id)) ?? gpu[0]) : gpu[0];
    if (first) return first.id;
  }
  if (device.promptApi === 'available') return 'prompt-api';
  if (device.wllamaSupported) {
    const qwen = PROCESSOR_MODELS[0]!.id;
    const smol = PROCESSOR_MODELS[1]!.id;
    return offered(small ? smol : qwen);
  }
  return offered('transformers:onnx-community/Qwen2.5-0.5B-Instruct');
}
