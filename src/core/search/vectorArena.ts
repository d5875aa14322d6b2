import { KERNELS_WASM } from './kernelsWasm';

interface Kernels {
  estimate(codes: number, blocks: number, bytes: number, lut: number, offset: number, out: number): void;
  dots(data: number, dims: number, list: number, count: number, query: number, out: number): void;
  scan(data: number, dims: number, rows: number, query: number, out: number): void;
  histogram(distance: number, rows: number, counts: number): void;
  sum(data: number, dims: number, rows: number, out: number): void;
  encode(data: number, dims: number, from: number, to: number, centre: number, codes: number): void;
  quantize(data: number, dims: number, from: number, to: number, low: number, inv: number, out: number): void;
  fine(codes: number, dims: number, list: number, count: number, weights: number, out: number): void;
  select(distance: number, rows: number, cut: number, list: number): number;
}

const PAGE = 65536;
/** wasm32 addresses reach 4 GiB; V8 allows a memory that large. */
const MAX_BYTES = 65536 * PAGE;
const align = (n: number) => Math.ceil(n / 16) * 16;
/** Codes are kept in blocks of this many rows (one SIMD lane per row). */
const BLOCK = 16;
/** Largest table entry: four entries (two code bytes) add up within a signed byte. */
const ENTRY = 31;
/** Fine codes cover the centre ± this many standard deviations per dimension, in 16 steps. */
const SPREAD = 3;
/** Rows sampled for the spread of each dimension. */
const SAMPLE = 4096;

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
 * A row's code has one bit per dimension: which side of the centre (the mean vector) it lies.
 * Codes are stored 16 rows to a block, byte j of the 16 rows side by side, so that the estimate
 * of a query's dot product with 16 rows takes one table lookup (a swizzle) per code byte.
 *
 * A row's fine code has 4 bits per dimension (16 steps over the centre ± 3 standard deviations of
 * that dimension), one row after another: it re-ranks the candidates the bit codes picked, so that
 * only a few dozen of them are read in float.
 *
 * Layout (16-byte aligned): query | lookup table | weights | centre | low | inv | histogram | codes | fine codes | distances | candidate list | scores | rows.
 * Growing moves each region up to its new offset; the views are re-made after every growth.
 */
export class VectorArena {
  private readonly memory: WebAssembly.Memory | null;
  private kernels: Kernels | null = null;
  /** Bytes of one row's code. */
  readonly bytes: number;
  /** Largest |estimate|: distances are offset − estimate, within [0, 2·offset]. */
  readonly offset: number;
  private at = {
    query: 0,
    lut: 0,
    weights: 0,
    centre: 0,
    low: 0,
    inv: 0,
    histogram: 0,
    codes: 0,
    fine: 0,
    distance: 0,
    list: 0,
    scores: 0,
    data: 0,
    end: 0,
  };
  capacity = 0;
  query!: Float32Array;
  /** Per code byte, 16 signed entries for its low nibble then 16 for its high one (see setQuery). */
  lut!: Int8Array;
  /** The query scaled per dimension to 16-bit integers, for the fine codes (see setQuery). */
  weights!: Int16Array;
  /** The mean vector: codes record which side of it each dimension lies. */
  centre!: Float32Array;
  /** Per dimension, where the fine code's first step starts, and 1 / step. */
  low!: Float32Array;
  inv!: Float32Array;
  fine!: Uint8Array;
  /** The fine estimate of each candidate (same memory as `scores`). */
  fineScores!: Int32Array;
  /** Rows per distance (0 … 2·offset), plus one slot for rows filtered out. */
  histogram!: Uint32Array;
  codes!: Uint8Array;
  distance!: Uint16Array;
  list!: Int32Array;
  scores!: Float32Array;
  data!: Float32Array;
  private buffer: ArrayBuffer = new ArrayBuffer(0);

