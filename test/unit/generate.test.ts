import type { ChatCompletionChunk, MLCEngineInterface } from '@mlc-ai/web-llm';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import {
  chooseWebLLMModels,
  GeneratorError,
  hostedModelRecords,
  smallerModel,
  WebLLMGenerator,
} from '../../src/core/generate/webllm';

/** An engine the test controls, typed against WebLLM's real interface. */
function fakeEngine(script: { tokens: string[]; failWith?: Error; failAfter?: number }) {
  let interrupted = false;
  const calls: unknown[] = [];
  const engine = {
    chat: {
      completions: {
        create: async (request: unknown) => {
          calls.push(request);
          interrupted = false;
          return (async function* (): AsyncGenerator<ChatCompletionChunk> {
            for (let i = 0; i < script.tokens.length; i++) {
              if (script.failWith && i === (script.failAfter ?? 0)) throw script.failWith;
              if (interrupted) {
                yield {
                  id: 'x',
                  object: 'chat.completion.chunk',
                  created: 0,
                  model: 'm',
                  choices: [{ index: 0, delta: {}, finish_reason: 'abort', logprobs: null }],
                } as ChatCompletionChunk;
                return;
              }
              await new Promise((r) => setTimeout(r, 1));
              yield {
                id: 'x',
                object: 'chat.completion.chunk',
                created: 0,
                model: 'm',
                choices: [
                  {
                    index: 0,
                    delta: { content: script.tokens[i] },
                    finish_reason: i === script.tokens.length - 1 ? 'stop' : null,
                    logprobs: null,
                  },
                ],
              } as ChatCompletionChunk;
            }
          })();
        },
      },
    },
    interruptGenerate: () => {
      interrupted = true;
    },
    unload: async () => {},
  } as unknown as MLCEngineInterface;
  return { engine, calls };
}

