/**
 * Reads the header of a GGUF file (llama.cpp's model format): what the model is, how it is
 * quantised, how long its context is, whether it carries a chat template, and the tokenizer it was
 * trained with. Only the header is read, in slices, so checking a 4 GB file costs a few MB of reads.
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */

export type GgufProblem =
  | 'not-gguf'
  | 'truncated'
  | 'unsupported-version'
  | 'corrupt'
  | 'unknown-architecture'
  | 'not-a-language-model';

export class GgufError extends Error {
  constructor(
    readonly problem: GgufProblem,
    message: string,
  ) {
    super(message);
    this.name = 'GgufError';
  }
}

export interface GgufTokenizerData {
  /** 'llama' (SentencePiece), 'gpt2' (byte-level BPE), … */
  model: string;
  /** Pre-tokenizer name for BPE vocabularies ('qwen2', 'llama-bpe', 'smollm', …). */
  pre?: string;
  tokens: string[];
  scores?: Float32Array;
  types?: Int32Array;
  merges?: string[];
  bos?: number;
  eos?: number;
  addBos?: boolean;
  addSpacePrefix?: boolean;
}

export interface GgufInfo {
  version: number;
  architecture: string;
  name?: string;
  /** The quantisation people recognise, e.g. 'Q4_K_M' (from general.file_type, else the most common tensor type). */
  quantization: string;
  /** Tokens the model was trained to attend to. */
  contextLength?: number;
  chatTemplate?: string;
  blockCount?: number;
  embeddingLength?: number;
  headCount?: number;
  headCountKv?: number;
  keyLength?: number;
  valueLength?: number;
  tensorCount: number;
  parameterCount: number;
  /** Bytes of the header; tensor data starts here. */
  dataOffset: number;
  /** Bytes the complete file has; undefined when a tensor type is unknown to this reader. */
  expectedBytes?: number;
  /** Part `no` (1-based) of `count` for files split with llama-gguf-split. */
  split?: { no: number; count: number };
  tokenizer?: GgufTokenizerData;
}

/** Text-generation architectures llama.cpp knows (src/llama-arch.cpp); embedding-only and vision-projector ones are left out. */
export const LLAMA_CPP_ARCHITECTURES = new Set(
  (
    'llama llama4 deci falcon grok gpt2 gptj gptneox mpt baichuan starcoder refact bloom stablelm qwen qwen2 qwen2moe qwen2vl qwen3 qwen3moe ' +
    'qwen3next qwen3vl qwen3vlmoe qwen35 qwen35moe phi2 phi3 phimoe plamo plamo2 plamo3 codeshell orion internlm2 minicpm minicpm3 gemma gemma2 ' +
    'gemma3 gemma3n gemma4 starcoder2 mamba mamba2 jamba falcon-h1 xverse command-r cohere2 cohere2moe dbrx olmo olmo2 olmoe openelm arctic ' +
    'deepseek deepseek2 deepseek32 deepseek4 chatglm glm4 glm4moe bitnet t5 jais jais2 nemotron nemotron_h nemotron_h_moe exaone exaone4 ' +
    'exaone-moe rwkv6 rwkv6qwen2 rwkv7 arwkv7 granite granitemoe granitehybrid chameleon plm bailingmoe bailingmoe2 dots1 arcee afmoe ernie4_5 ' +
    'ernie4_5-moe hunyuan-moe hunyuan-dense smollm3 gpt-oss lfm2 lfm2moe smallthinker seed_oss grovemoe apertus minimax-m2 mistral3 mistral4 ' +
    'mimo2 step35 maincoder kimi-linear mellum'
  ).split(' '),
);

/** Architectures llama.cpp knows that do not write text (embedding models, vision projectors). */
const NOT_GENERATIVE = new Set(
  'clip bert modern-bert nomic-bert nomic-bert-moe neo-bert jina-bert-v2 jina-bert-v3 eurobert t5encoder wavtokenizer-dec gemma-embedding llama-embed pangu-embedded'.split(
    ' ',
  ),
);