  constructor(
    readonly dims: number,
    capacity: number,
    /** False runs the JavaScript loops even where the SIMD kernels load (tests compare the two). */
    useKernels = true,
  ) {
    this.bytes = Math.ceil(dims / 8);
    this.offset = 2 * ENTRY * this.bytes;
    const module = kernelModule();
    // Whole 32-dimension steps (fine codes; the dot products take 16, the estimates an even number
    // of code bytes); estimates up to 2·offset must fit the kernel's 16-bit lanes.
    const fits = dims % 32 === 0 && 2 * this.offset < 65536;
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
    const B = this.bytes;
    const blocks = Math.ceil(capacity / BLOCK);
    const next = {
      query: 0,
      lut: 0,
      weights: 0,
      centre: 0,
      low: 0,
      inv: 0,
      histogram: 0,
      codes: 0,
      fine: 0,
      distance: 0,
      list: 0,
      scores: 0,
      data: 0,
      end: 0,
    };
    const fineBytes = Math.ceil(d / 2);
    next.lut = align(d * 4);
    next.weights = next.lut + align(B * 32);
    next.centre = next.weights + align(d * 2);
    next.low = next.centre + align(d * 4);
    next.inv = next.low + align(d * 4);
    next.histogram = next.inv + align(d * 4);
    next.codes = next.histogram + align((2 * this.offset + 2) * 4);
    next.fine = next.codes + align(blocks * BLOCK * B);
    next.distance = next.fine + align(capacity * fineBytes);
    next.list = next.distance + align(blocks * BLOCK * 2);
    next.scores = next.list + align(capacity * 4);
    next.data = next.scores + align(capacity * 4);
    next.end = next.data + capacity * d * 4;
    if (next.end > MAX_BYTES) throw new RangeError(`${capacity} vectors of ${d} dimensions do not fit in 4 GiB`);
    const codeBytes = Math.ceil(coded / BLOCK) * BLOCK * B;
    if (this.memory) {
      const have = this.memory.buffer.byteLength;
      if (next.end > have) this.memory.grow(Math.ceil((next.end - have) / PAGE));
      const bytes = new Uint8Array(this.memory.buffer);
      // Highest region first: each region only moves up, so nothing is overwritten before it moves.
      bytes.copyWithin(next.data, this.at.data, this.at.data + rows * d * 4);
      bytes.copyWithin(next.fine, this.at.fine, this.at.fine + coded * fineBytes);
      bytes.copyWithin(next.codes, this.at.codes, this.at.codes + codeBytes);
      // centre, low and inv: adjacent, 3 · align(d · 4) bytes.
      bytes.copyWithin(next.centre, this.at.centre, this.at.centre + (this.capacity ? 3 * align(d * 4) : 0));
      this.buffer = this.memory.buffer;
    } else {
      const buffer = new ArrayBuffer(next.end);
      new Uint8Array(buffer, next.data, rows * d * 4).set(new Uint8Array(this.buffer, this.at.data, rows * d * 4));
      new Uint8Array(buffer, next.codes, codeBytes).set(new Uint8Array(this.buffer, this.at.codes, codeBytes));
      new Uint8Array(buffer, next.fine, coded * fineBytes).set(
        new Uint8Array(this.buffer, this.at.fine, coded * fineBytes),
      );
      if (this.capacity)
        new Uint8Array(buffer, next.centre, 3 * align(d * 4)).set(
          new Uint8Array(this.buffer, this.at.centre, 3 * align(d * 4)),
        );
      this.buffer = buffer;
    }
    this.at = next;
    this.capacity = capacity;
    const b = this.buffer;
    this.query = new Float32Array(b, next.query, d);
    this.lut = new Int8Array(b, next.lut, B * 32);
    this.weights = new Int16Array(b, next.weights, d);
    this.low = new Float32Array(b, next.low, d);
    this.inv = new Float32Array(b, next.inv, d);
    this.fine = new Uint8Array(b, next.fine, capacity * fineBytes);
    this.fineScores = new Int32Array(b, next.scores, capacity);
    this.histogram = new Uint32Array(b, next.histogram, 2 * this.offset + 2);
    this.centre = new Float32Array(b, next.centre, d);
    this.codes = new Uint8Array(b, next.codes, blocks * BLOCK * B);
    this.distance = new Uint16Array(b, next.distance, blocks * BLOCK);
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

  /**
   * low and inv for the fine codes, from the spread of each dimension around the centre in an even
   * sample of the first `rows` rows (call after computeCentre).
   */
  computeSpread(rows: number): void {
    const { data, centre, low, inv, dims: d } = this;
    const step = Math.max(1, Math.floor(rows / SAMPLE));
    const sq = new Float64Array(d);
    let n = 0;
    for (let r = 0; r < rows; r += step, n++)
      for (let j = 0; j < d; j++) sq[j]! += (data[r * d + j]! - centre[j]!) ** 2;
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(sq[j]! / Math.max(1, n));
      low[j] = centre[j]! - SPREAD * sd;
      inv[j] = sd > 0 ? 16 / (2 * SPREAD * sd) : 0;
    }
  }

  /** Fine codes of rows [from, to) against the current low and inv. */
  quantizeRows(from: number, to: number): void {
    if (this.kernels) {
      this.kernels.quantize(this.at.data, this.dims, from, to, this.at.low, this.at.inv, this.at.fine);
      return;
    }
    const { data, low, inv, fine, dims: d } = this;
    const B = Math.ceil(d / 2);
    for (let r = from; r < to; r++) {
      for (let c = 0; c < B; c += 16) {
        for (let i = 0; i < 16 && 2 * c + i < d; i++) {
          const j = 2 * c + i;
          // In float32 steps, as the kernel computes, so both give the same codes.
          const u = (x: number) =>
            Math.min(15, Math.max(0, Math.trunc(Math.fround(Math.fround(data[r * d + x]! - low[x]!) * inv[x]!))));
          fine[r * B + c + i] = u(j) | (j + 16 < d ? u(j + 16) << 4 : 0);
        }
      }
    }
  }

