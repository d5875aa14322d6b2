/**
 * The transformers.js worker's host (core/generate/transformersHost.ts), called as the page calls
 * it through Comlink, on the real stories260K model: what it answers with (the text, its pieces,
 * the run's figures), token counts from a tokenizer loaded alone (WebLLM's case), and calls
 * before anything is loaded.
 */
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, test } from 'vitest';
import { TransformersHost } from '../../src/core/generate/transformersHost';
import { MODELS_DIR } from '../../scripts/lib/paths';

describe('transformers.js host (real karpathy/stories260K)', () => {
  test('loads, streams an answer with the figures the benchmark reads, and is freed', async () => {
    const host = new TransformersHost();
    await expect(host.countTokens('Once upon a time')).rejects.toThrow('No model is loaded.');
    const info = await host.load({ model: 'karpathy/stories260K', localModelPath: MODELS_DIR, dtype: 'fp32' });
    expect(info).toEqual({ id: 'karpathy/stories260K', contextWindow: 512 });
    const pieces: string[] = [];
    const out = await host.generate([{ role: 'user', content: 'Once upon a time' }], { maxNewTokens: 16 }, (t) =>
      pieces.push(t),
    );
    expect(out.finishReason).toBe('length');
    expect(pieces.join('')).toBe(out.text);
    expect(out.tokens).toBe(16);
    expect(out.firstTokenMs).toBeGreaterThan(0);
    expect(out.ms).toBeGreaterThanOrEqual(out.firstTokenMs!);
    await host.dispose();
    expect(() => host.generate([{ role: 'user', content: 'again' }], {})).toThrow('No model is loaded.');
  });

  test('a tokenizer loaded alone counts as the model repo’s own tokenizer does, without special tokens', async () => {
    const host = new TransformersHost();
    await host.loadTokenizer('karpathy/stories260K', { localModelPath: MODELS_DIR });
    env.localModelPath = `${MODELS_DIR}/`;
    const hf = await AutoTokenizer.from_pretrained('karpathy/stories260K');
    const text = 'The little dog ran to the park, and it was happy.';
    expect(await host.countTokens(text)).toBe(hf.encode(text, { add_special_tokens: false }).length);
    expect(await host.countTokens(text)).toBeGreaterThan(5);
  });
});