describe('WebLLM adapter (real @mlc-ai/web-llm types, engine controlled by the test)', () => {
  const count = async (t: string) => t.split(/\s+/).filter(Boolean).length;

  test('streams deltas and passes the request through the OpenAI-style API', async () => {
    const { engine, calls } = fakeEngine({ tokens: ['Sholes', ' patented', ' it', ' [1].'] });
    const gen = new WebLLMGenerator(engine, 'Llama-3.2-1B-Instruct-q4f32_1-MLC', 4096, count);
    const pieces: string[] = [];
    const out = await gen.generate([{ role: 'user', content: 'Who?' }], {
      maxNewTokens: 64,
      temperature: 0.2,
      onToken: (t) => pieces.push(t),
    });
    expect(out).toEqual({ text: 'Sholes patented it [1].', finishReason: 'stop' });
    expect(pieces).toEqual(['Sholes', ' patented', ' it', ' [1].']);
    expect(calls[0]).toMatchObject({
      stream: true,
      max_tokens: 64,
      temperature: 0.2,
      messages: [{ role: 'user', content: 'Who?' }],
    });
  });

  test('stop: an abort signal calls interruptGenerate and the answer ends as aborted', async () => {
    const { engine } = fakeEngine({ tokens: Array.from({ length: 50 }, (_, i) => ` w${i}`) });
    const gen = new WebLLMGenerator(engine, 'm', 4096, count);
    const controller = new AbortController();
    let n = 0;
    const out = await gen.generate([{ role: 'user', content: 'Go' }], {
      signal: controller.signal,
      onToken: () => ++n === 3 && controller.abort(),
    });
    expect(out.finishReason).toBe('aborted');
    expect(out.text).toBe(' w0 w1 w2');
  });

  test('a signal aborted before generation starts stops it at once', async () => {
    const { engine, calls } = fakeEngine({ tokens: ['never'] });
    const gen = new WebLLMGenerator(engine, 'm', 4096, count);
    const controller = new AbortController();
    controller.abort();
    expect(await gen.generate([{ role: 'user', content: 'x' }], { signal: controller.signal })).toEqual({
      text: '',
      finishReason: 'aborted',
    });
    expect(calls).toEqual([]);
  });

  test('device loss and out-of-memory become errors that offer a smaller model', async () => {
    const lost = Object.assign(new Error('Device was lost'), { name: 'DeviceLostError' });
    const small = prebuiltAppConfig.model_list.find((m) => m.model_id.startsWith('Qwen2.5-0.5B-Instruct-q4f32'))!;
    const a = new WebLLMGenerator(
      fakeEngine({ tokens: ['a', 'b'], failWith: lost, failAfter: 1 }).engine,
      'm',
      4096,
      count,
      small,
    );
    const err = await a.generate([{ role: 'user', content: 'x' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GeneratorError);
    expect(err).toMatchObject({ code: 'device-lost' });
    expect((err as GeneratorError).suggestion).toContain(small.model_id);
    const oom = new WebLLMGenerator(
      fakeEngine({ tokens: ['a'], failWith: new Error('Out of memory while allocating KV cache') }).engine,
      'm',
      4096,
      count,
    );
    expect(await oom.generate([{ role: 'user', content: 'x' }]).catch((e: unknown) => e)).toMatchObject({
      code: 'out-of-memory',
    });
  });

  test('model choice from the real prebuilt list follows the GPU: q4f16 only with shader-f16, buffers within limits', () => {
    const big = { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 };
    const f32 = chooseWebLLMModels(prebuiltAppConfig.model_list, { shaderF16: false, ...big });
    const f16 = chooseWebLLMModels(prebuiltAppConfig.model_list, { shaderF16: true, ...big });
    expect(f32.length).toBeGreaterThan(3);
    expect(f32.every((m) => m.model_id.includes('q4f32'))).toBe(true);
    expect(f16.every((m) => m.model_id.includes('q4f16'))).toBe(true);
    expect(f32[0]!.model_id).toMatch(/^Llama-3\.2-1B-Instruct-q4f32/);
    expect(f16[0]!.model_id).toMatch(/^Llama-3\.2-1B-Instruct-q4f16/);
    const tight = chooseWebLLMModels(prebuiltAppConfig.model_list, {
      shaderF16: false,
      maxStorageBufferBindingSize: 2 ** 27,
      maxBufferSize: 2 ** 28,
    });
    expect(tight.every((m) => (m.buffer_size_required_bytes ?? 0) <= 2 ** 27)).toBe(true);
    expect(tight.length).toBeLessThan(f32.length);
    const next = smallerModel(f32, f32[0]!.model_id)!;
    expect(next.vram_required_MB!).toBeLessThan(f32[0]!.vram_required_MB!);
  });

  test('self-hosting: the models the build hosts are offered, their code from the site with its recorded hash, weights from the model source', () => {
    const llama = prebuiltAppConfig.model_list.find((m) => m.model_id === 'Llama-3.2-1B-Instruct-q4f32_1-MLC')!;
    expect(llama.model_lib).toMatch(/^https:\/\/raw\.githubusercontent\.com\//); // what WebLLM would load by default
    const lib = llama.model_lib.split('/').pop()!;
    const libs = {
      webllm: '0.2.86',
      models: [
        {
          model_id: llama.model_id,
          model: llama.model,
          lib,
          integrity: 'sha256-AAAA',
          vram_required_MB: 1128,
          context_window_size: 4096,
        },
      ],
    };
    const [hosted, ...rest] = hostedModelRecords({ libFolder: 'https://folio.example/webllm/', libs });
    expect(rest).toEqual([]);
    expect(hosted!.model_lib).toBe(`https://folio.example/webllm/${lib}`);
    expect(hosted!.integrity).toEqual({ model_lib: 'sha256-AAAA' }); // WebLLM checks the library against it before running it
    expect(hosted!.model).toBe(llama.model); // weights from the hub by default
    const [mirrored] = hostedModelRecords({
      libFolder: '/webllm/',
      libs,
      weightsHost: 'https://folio.example/models/',
    });
    expect(mirrored!.model).toBe('https://folio.example/models/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC/resolve/main/');
    expect(
      hostedModelRecords({ libFolder: '/webllm/', libs: { webllm: '', models: [], missing: 'offline build' } }),
    ).toEqual([]);
  });
});
