import { expect, test } from 'vitest';
import { newRecordedPage, openApp, useBrowser } from './chromium';

const withGpu = useBrowser({ webgpu: true });
const withoutGpu = useBrowser({ webgpu: false });

test('WebLLM models are offered by what the GPU supports: q4f32 without shader-f16, ~1B instruct first', async () => {
  const { context, page, requests } = await newRecordedPage(withGpu());
  await openApp(page);
  // WebLLM's code is not fetched until asked for.
  await page.getByRole('button', { name: 'Show models for my graphics card' }).waitFor({ timeout: 60_000 });
  const before = requests.length;
  await page.getByRole('button', { name: 'Show models for my graphics card' }).click();
  const select = page.getByLabel('Graphics-card model');
  await select.waitFor({ timeout: 60_000 });
  const hasF16 = await page.evaluate(async () => !!(await navigator.gpu.requestAdapter())?.features.has('shader-f16'));
  expect(hasF16).toBe(false); // SwiftShader here
  const options = await select.locator('option').allTextContents();
  expect(options.length).toBeGreaterThan(3);
  expect(options.every((o) => o.includes('q4f32'))).toBe(true);
  expect(options[0]).toMatch(/^Llama-3\.2-1B-Instruct-q4f32_1-MLC — needs \d+ MB/);
  expect(requests.length).toBeGreaterThan(before); // the WebLLM chunk arrived on demand
  await context.close();
});

test('without a WebGPU adapter, no WebLLM option is offered', async () => {
  const context = await withoutGpu().newContext();
  const page = await context.newPage();
  await openApp(page);
  await page.getByText('Best passages only').waitFor();
  await page.waitForTimeout(1000);
  expect(await page.getByLabel('Graphics-card model').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Show models for my graphics card' }).count()).toBe(0);
  await context.close();
});
