import { expect, test } from 'vitest';
import { openHarness, useBrowser } from './chromium';

const browser = useBrowser();

/**
 * The approximate vector search in the browser's own WebAssembly: Chromium compiles relaxed SIMD,
 * which Node 20 does not without a flag, so the estimate the app runs is only exercised here.
 */
test('approximate vector search in Chromium: relaxed-SIMD kernels, recall@10 ≥ 0.99 near and off-distribution', async () => {
  const h = await openHarness(browser());
  const r = await h.page.evaluate(() => window.folio.vectorRecall(20_000));
  console.log(JSON.stringify(r));
  expect(r.size).toBe(20_000);
  expect(r.kernels).toBe('relaxed-simd');
  expect(r.near.recall).toBeGreaterThanOrEqual(0.99);
  expect(r.off.recall).toBeGreaterThanOrEqual(0.99);
  // The estimate chose: near queries score a few hundred rows of 20,000 from their int8 codes.
  expect(r.near.scored).toBeLessThan(2_000);
  await h.context.close();
}, 180_000);
