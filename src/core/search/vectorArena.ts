import { KERNELS_WASM } from './kernelsWasm';

interface Kernels {
  hamming(codes: number, rows: number, vecs: number, query: number, out: number): void;
  dots(data: number, dims: number, list: number, count: number, query: number, out: number): void;
  scan(data: number, dims: number, rows: number, query: number, out: number): void;
  histogram(distance: number, rows: number, counts: number): void;
  sum(data: number, dims: number, rows: number, out: number): void;
  encode(data: number, dims: number, rows: number, centre: number, codes: number): void;
  select(distance: number, rows: number, cut: number, list: number): number;
}

const PAGE = 65536;
/** wasm32 addresses reach 4 GiB; V8 allows a memory that large. */
const MAX_BYTES = 65536 * PAGE;
const align = (n: number) => Math.ceil(n / 16) * 16;

let compiled: WebAssembly.Module | null | undefined;
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0)));
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript loops below do the same work
    }
  }
  return compiled;
}

/**
 * The vector index's rows, bit codes and search scratch space, laid out in one WebAssembly memory
 * so the SIMD kernels (kernels.wat) work on them in place: a search copies in only the query. One
 * memory rather than separate arrays because WebAssembly reads nothing outside its own memory.
 *
 * Layout (16-byte aligned): query | query code | centre | histogram | codes | distances | candidate list | scores | rows.
 * Growing moves each region up to its new offset; the views are re-made after every growth.
 */
export class VectorArena {
  private readonly memory: WebAssembly.Memory | null;
  private kernels: Kernels | null = null;
  private readonly vecs: number;
  private at = { query: 0, queryCode: 0, centre: 0, histogram: 0, codes: 0, distance: 0, list: 0, scores: 0, data: 0, end: 0 };
  capacity = 0;
  query!: Float32Array;
  queryCode!: Uint32Array;
  /** The mean vector: codes record which side of it each dimension lies. */
  centre!: Float32Array;
  /** Rows per Hamming distance (0 … 32·words), plus one slot for rows filtered out. */
  histogram!: Uint32Array;
  codes!: Uint32Array;
  distance!: Uint16Array;
  list!: Int32Array;
  scores!: Float32Array;
  data!: Float32Array;
  private buffer: ArrayBuffer = new ArrayBuffer(0);

  constructor(
    readonly dims: number,
    readonly words: number,
    capacity: number,
    /** False runs the JavaScript loops even where the SIMD kernels load (tests compare the two). */
    useKernels = true,
  ) {
    this.vecs = words / 4;
    const module = kernelModule();
    // The kernels take whole blocks (128 dimensions = one 128-bit code step), at most 31 of them.
    const fits = dims % 128 === 0 && words === dims / 32 && this.vecs <= 31;
    this.memory = typeof WebAssembly === 'object' ? new WebAssembly.Memory({ initial: 1 }) : null;
    if (useKernels && module && fits && this.memory) {
      const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
      this.kernels = instance.exports as unknown as Kernels;
    }
    this.reserve(capacity, 0, 0);
  }

  get simd(): boolean {
    return this.kernels !== null;
  }

  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /** Room for `capacity` rows, keeping the first `rows` vectors and `coded` codes. */
  reserve(capacity: number, rows: number, coded: number): void {
    const d = this.dims;
    const W = this.words;
    const next = { query: 0, queryCode: 0, centre: 0, histogram: 0, codes: 0, distance: 0, list: 0, scores: 0, data: 0, end: 0 };
    next.queryCode = align(d * 4);
    next.centre = next.queryCode + align(W * 4);
    next.histogram = next.centre + align(d * 4);
    next.codes = next.histogram + align((W * 32 + 2) * 4);
    next.distance = next.codes + align(capacity * W * 4);
    next.list = next.distance + align(capacity * 2);
    next.scores = next.list + align(capacity * 4);
    next.data = next.scores + align(capacity * 4);
    next.end = next.data + capacity * d * 4;
    if (next.end > MAX_BYTES) throw new RangeError(`${capacity} vectors of ${d} dimensions do not fit in 4 GiB`);
    if (this.memory) {
      const have = this.memory.buffer.byteLength;
      if (next.end > have) this.memory.grow(Math.ceil((next.end - have) / PAGE));
      const bytes = new Uint8Array(this.memory.buffer);
      // Highest region first: each region only moves up, so nothing is overwritten before it moves.
      bytes.copyWithin(next.data, this.at.data, this.at.data + rows * d * 4);
      bytes.copyWithin(next.codes, this.at.codes, this.at.codes + coded * W * 4);
      bytes.copyWithin(next.centre, this.at.centre, this.at.centre + (this.capacity ? d * 4 : 0));
      this.buffer = this.memory.buffer;
    } else {
      const buffer = new ArrayBuffer(next.end);
      new Uint8Array(buffer, next.data, rows * d * 4).set(new Uint8Array(this.buffer, this.at.data, rows * d * 4));
      new Uint8Array(buffer, next.codes, coded * W * 4).set(new Uint8Array(this.buffer, this.at.codes, coded * W * 4));
      if (this.capacity) new Uint8Array(buffer, next.centre, d * 4).set(new Uint8Array(this.buffer, this.at.centre, d * 4));
      this.buffer = buffer;
    }
    this.at = next;
    this.capacity = capacity;
    const b = this.buffer;
    this.query = new Float32Array(b, next.query, d);
    this.queryCode = new Uint32Array(b, next.queryCode, W);
    this.histogram = new Uint32Array(b, next.histogram, W * 32 + 2);
    this.centre = new Float32Array(b, next.centre, d);
    this.codes = new Uint32Array(b, next.codes, capacity * W);
    this.distance = new Uint16Array(b, next.distance, capacity);
    this.list = new Int32Array(b, next.list, capacity);
    this.scores = new Float32Array(b, next.scores, capacity);
    this.data = new Float32Array(b, next.data, capacity * d);
  }

