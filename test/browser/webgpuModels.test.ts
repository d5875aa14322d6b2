import { expect, test } from 'vitest';
import { newRecordedPage, openApp, openEngines, useBrowser } from './chromium';

const withGpu = useBrowser({ webgpu: true });
const withoutGpu = useBrowser({ webgpu: false });

test('the engines menu offers WebLLM models by what the GPU supports: q4f32 without shader-f16, ~1B instruct first and recommended', async () => {
  const { context, page } = await newRecordedPage(withGpu());
  await openApp(page);
  const hasF16 = await page.evaluate(async () => !!(await navigator.gpu.requestAdapter())?.features.has('shader-f16'));
  expect(hasF16).toBe(false); // SwiftShader here
  const menu = await openEngines(page);
  const gpu = menu.getByRole('region', { name: 'Graphics card' }).getByRole('listitem');
  await expect.poll(() => gpu.count(), { timeout: 60_000 }).toBeGreaterThan(3);
  const rows = await gpu.allTextContents();
  expect(rows.every((r) => /\(q4f32[,)]/.test(r))).toBe(true);
  expect(rows[0]).toMatch(/^Llama 3\.2 1B Instruct \(q4f32\)Recommended/);
  expect(rows[0]).toMatch(/needs about \d\.\d GB of graphics memory/);
  // Nothing is downloaded until asked: each offers Download.
  expect(await gpu.first().getByRole('button', { name: /^Download Llama 3\.2 1B/ }).count()).toBe(1);
  await context.close();
});

test('without a WebGPU adapter, graphics-card models are listed as unable to run here, and say why', async () => {
  const context = await withoutGpu().newContext();
  const page = await context.newPage();
  await openApp(page);
  const menu = await openEngines(page);
  const group = menu.getByRole('region', { name: 'Graphics card' });
  expect(await group.textContent()).toContain("Can't run here: Needs a graphics card this browser can use (WebGPU)");
  expect(await group.getByRole('button').count()).toBe(0);
  // Passages only is in use, and the processor model is the one recommended.
  expect(await menu.getByRole('region', { name: 'Instant' }).getByText('In use').count()).toBeGreaterThan(0);
  expect(await menu.getByRole('region', { name: 'Processor' }).getByRole('listitem').first().textContent()).toMatch(/Qwen2\.5 0\.5B InstructRecommended496 MB/);
  await context.close();
});