  /** fineScores[i] = the fine estimate (in weight units) of row list[i] · query, for i < count. */
  fineEstimates(count: number): void {
    if (this.kernels) {
      this.kernels.fine(this.at.fine, this.dims, this.at.list, count, this.at.weights, this.at.scores);
      return;
    }
    const { fine, weights: w, list, fineScores, dims: d } = this;
    const B = Math.ceil(d / 2);
    for (let i = 0; i < count; i++) {
      const at = list[i]! * B;
      let s = 0;
      for (let c = 0; c < B; c += 16) {
        for (let k = 0; k < 16 && 2 * c + k < d; k++) {
          const x = fine[at + c + k]!;
          s += (x & 15) * w[2 * c + k]! + (x >> 4) * (w[2 * c + k + 16] ?? 0);
        }
      }
      fineScores[i] = s;
    }
  }

  /** Codes of rows [from, to) against the current centre. */
  encodeRows(from: number, to: number): void {
    if (this.kernels) {
      this.kernels.encode(this.at.data, this.dims, from, to, this.at.centre, this.at.codes);
      return;
    }
    const { data, centre, codes, dims: d, bytes: B } = this;
    for (let r = from; r < to; r++) {
      const at = (r - (r % BLOCK)) * B + (r % BLOCK);
      for (let j = 0; j < B; j++) {
        let x = 0;
        for (let k = 0; k < 8 && 8 * j + k < d; k++) if (data[r * d + 8 * j + k]! > centre[8 * j + k]!) x |= 1 << k;
        codes[at + j * BLOCK] = x;
      }
    }
  }

  /**
   * The lookup table (and the fine codes' weights) for the query now in `query`. Its estimate of the query's dot product with a
   * row is Σ q_i·s_i, s_i = ±1 the side of the centre the row lies on in dimension i: the row's
   * offset from the centre reduced to its signs (the query itself stays exact, so this ranks far
   * better than comparing the query's own signs with the row's, which took three times the
   * candidates for the same recall). Entries are the sums over four dimensions, scaled to ±31.
   */
  setQuery(): void {
    const { query: q, lut, dims: d } = this;
    const raw = new Float32Array(lut.length);
    let max = 0;
    for (let n = 0; n < 2 * this.bytes; n++) {
      // Nibble n covers dimensions 4n … 4n + 3 (low nibble of byte n >> 1 when n is even).
      const table = (n >> 1) * 32 + (n & 1) * 16;
      for (let v = 0; v < 16; v++) {
        let s = 0;
        for (let k = 0; k < 4 && 4 * n + k < d; k++) s += v & (1 << k) ? q[4 * n + k]! : -q[4 * n + k]!;
        raw[table + v] = s;
        max = Math.max(max, Math.abs(s));
      }
    }
    const scale = max > 0 ? ENTRY / max : 0;
    for (let i = 0; i < raw.length; i++) lut[i] = Math.round(raw[i]! * scale);
    // The fine estimate of q · x is Σ q_j (low_j + step_j (u_j + ½)): all but Σ (q_j step_j) u_j is
    // the same for every row, so that sum ranks them. Scaled to 16 bits (sums stay far within 32).
    const { weights, inv } = this;
    let top = 0;
    for (let j = 0; j < d; j++) top = Math.max(top, inv[j]! > 0 ? Math.abs(q[j]! / inv[j]!) : 0);
    const wScale = top > 0 ? 32767 / top : 0;
    for (let j = 0; j < d; j++) weights[j] = inv[j]! > 0 ? Math.round((q[j]! / inv[j]!) * wScale) : 0;
  }

  /** distance[r] = offset − the estimate for row r (smaller is closer), for r < rows (whole blocks are written). */
  estimate(rows: number): void {
    const blocks = Math.ceil(rows / BLOCK);
    if (this.kernels) {
      this.kernels.estimate(this.at.codes, blocks, this.bytes, this.at.lut, this.offset, this.at.distance);
      return;
    }
    const { codes, lut, distance, bytes: B } = this;
    for (let r = 0; r < rows; r++) {
      const at = (r - (r % BLOCK)) * B + (r % BLOCK);
      let s = 0;
      for (let j = 0; j < B; j++) {
        const x = codes[at + j * BLOCK]!;
        s += lut[j * 32 + (x & 15)]! + lut[j * 32 + 16 + (x >> 4)]!;
      }
      distance[r] = this.offset - s;
    }
  }

  /** histogram = how many of the first `rows` distances take each value. */
  countDistances(rows: number): void {
    this.histogram.fill(0);
    if (this.kernels) {
      this.kernels.histogram(this.at.distance, rows, this.at.histogram);
      return;
    }
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
    if (this.kernels) {
      this.kernels.dots(this.at.data, this.dims, this.at.list, count, this.at.query, this.at.scores);
      return;
    }
    for (let i = 0; i < count; i++) this.scores[i] = this.dot(this.list[i]!);
  }

  /** scores[r] = row r · query, for r < rows. */
  scan(rows: number): void {
    if (this.kernels) {
      this.kernels.scan(this.at.data, this.dims, rows, this.at.query, this.at.scores);
      return;
    }
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