  /** centre = the mean of the first `rows` vectors. */
  computeCentre(rows: number): void {
    const d = this.dims;
    if (this.kernels) {
      this.centre.fill(0);
      this.kernels.sum(this.at.data, d, rows, this.at.centre);
      for (let j = 0; j < d; j++) this.centre[j]! /= Math.max(1, rows);
      return;
    }
    const sum = new Float64Array(d);
    const data = this.data;
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) sum[j]! += data[r * d + j]!;
    for (let j = 0; j < d; j++) this.centre[j] = sum[j]! / Math.max(1, rows);
  }

  /** Codes of rows [from, to) against the current centre. */
  encodeRows(from: number, to: number): void {
    if (this.kernels) return this.kernels.encode(this.at.data + from * this.dims * 4, this.dims, to - from, this.at.centre, this.at.codes + from * this.words * 4);
    for (let r = from; r < to; r++) this.encodeJs(this.data, r * this.dims, this.codes, r * this.words);
  }

  /** queryCode = the code of query. */
  encodeQuery(): void {
    if (this.kernels) return this.kernels.encode(this.at.query, this.dims, 1, this.at.centre, this.at.queryCode);
    this.encodeJs(this.query, 0, this.queryCode, 0);
  }

  private encodeJs(v: Float32Array, offset: number, out: Uint32Array, at: number): void {
    const centre = this.centre;
    const d = this.dims;
    for (let w = 0; w < this.words; w++) {
      let x = 0;
      const end = Math.min(32, d - w * 32);
      for (let b = 0; b < end; b++) if (v[offset + w * 32 + b]! > centre[w * 32 + b]!) x |= 1 << b;
      out[at + w] = x >>> 0;
    }
  }

  /** distance[r] = Hamming distance of codes[r] to queryCode, for r < rows. */
  hamming(rows: number): void {
    if (this.kernels) return this.kernels.hamming(this.at.codes, rows, this.vecs, this.at.queryCode, this.at.distance);
    const { codes, queryCode: q, distance } = this;
    const W = this.words;
    for (let r = 0; r < rows; r++) {
      let h = 0;
      const o = r * W;
      for (let w = 0; w < W; w++) h += popcount(codes[o + w]! ^ q[w]!);
      distance[r] = h;
    }
  }

  /** histogram = how many of the first `rows` distances take each value. */
  countDistances(rows: number): void {
    this.histogram.fill(0);
    if (this.kernels) return this.kernels.histogram(this.at.distance, rows, this.at.histogram);
    const { histogram, distance } = this;
    for (let r = 0; r < rows; r++) histogram[distance[r]!]!++;
  }

  /** Lists the rows (of the first `rows`) at distance ≤ cut; returns how many. */
  select(rows: number, cut: number): number {
    if (this.kernels) return this.kernels.select(this.at.distance, rows, cut, this.at.list);
    const { list, distance } = this;
    let m = 0;
    for (let r = 0; r < rows; r++) if (distance[r]! <= cut) list[m++] = r;
    return m;
  }

  /** scores[i] = row list[i] · query, for i < count. */
  dots(count: number): void {
    if (this.kernels) return this.kernels.dots(this.at.data, this.dims, this.at.list, count, this.at.query, this.at.scores);
    for (let i = 0; i < count; i++) this.scores[i] = this.dot(this.list[i]!);
  }

  /** scores[r] = row r · query, for r < rows. */
  scan(rows: number): void {
    if (this.kernels) return this.kernels.scan(this.at.data, this.dims, rows, this.at.query, this.at.scores);
    for (let r = 0; r < rows; r++) this.scores[r] = this.dot(r);
  }

  private dot(r: number): number {
    const d = this.dims;
    const data = this.data;
    const query = this.query;
    const base = r * d;
    // Four running sums: independent additions pipeline instead of waiting on one another.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += data[base + j]! * query[j]!;
      s1 += data[base + j + 1]! * query[j + 1]!;
      s2 += data[base + j + 2]! * query[j + 2]!;
      s3 += data[base + j + 3]! * query[j + 3]!;
    }
    for (; j < d; j++) s0 += data[base + j]! * query[j]!;
    return s0 + s1 + (s2 + s3);
  }
}

/** Set bits of a 32-bit word (SWAR: measured ~15% faster in V8 than a 64 KB lookup table). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