/** ggml tensor types: [elements per block, bytes per block] (ggml/src/ggml.c type_traits). */
const GGML_TYPES: Record<number, [string, number, number]> = {
  0: ['F32', 1, 4],
  1: ['F16', 1, 2],
  2: ['Q4_0', 32, 18],
  3: ['Q4_1', 32, 20],
  6: ['Q5_0', 32, 22],
  7: ['Q5_1', 32, 24],
  8: ['Q8_0', 32, 34],
  9: ['Q8_1', 32, 36],
  10: ['Q2_K', 256, 84],
  11: ['Q3_K', 256, 110],
  12: ['Q4_K', 256, 144],
  13: ['Q5_K', 256, 176],
  14: ['Q6_K', 256, 210],
  15: ['Q8_K', 256, 292],
  16: ['IQ2_XXS', 256, 66],
  17: ['IQ2_XS', 256, 74],
  18: ['IQ3_XXS', 256, 98],
  19: ['IQ1_S', 256, 50],
  20: ['IQ4_NL', 32, 18],
  21: ['IQ3_S', 256, 110],
  22: ['IQ2_S', 256, 82],
  23: ['IQ4_XS', 256, 136],
  24: ['I8', 1, 1],
  25: ['I16', 1, 2],
  26: ['I32', 1, 4],
  27: ['I64', 1, 8],
  28: ['F64', 1, 8],
  29: ['IQ1_M', 256, 56],
  30: ['BF16', 1, 2],
  34: ['TQ1_0', 256, 54],
  35: ['TQ2_0', 256, 66],
  39: ['MXFP4', 32, 17],
};

/** general.file_type (llama.h llama_ftype). */
const FILE_TYPES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4_MOE',
};

const MAGIC = 0x46554747; // "GGUF" little-endian
const CHUNK = 1 << 20;
const MAX_STRING = 64 << 20;
const MAX_COUNT = 1 << 28;

/** Anything with `size` and `slice().arrayBuffer()`: a File or Blob in the browser, a Blob in Node. */
export interface ByteSource {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Sequential little-endian reads over a Blob, a megabyte slice at a time. */
class Reader {
  private buf = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);
  private start = 0; // file offset of buf[0]
  private at = 0; // index into buf
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly src: ByteSource) {}

  get offset(): number {
    return this.start + this.at;
  }

  /** Makes `n` bytes readable; past the end of the file that is a truncated header. */
  async need(n: number): Promise<void> {
    if (this.at + n <= this.buf.length) return;
    const from = this.offset;
    if (from + n > this.src.size) throw new GgufError('truncated', 'the file ends inside its header');
    const to = Math.min(this.src.size, from + Math.max(n, CHUNK));
    this.buf = new Uint8Array(await this.src.slice(from, to).arrayBuffer());
    this.view = new DataView(this.buf.buffer);
    this.start = from;
    this.at = 0;
  }

  u8(): number {
    return this.buf[this.at++]!;
  }
  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.at, true);
    this.at += 4;
    return v;
  }
  f32(): number {
    const v = this.view.getFloat32(this.at, true);
    this.at += 4;
    return v;
  }
  /** 64-bit counts and offsets; anything past 2^53 is a corrupt header, not a real file. */
  u64(): number {
    const v = this.view.getBigUint64(this.at, true);
    this.at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError('corrupt', 'its header holds an impossible number');
    return Number(v);
  }

  async str(): Promise<string> {
    await this.need(8);
    const len = this.u64();
    if (len > MAX_STRING) throw new GgufError('corrupt', 'its header holds an impossibly long text');
    await this.need(len);
    const s = this.decoder.decode(this.buf.subarray(this.at, this.at + len));
    this.at += len;
    return s;
  }
}

type Value = number | bigint | boolean | string | Value[] | Float32Array | Int32Array;
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

