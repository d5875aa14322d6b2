/// <reference types="dom-chromium-ai" />
import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkComplete, GgufError, memoryNeeded, readGguf } from '../../src/core/generate/gguf';
import { ggufTokenizer, type GgufTokenizer } from '../../src/core/generate/ggufTokenizer';
import { buildAnswerMessages } from '../../src/core/generate/prompt';
import { plainTranscript } from '../../src/core/generate/prompt';
import { promptWindow } from '../../src/core/generate/wllama';
import { FIXTURES_DIR, MODELS_DIR } from '../../scripts/lib/paths';

const STORIES = path.join(MODELS_DIR, 'karpathy/stories260K');
const gguf = (name: string) => new Blob([fs.readFileSync(path.join(STORIES, name))]);

/** A minimal GGUF v3 header (no tensors) with the given string and u32 metadata. */
function ggufHeader(meta: Record<string, string | number>): Blob {
  const parts: Buffer[] = [];
  const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
  const u64 = (n: number) => Buffer.from(new BigUint64Array([BigInt(n)]).buffer);
  const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  parts.push(Buffer.from('GGUF'), u32(3), u64(0), u64(Object.keys(meta).length));
  for (const [k, v] of Object.entries(meta))
    parts.push(str(k), typeof v === 'string' ? Buffer.concat([u32(8), str(v)]) : Buffer.concat([u32(4), u32(v)]));
  return new Blob(parts.map((b) => new Uint8Array(b)));
}

describe('GGUF header (real stories260K files)', () => {
  test('architecture, quantisation, context length, chat template and the size the file must have', async () => {
    for (const [file, quant] of [
      ['stories260K-f32.gguf', 'F32'],
      ['stories260K-q8_0.gguf', 'Q8_0'],
    ] as const) {
      const blob = gguf(file);
      const info = await readGguf(blob);
      expect(info).toMatchObject({
        version: 3,
        architecture: 'llama',
        name: 'stories260K',
        quantization: quant,
        contextLength: 512,
        blockCount: 5,
        parameterCount: 260032,
      });
      expect(info.chatTemplate).toBeUndefined();
      expect(info.expectedBytes).toBe(blob.size);
      expect(() => checkComplete(info, blob.size)).not.toThrow();
      expect(info.tokenizer).toBeUndefined(); // only read when asked for
    }
  });

  test('a cut-off file, a file ending inside its header, and files that are not GGUF are told apart', async () => {
    const whole = gguf('stories260K-f32.gguf');
    const info = await readGguf(whole.slice(0, 500_000));
    expect(() => checkComplete(info, 500_000)).toThrow(/incomplete \(47% of it is there\)/);
    await expect(readGguf(whole.slice(0, 3000))).rejects.toMatchObject({ problem: 'truncated' });
    await expect(
      readGguf(new Blob([fs.readFileSync(path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'))])),
    ).rejects.toMatchObject({ problem: 'not-gguf', message: 'it is not a GGUF model file' });
    await expect(readGguf(new Blob(['GG']))).rejects.toBeInstanceOf(GgufError);
  });

  test('an architecture llama.cpp does not know, and a model that does not write text, are refused with the reason', async () => {
    await expect(readGguf(ggufHeader({ 'general.architecture': 'mystery9' }))).rejects.toMatchObject({
      problem: 'unknown-architecture',
      message: 'its architecture "mystery9" is not one the llama.cpp in Folio can run',
    });
    await expect(readGguf(ggufHeader({ 'general.architecture': 'clip' }))).rejects.toMatchObject({
      problem: 'not-a-language-model',
    });
    const chat = await readGguf(
      ggufHeader({
        'general.architecture': 'qwen2',
        'qwen2.context_length': 32768,
        'general.file_type': 15,
        'tokenizer.chat_template': '{% for m in messages %}{{ m.content }}{% endfor %}',
      }),
    );
    expect(chat).toMatchObject({
      architecture: 'qwen2',
      contextLength: 32768,
      quantization: 'Q4_K_M',
      chatTemplate: expect.stringContaining('messages'),
    });
    const part = await readGguf(ggufHeader({ 'general.architecture': 'llama', 'split.count': 3, 'split.no': 0 }));
    expect(part.split).toEqual({ no: 1, count: 3 });
  });

  test('memory needed: weights plus the KV cache for the context', async () => {
    const info = await readGguf(gguf('stories260K-f32.gguf'));
    // 512 tokens × 5 layers × 4 KV heads × (8 + 8) dims × 2 bytes = 327,680 bytes of cache.
    expect(memoryNeeded(info, 1_054_784, 512)).toBe(1_054_784 + 327_680 + 64 * 2 ** 20);
  });
});

describe('prompt fitting with the GGUF’s own tokenizer', () => {
  let gguTok: GgufTokenizer;
  let hf: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  beforeAll(async () => {
    gguTok = ggufTokenizer((await readGguf(gguf('stories260K-f32.gguf'), { withTokenizer: true })).tokenizer!);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = `${MODELS_DIR}/`;
    hf = await AutoTokenizer.from_pretrained('karpathy/stories260K');
  });
  const texts = () => [
    'Once upon a time',
    'Hello  world\n\nUser: hi there!',
    fs.readFileSync(path.join(FIXTURES_DIR, 'txt/war-and-peace-1p.txt'), 'utf8'),
    fs.readFileSync(path.join(FIXTURES_DIR, 'md/wiki-ibm.md'), 'utf8').slice(0, 6000),
    'Ünïcödé — “quotes” 日本語 🎉 tabs\tand  spaces   ',
  ];

  test('counts token for token as the model’s tokenizer.json (SentencePiece, byte fallback)', () => {
    for (const t of texts()) expect(gguTok.encode(t)).toEqual(hf.encode(t, { add_special_tokens: false }));
  });

  test('the answer prompt built for a 512-token window fits it, counted over the transcript llama.cpp reads', async () => {
    const doc = fs.readFileSync(path.join(FIXTURES_DIR, 'txt/war-and-peace-1p.txt'), 'utf8');
    const passages = Array.from({ length: 8 }, (_, i) => ({
      docName: `part-${i}.txt`,
      text: doc.slice(i * 300, i * 300 + 600),
    }));
    const history = [
      { role: 'user' as const, content: 'Who is Anna Pavlovna?' },
      { role: 'assistant' as const, content: 'A maid of honour to the Empress [1].' },
    ];
    const countTokens = async (s: string) => gguTok.encode(s).length;
    // The wllama generator tells the pipeline its context less a margin for the transcript's labels.
    const { messages, passagesUsed } = await buildAnswerMessages({
      question: 'What does the prince say about Genoa and Lucca?',
      passages,
      history,
      contextWindow: promptWindow(512),
      answerTokens: 128,
      countTokens,
    });
    expect(passagesUsed).toBeGreaterThan(0);
    expect(passagesUsed).toBeLessThan(passages.length); // eight 600-character passages do not fit
    // What llama.cpp actually reads: BOS + the plain transcript (stories260K has no chat template).
    const prompt = 1 + gguTok.encode(plainTranscript(messages)).length;
    expect(prompt + 128).toBeLessThanOrEqual(512);
  });
});
