/**
 * The tokenizer inside a GGUF file, run the way llama.cpp runs it (src/llama-vocab.cpp), so the
 * prompt is fitted with the model's own token counts. wllama 3 no longer exposes llama.cpp's
 * tokenizer, and counting by running the model would cost as much as reading the prompt.
 * SentencePiece vocabularies ('llama') merge the best-scoring pair first; byte-level BPE ones
 * ('gpt2') split with the model's pre-tokenizer pattern and merge by rank.
 */
import type { GgufTokenizerData } from './gguf';

export interface GgufTokenizer {
  /** Token ids of `text`, without BOS/EOS. */
  encode(text: string): number[];
}

export function ggufTokenizer(data: GgufTokenizerData): GgufTokenizer {
  if (data.model === 'llama') return new SpmTokenizer(data);
  if (data.model === 'gpt2') return new BpeTokenizer(data);
  throw new Error(`tokenizer "${data.model}" is not supported`);
}

class SpmTokenizer implements GgufTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly byteIds: number[] = [];

  constructor(private readonly data: GgufTokenizerData) {
    data.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
    for (let b = 0; b < 256; b++)
      this.byteIds[b] = this.ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) ?? 0;
  }

  encode(text: string): number[] {
    if (!text) return [];
    const escaped = `${this.data.addSpacePrefix === false ? '' : ' '}${text}`.replace(/ /g, '\u2581');
    const scores = this.data.scores;
    // Symbols as a linked list over code points; bigrams in a max-heap by score (ties: leftmost).
    const sym = [...escaped];
    const n = sym.length;
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const heap = new Heap<{ left: number; right: number; score: number; text: string }>(
      (a, b) => a.score > b.score || (a.score === b.score && a.left < b.left),
    );
    const tryAdd = (l: number, r: number) => {
      if (l < 0 || r < 0) return;
      const t = sym[l]! + sym[r]!;
      const id = this.ids.get(t);
      if (id === undefined) return;
      heap.push({ left: l, right: r, score: scores?.[id] ?? 0, text: t });
    };
    for (let i = 1; i < n; i++) tryAdd(i - 1, i);
    while (heap.size) {
      const b = heap.pop()!;
      if (!sym[b.left] || !sym[b.right] || sym[b.left]! + sym[b.right]! !== b.text) continue;
      sym[b.left] = b.text;
      sym[b.right] = '';
      next[b.left] = next[b.right]!;
      if (next[b.right]! >= 0) prev[next[b.right]!] = b.left;
      tryAdd(prev[b.left]!, b.left);
      tryAdd(b.left, next[b.left]!);
    }
    const out: number[] = [];
    for (let i = 0; i !== -1; i = next[i]!) {
      const s = sym[i]!;
      if (!s) continue;
      const id = this.ids.get(s);
      if (id !== undefined) out.push(id);
      else for (const byte of new TextEncoder().encode(s)) out.push(this.byteIds[byte]!);
    }
    return out;
  }
}

const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
const LLAMA3_PATTERN =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_PATTERN =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** llama.cpp's pre-tokenizer patterns by `tokenizer.ggml.pre` (applied one after another). */
function prePatterns(pre: string | undefined): string[] {
  switch (pre) {
    case 'llama3':
    case 'llama-v3':
    case 'llama-bpe':
    case 'falcon3':
    case 'falcon-h1':
    case 'pixtral':
    case 'dbrx':
    case 'smaug-bpe':
    case 'chatglm-bpe':
    case 'lfm2':
      return [LLAMA3_PATTERN];
    case 'qwen2':
    case 'stablelm2':
    case 'hunyuan':
    case 'deepseek-r1-qwen':
    case 'megrez':
      return [QWEN2_PATTERN];
    case 'smollm':
    case 'starcoder':
    case 'refact':
    case 'command-r':
    case 'codeshell':
    case 'exaone':
    case 'minerva-7b':
      return ['\\p{N}', GPT2_PATTERN];
    case 'gpt-2':
    case 'mpt':
    case 'olmo':
    case 'jais':
    case 'trillion':
    case 'phi-2':
      return [GPT2_PATTERN];
    default:
      return ['[\\p{P}\\$\\+<=>\\^~\\|]+', GPT2_PATTERN, '\\p{N}+', '[0-9][0-9][0-9]'];
  }
}

/** GPT-2's byte → printable character table. */
const BYTE_CHARS: string[] = (() => {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const out: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  return out;
})();

class BpeTokenizer implements GgufTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly patterns: RegExp[];
  private readonly ignoreMerges: boolean;

  constructor(data: GgufTokenizerData) {
    data.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
    (data.merges ?? []).forEach((m, i) => this.ranks.set(m, i));
    this.patterns = prePatterns(data.pre).map((p) => new RegExp(p, 'gu'));
    this.ignoreMerges = ['llama3', 'llama-v3', 'llama-bpe', 'falcon3', 'pixtral'].includes(data.pre ?? '');
  }

  /** Each pattern splits the pieces of the previous one; text between matches is kept as pieces too. */
  private split(text: string): string[] {
    let pieces = [text];
    for (const re of this.patterns) {
      const out: string[] = [];
      for (const piece of pieces) {
        let last = 0;
        for (const m of piece.matchAll(re)) {
          if (m.index! > last) out.push(piece.slice(last, m.index));
          if (m[0]) out.push(m[0]);
          last = m.index! + m[0].length;
        }
        if (last < piece.length) out.push(piece.slice(last));
      }
      pieces = out;
    }
    return pieces;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    const encoder = new TextEncoder();
    for (const piece of this.split(text)) {
      const word = Array.from(encoder.encode(piece), (b) => BYTE_CHARS[b]!).join('');
      const whole = this.ids.get(word);
      if (this.ignoreMerges && whole !== undefined) {
        out.push(whole);
        continue;
      }
      for (const part of this.merge([...word])) {
        const id = this.ids.get(part);
        if (id !== undefined) out.push(id);
        else for (const ch of part) out.push(this.ids.get(ch) ?? 0);
      }
    }
    return out;
  }

  private merge(syms: string[]): string[] {
    while (syms.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < syms.length; i++) {
        const rank = this.ranks.get(`${syms[i]} ${syms[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      syms.splice(best, 2, syms[best]! + syms[best + 1]!);
    }
    return syms;
  }
}

/** A binary heap; `before(a, b)` says a comes out first. */
class Heap<T> {
  private items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
