import { expect, test } from 'vitest';
import { gotoHarness, newRecordedPage, openHarness, useBrowser } from './chromium';

const withGpu = useBrowser({ webgpu: true });
const withoutGpu = useBrowser({ webgpu: false });

test('WebLLM models are offered by what the GPU supports (q4f32 without shader-f16, ~1B instruct first); a software adapter is not recommended; no WebLLM code is fetched to list them', async () => {
  const { context, page, requests } = await newRecordedPage(withGpu());
  await gotoHarness(page);
  const { list, adapter } = await page.evaluate(async () => {
    const a = await navigator.gpu.requestAdapter();
    return {
      list: await (await window.folio.engines.openEngines()).list(),
      adapter: {
        f16: !!a?.features.has('shader-f16'),
        fallback: !!(a?.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter,
      },
    };
  });
  expect(adapter).toEqual({ f16: false, fallback: true }); // SwiftShader here
  const webllm = list.filter((o) => o.kind === 'webllm');
  expect(webllm.length).toBeGreaterThan(3);
  expect(webllm.every((o) => o.group === 'gpu' && o.id.includes('q4f32') && o.state.kind === 'not-downloaded')).toBe(
    true,
  );
  expect(webllm[0]!.id).toBe('webllm:Llama-3.2-1B-Instruct-q4f32_1-MLC');
  expect(webllm[0]!.note).toMatch(/software renderer: very slow \(needs \d+ MB\)/);
  // Software WebGPU counts as no GPU: the processor model is the one recommended.
  expect(list.filter((o) => o.recommended).map((o) => o.id)).toEqual([
    'wllama:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
  ]);
  expect(requests.filter((u) => /assets\/webllm/.test(u))).toEqual([]);
  await context.close();
});

test('without a WebGPU adapter, the menu says why there are no WebLLM models', async () => {
  const { context, page } = await openHarness(withoutGpu());
  const list = await page.evaluate(async () => (await window.folio.engines.openEngines()).list());
  expect(list.filter((o) => o.kind === 'webllm')).toEqual([
    expect.objectContaining({
      id: 'webllm',
      state: {
        kind: 'unavailable',
        reason:
          'This browser has no WebGPU, which the graphics-card models need. The processor models below work here.',
      },
    }),
  ]);
  await context.close();
});