async function readValue(r: Reader, type: number, key: string): Promise<Value> {
  if (type === 8) return r.str();
  if (type === 9) {
    await r.need(12);
    const itemType = r.u32();
    const count = r.u64();
    if (count > MAX_COUNT) throw new GgufError('corrupt', `its header holds an impossibly long list (${key})`);
    // Token scores and types are long numeric lists: keep them as typed arrays.
    if (itemType === 6 || itemType === 5) {
      const out = itemType === 6 ? new Float32Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) {
        await r.need(4);
        out[i] = itemType === 6 ? r.f32() : r.i32();
      }
      return out;
    }
    const out: Value[] = [];
    for (let i = 0; i < count; i++) out.push(await readValue(r, itemType, key));
    return out;
  }
  const size = SCALAR_BYTES[type];
  if (size === undefined) throw new GgufError('corrupt', `its header holds a value of unknown type ${type} (${key})`);
  await r.need(size);
  switch (type) {
    case 0:
      return r.u8();
    case 1:
      return (r.u8() << 24) >> 24;
    case 2: {
      const lo = r.u8();
      return lo | (r.u8() << 8);
    }
    case 3: {
      const lo = r.u8();
      return ((lo | (r.u8() << 8)) << 16) >> 16;
    }
    case 4:
      return r.u32();
    case 5:
      return r.i32();
    case 6:
      return r.f32();
    case 7:
      return r.u8() !== 0;
    case 10:
      return r.u64();
    case 11: {
      const v = r.u64();
      return v;
    }
    default: {
      // f64
      const lo = r.u32();
      const hi = r.u32();
      const dv = new DataView(new ArrayBuffer(8));
      dv.setUint32(0, lo, true);
      dv.setUint32(4, hi, true);
      return dv.getFloat64(0, true);
    }
  }
}

/**
 * Parses the header. `withTokenizer` keeps the vocabulary (megabytes for large models) for token
 * counting; without it only what the menu needs is kept. Throws GgufError with a plain reason.
 */
