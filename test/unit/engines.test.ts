/// <reference types="dom-chromium-ai" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { catalogueOptions, type DeviceFacts } from '../../src/core/generate/catalogue';
import { ggufTokenizer } from '../../src/core/generate/ggufTokenizer';
import { createPromptApiGenerator, PromptApiGenerator } from '../../src/core/generate/promptApi';
import { FIXTURES_DIR } from '../../scripts/lib/paths';

describe('byte-level BPE (Qwen2-style pre-tokenizer), against Hugging Face tokenizers.js on the same vocabulary', () => {
  /** GPT-2's byte → character table, as both implementations use it. */
  const byteChars = (() => {
    const keep = new Set<number>();
    for (const [a, b] of [
      [33, 126],
      [161, 172],
      [174, 255],
    ] as const)
      for (let x = a; x <= b; x++) keep.add(x);
    let extra = 0;
    return Array.from({ length: 256 }, (_, x) => String.fromCodePoint(keep.has(x) ? x : 256 + extra++));
  })();
  const QWEN2 =
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** A small vocabulary learnt from a fixture by plain BPE training (merge the most frequent pair, 400 times). */
  function train(text: string) {
    const words = new Map<string, number>();
    for (const m of text.matchAll(new RegExp(QWEN2, 'gu'))) {
      const w = Array.from(new TextEncoder().encode(m[0]), (b) => byteChars[b]!).join(' ');
      words.set(w, (words.get(w) ?? 0) + 1);
    }
    const merges: string[] = [];
    let seqs = [...words].map(([w, n]) => [w.split(' '), n] as [string[], number]);
    for (let k = 0; k < 400; k++) {
      const pairs = new Map<string, number>();
      for (const [syms, n] of seqs)
        for (let i = 0; i + 1 < syms.length; i++)
          pairs.set(`${syms[i]} ${syms[i + 1]}`, (pairs.get(`${syms[i]} ${syms[i + 1]}`) ?? 0) + n);
      const best = [...pairs].sort((a, b) => b[1] - a[1])[0];
      if (!best || best[1] < 2) break;
      merges.push(best[0]);
      const [a, b] = best[0].split(' ') as [string, string];
      seqs = seqs.map(([syms, n]) => {
        const out: string[] = [];
        for (let i = 0; i < syms.length; i++) {
          if (syms[i] === a && syms[i + 1] === b) {
            out.push(a + b);
            i++;
          } else out.push(syms[i]!);
        }
        return [out, n];
      });
    }
    const tokens = [...byteChars, ...merges.map((m) => m.replace(' ', ''))].filter((t, i, all) => all.indexOf(t) === i);
    return { tokens, merges };
  }

  test('token for token on other text than it was trained on', async () => {
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const { tokens, merges } = train(fs.readFileSync(path.join(FIXTURES_DIR, 'md/wiki-ibm.md'), 'utf8'));
    const ours = ggufTokenizer({ model: 'gpt2', pre: 'qwen2', tokens, merges });
    const hf = new Tokenizer(
      {
        model: {
          type: 'BPE',
          vocab: Object.fromEntries(tokens.map((t, i) => [t, i])),
          merges,
          byte_fallback: false,
          ignore_merges: false,
        },
        normalizer: null,
        pre_tokenizer: {
          type: 'Sequence',
          pretokenizers: [
            { type: 'Split', pattern: { Regex: QWEN2 }, behavior: 'Isolated', invert: false },
            { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
          ],
        },
        post_processor: null,
        decoder: { type: 'ByteLevel' },
        added_tokens: [],
      },
      {},
    );
    const samples = [
      fs.readFileSync(path.join(FIXTURES_DIR, 'txt/war-and-peace-1p.txt'), 'utf8'),
      'IBM’s 1,234,567 units in 2024 — “quoted”\n\n  indented\ttabs; émigré naïve 日本語 🎉',
    ];
    for (const text of samples) expect(ours.encode(text)).toEqual(hf.encode(text, { add_special_tokens: false }).ids);
  });
});

describe('the menu for a device', () => {
  const webllm = [
    {
      model_id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
      model: 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC',
      lib: 'a.wasm',
      integrity: 'sha256-x',
      vram_required_MB: 879,
      context_window_size: 4096,
      required_features: ['shader-f16'],
      weightsBytes: 700_000_000,
    },
    {
      model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC',
      model: 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC',
      lib: 'b.wasm',
      integrity: 'sha256-y',
      vram_required_MB: 1128,
      context_window_size: 4096,
    },
    {
      model_id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      lib: 'c.wasm',
      integrity: 'sha256-z',
      vram_required_MB: 944,
      context_window_size: 4096,
    },
  ];
  const gpu = { fallback: false, shaderF16: true, maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 };
  const base: DeviceFacts = { gpu, deviceMemoryGiB: 8, cores: 8, wllamaSupported: true, promptApi: 'unavailable' };
  const recommended = (d: DeviceFacts, o: Partial<Parameters<typeof catalogueOptions>[1]> = {}) =>
    catalogueOptions(d, { webllm, testModels: false, ...o })
      .filter((x) => x.recommended)
      .map((x) => x.id);

  test('recommends by device: a real GPU → WebLLM (q4f16 with shader-f16), software GPU → llama.cpp, small memory → the smallest, built-in model when ready', () => {
    expect(recommended(base)).toEqual(['webllm:Llama-3.2-1B-Instruct-q4f16_1-MLC']);
    expect(recommended({ ...base, deviceMemoryGiB: 2 })).toEqual(['webllm:Qwen2.5-0.5B-Instruct-q4f16_1-MLC']);
    expect(recommended({ ...base, gpu: { ...gpu, fallback: true } })).toEqual([
      'wllama:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    ]);
    expect(recommended({ ...base, gpu: null, deviceMemoryGiB: 2 })).toEqual([
      'wllama:HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/smollm2-360m-instruct-q8_0.gguf',
    ]);
    expect(recommended({ ...base, gpu: null, promptApi: 'available' })).toEqual(['prompt-api']);
    expect(recommended({ ...base, gpu: null, wllamaSupported: false })).toEqual([
      'transformers:onnx-community/Qwen2.5-0.5B-Instruct',
    ]);
  });

  test('what cannot run says why; test models only where the build serves them; sizes and notes on every download', () => {
    const noF16 = catalogueOptions({ ...base, gpu: { ...gpu, shaderF16: false } }, { webllm, testModels: false });
    expect(noF16.filter((o) => o.kind === 'webllm').map((o) => o.id)).toEqual([
      'webllm:Llama-3.2-1B-Instruct-q4f32_1-MLC',
    ]);
    const offline = catalogueOptions(base, {
      webllm: [],
      webllmMissing:
        'its WebLLM model libraries could not be downloaded when this copy of Folio was built (fetch failed)',
      testModels: false,
    });
    expect(offline.find((o) => o.kind === 'webllm')!.state).toEqual({
      kind: 'unavailable',
      reason:
        'WebLLM models are missing: its WebLLM model libraries could not be downloaded when this copy of Folio was built (fetch failed).',
    });
    const old = catalogueOptions({ ...base, wllamaSupported: false }, { webllm, testModels: false });
    expect(
      old
        .filter((o) => o.kind === 'wllama')
        .every((o) => o.state.kind === 'unavailable' && /64-bit memory/.test(o.state.reason)),
    ).toBe(true);
    expect(catalogueOptions(base, { webllm, testModels: false }).some((o) => o.id.includes('stories260K'))).toBe(false);
    expect(
      catalogueOptions(base, { webllm, testModels: true })
        .filter((o) => o.id.includes('stories260K'))
        .map((o) => o.kind),
    ).toEqual(['wllama', 'transformers']);
    // Chrome's model: not listed where the browser has no Prompt API; listed with the reason where Chrome says 'unavailable'.
    expect(
      catalogueOptions({ ...base, promptApi: 'absent' }, { webllm, testModels: false }).some(
        (o) => o.kind === 'prompt-api',
      ),
    ).toBe(false);
    expect(catalogueOptions(base, { webllm, testModels: false }).filter((o) => o.kind === 'prompt-api')).toEqual([
      expect.objectContaining({
        id: 'prompt-api',
        group: 'built-in',
        state: {
          kind: 'unavailable',
          reason: expect.stringMatching(/^Chrome says its built-in model cannot run on this device\. It needs .*22 GB/),
        },
      }),
    ]);
    // The transformers.js model's size is its weights for the device: q8 on the processor, q4f16 on a graphics card.
    const onnxSize = (d: DeviceFacts) =>
      catalogueOptions(d, { webllm, testModels: false }).find(
        (o) => o.id === 'transformers:onnx-community/Qwen2.5-0.5B-Instruct',
      )!.sizeBytes;
    expect([onnxSize({ ...base, gpu: null }), onnxSize(base)]).toEqual([512_096_557, 483_003_582]);
    for (const o of catalogueOptions(base, { webllm, testModels: false }).filter(
      (x) => x.state.kind === 'not-downloaded' && x.kind !== 'prompt-api',
    )) {
      expect(o.note.length).toBeGreaterThan(10);
      if (o.kind !== 'webllm' || o.id.startsWith('webllm:Llama')) expect(o.sizeBytes).toBeGreaterThan(0);
    }
  });
});

describe('Chrome’s Prompt API adapter (an object with the spec’s shape, controlled by the test)', () => {
  /** A session that streams `words` and records what it was given. */
  function standIn(words: string[], opts: { legacy?: boolean } = {}) {
    const log = { prompts: [] as unknown[], destroyed: 0, created: [] as unknown[] };
    class Session extends EventTarget {
      contextWindow = opts.legacy ? undefined : 2048;
      inputQuota = opts.legacy ? 1536 : undefined;
      measureContextUsage = opts.legacy ? undefined : async (s: string) => s.length;
      measureInputUsage = opts.legacy ? async (s: string) => s.length * 2 : undefined;
      async clone() {
        return new Session();
      }
      destroy() {
        log.destroyed++;
      }
      promptStreaming(input: unknown, o: { signal?: AbortSignal } = {}) {
        log.prompts.push(input);
        let i = 0;
        return new ReadableStream<string>({
          async pull(c) {
            await new Promise((r) => setTimeout(r, 5));
            if (o.signal?.aborted) return c.error(new DOMException('The operation was aborted.', 'AbortError'));
            if (i < words.length) c.enqueue(words[i++]!);
            else c.close();
          },
        });
      }
    }
    const factory = {
      availability: async () => 'downloadable' as Availability,
      async create(options: LanguageModelCreateOptions = {}) {
        log.created.push({ expectedInputs: options.expectedInputs });
        const monitor = new EventTarget();
        options.monitor?.(monitor as CreateMonitor);
        for (const loaded of [0, 0.25, 1])
          monitor.dispatchEvent(Object.assign(new Event('downloadprogress'), { loaded, total: 1 }));
        return new Session() as unknown as LanguageModel;
      },
    };
    return { factory, log };
  }

  test('downloads with progress, streams the answer, counts with measureContextUsage, and ends each answer’s session', async () => {
    const { factory, log } = standIn(['The ', 'answer ', 'is ', '42 [1].']);
    const progress: number[] = [];
    const gen = await createPromptApiGenerator(factory, { onProgress: (f) => progress.push(f) });
    expect(progress).toEqual([0, 0.25, 1]);
    const pieces: string[] = [];
    const messages = [
      { role: 'system' as const, content: 'Answer from the sources.' },
      { role: 'user' as const, content: 'Sources: … Question: ?' },
    ];
    const r = await gen.generate(messages, { onToken: (t) => pieces.push(t) });
    expect(r).toEqual({ text: 'The answer is 42 [1].', finishReason: 'stop' });
    expect(pieces).toEqual(['The ', 'answer ', 'is ', '42 [1].']);
    expect(log.prompts).toEqual([messages]); // system first, as the spec requires
    expect(log.destroyed).toBe(1);
    expect(await gen.countTokens('abcd')).toBe(4);
    expect(gen.contextWindow).toBe(2048);
    expect(log.created).toEqual([{ expectedInputs: [{ type: 'text', languages: ['en'] }] }]);
  });

  test('Stop through an AbortSignal ends the stream and the answer as aborted', async () => {
    const { factory } = standIn(Array.from({ length: 50 }, (_, i) => `w${i} `));
    const gen = await createPromptApiGenerator(factory);
    const controller = new AbortController();
    const pieces: string[] = [];
    const r = await gen.generate([{ role: 'user', content: 'go' }], {
      signal: controller.signal,
      onToken: (t) => {
        pieces.push(t);
        if (pieces.length === 3) controller.abort();
      },
    });
    expect(r.finishReason).toBe('aborted');
    expect(pieces.length).toBeLessThan(6);
    expect(r.text).toBe(pieces.join(''));
  });

  test('older Chrome builds: measureInputUsage and inputQuota are used when the new names are missing', async () => {
    const { factory } = standIn(['ok']);
    const gen = (await createPromptApiGenerator(factory)) as PromptApiGenerator;
    const legacy = new PromptApiGenerator((await standIn(['x'], { legacy: true }).factory.create()) as never);
    expect(gen.contextWindow).toBe(2048);
    expect(legacy.contextWindow).toBe(1536);
    expect(await legacy.countTokens('abc')).toBe(6);
  });
});