export async function readGguf(src: ByteSource, opts: { withTokenizer?: boolean } = {}): Promise<GgufInfo> {
  if (src.size < 24)
    throw new GgufError(
      src.size >= 4 ? 'truncated' : 'not-gguf',
      src.size >= 4 ? 'the file ends inside its header' : 'it is not a GGUF model file',
    );
  const r = new Reader(src);
  await r.need(24);
  if (r.u32() !== MAGIC) throw new GgufError('not-gguf', 'it is not a GGUF model file');
  const version = r.u32();
  if (version < 2 || version > 3)
    throw new GgufError('unsupported-version', `it is GGUF version ${version}, which llama.cpp no longer reads`);
  const tensorCount = r.u64();
  const kvCount = r.u64();
  if (kvCount > 1e6 || tensorCount > 1e7) throw new GgufError('corrupt', 'its header is damaged');

  const meta = new Map<string, Value>();
  for (let i = 0; i < kvCount; i++) {
    const key = await r.str();
    await r.need(4);
    const type = r.u32();
    const keepArray = opts.withTokenizer || !key.startsWith('tokenizer.ggml.') || key === 'tokenizer.ggml.model';
    const value = await readValue(r, type, key);
    if (keepArray || !(Array.isArray(value) || ArrayBuffer.isView(value))) meta.set(key, value);
  }

  let params = 0;
  let dataBytes = 0;
  let known = true;
  const typeCounts = new Map<string, number>();
  for (let i = 0; i < tensorCount; i++) {
    await r.str();
    await r.need(4);
    const dims = r.u32();
    if (dims > 8) throw new GgufError('corrupt', 'its tensor table is damaged');
    await r.need(dims * 8 + 12);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= r.u64();
    const type = r.u32();
    const offset = r.u64();
    params += elements;
    const info = GGML_TYPES[type];
    if (!info) {
      known = false;
      continue;
    }
    typeCounts.set(info[0], (typeCounts.get(info[0]) ?? 0) + elements);
    dataBytes = Math.max(dataBytes, offset + Math.ceil(elements / info[1]) * info[2]);
  }
  const alignment = num(meta.get('general.alignment')) ?? 32;
  const dataOffset = Math.ceil(r.offset / alignment) * alignment;

  const architecture = str(meta.get('general.architecture'));
  const splitCount = num(meta.get('split.count'));
  if (!architecture) {
    // Parts after the first of a split model carry no metadata of their own.
    if (!splitCount) throw new GgufError('corrupt', 'its header does not say what model it is');
  } else if (NOT_GENERATIVE.has(architecture)) {
    throw new GgufError(
      'not-a-language-model',
      `it is a ${architecture === 'clip' ? 'vision projector' : `${architecture} embedding model`}, not a model that writes text`,
    );
  } else if (!LLAMA_CPP_ARCHITECTURES.has(architecture)) {
    throw new GgufError(
      'unknown-architecture',
      `its architecture "${architecture}" is not one the llama.cpp in Folio can run`,
    );
  }
  const at = (k: string) => num(meta.get(`${architecture}.${k}`));
  const fileType = num(meta.get('general.file_type'));
  const dominant = [...typeCounts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const info: GgufInfo = {
    version,
    architecture: architecture ?? '',
    quantization: (fileType !== undefined && FILE_TYPES[fileType]) || dominant || 'unknown',
    tensorCount,
    parameterCount: params,
    dataOffset,
    ...(known ? { expectedBytes: dataOffset + dataBytes } : {}),
  };
  const name = str(meta.get('general.name'));
  if (name) info.name = name;
  const ctx = at('context_length');
  if (ctx) info.contextLength = ctx;
  const template = str(meta.get('tokenizer.chat_template'));
  if (template) info.chatTemplate = template;
  for (const [field, key] of [
    ['blockCount', 'block_count'],
    ['embeddingLength', 'embedding_length'],
    ['headCount', 'attention.head_count'],
    ['headCountKv', 'attention.head_count_kv'],
    ['keyLength', 'attention.key_length'],
    ['valueLength', 'attention.value_length'],
  ] as const) {
    const v = at(key);
    if (v !== undefined) info[field] = v;
  }
  if (splitCount && splitCount > 1) info.split = { no: (num(meta.get('split.no')) ?? 0) + 1, count: splitCount };
  const tokModel = str(meta.get('tokenizer.ggml.model'));
  if (opts.withTokenizer && tokModel) {
    const tokens = meta.get('tokenizer.ggml.tokens');
    const merges = meta.get('tokenizer.ggml.merges');
    const scores = meta.get('tokenizer.ggml.scores');
    const types = meta.get('tokenizer.ggml.token_type');
    const tk: GgufTokenizerData = { model: tokModel, tokens: Array.isArray(tokens) ? (tokens as string[]) : [] };
    const pre = str(meta.get('tokenizer.ggml.pre'));
    if (pre) tk.pre = pre;
    if (scores instanceof Float32Array) tk.scores = scores;
    if (types instanceof Int32Array) tk.types = types;
    if (Array.isArray(merges)) tk.merges = merges as string[];
    const bos = num(meta.get('tokenizer.ggml.bos_token_id'));
    const eos = num(meta.get('tokenizer.ggml.eos_token_id'));
    if (bos !== undefined) tk.bos = bos;
    if (eos !== undefined) tk.eos = eos;
    const addBos = meta.get('tokenizer.ggml.add_bos_token');
    if (typeof addBos === 'boolean') tk.addBos = addBos;
    const addSpace = meta.get('tokenizer.ggml.add_space_prefix');
    if (typeof addSpace === 'boolean') tk.addSpacePrefix = addSpace;
    info.tokenizer = tk;
  }
  return info;
}

/**
 * Problems with the bytes themselves: a file shorter than its header says (cut off while copying
 * or downloading).
 */
export function checkComplete(info: GgufInfo, size: number): void {
  if (size < info.dataOffset || (info.expectedBytes !== undefined && size < info.expectedBytes)) {
    const have = info.expectedBytes ? ` (${Math.floor((100 * size) / info.expectedBytes)}% of it is there)` : '';
    throw new GgufError('truncated', `the file is incomplete${have}: it was cut off while being copied or downloaded`);
  }
}

/**
 * Memory llama.cpp needs for this model with an `nCtx`-token context: the weights, the KV cache
 * (f16) and working buffers.
 */
export function memoryNeeded(info: GgufInfo, fileBytes: number, nCtx: number): number {
  const layers = info.blockCount ?? 0;
  const kvHeads = info.headCountKv ?? info.headCount ?? 0;
  const headDim = info.embeddingLength && info.headCount ? info.embeddingLength / info.headCount : 0;
  const k = info.keyLength ?? headDim;
  const v = info.valueLength ?? headDim;
  const kv = nCtx * layers * kvHeads * (k + v) * 2;
  return fileBytes + kv + 64 * 2 ** 20;
}

function num(v: Value | undefined): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}
function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
