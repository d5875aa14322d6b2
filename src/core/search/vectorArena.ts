import { ESTIMATE_RELAXED_WASM, KERNELS_WASM } from './kernelsWasm';

interface Kernels {
  estimate(
    codes: number,
    blocks: number,
    bytes: number,
    lut: number,
    top: number,
    out: number,
    skip: number,
    acc: number,
  ): void;
  dots(data: number, dims: number, list: number, count: number, query: number, out: number): void;
  scan(data: number, dims: number, rows: number, query: number, out: number): void;
  histogram(distance: number, rows: number, counts: number): void;
  nearest(
    codes: number,
    blocks: number,
    bytes: number,
    lut: number,
    offset: number,
    best: number,
    arg: number,
    id: number,
  ): void;
  select(distance: number, rows: number, cut: number, list: number, most: number): number;
  quantize(
    src: number,
    dims: number,
    rows: number,
    centre: number,
    inv: number,
    scales: number,
    out: number,
    res: number,
  ): void;
  signs(codes: number, dims: number, from: number, to: number, bits: number): void;
  refine(
    codes: number,
    rests: number,
    dims: number,
    list: number,
    count: number,
    weights: number,
    scales: number,
    base: number,
    out: number,
  ): void;
  dots8(
    codes: number,
    dims: number,
    list: number,
    count: number,
    weights: number,
    scales: number,
    base: number,
    unit: number,
    out: number,
  ): number;
}

const PAGE = 65536;
/** wasm32 addresses reach 4 GiB; V8 allows a memory that large. */
const MAX_BYTES = 65536 * PAGE;
const align = (n: number) => Math.ceil(n / 16) * 16;
/** Codes are kept in blocks of this many rows (one SIMD lane per row). */
const BLOCK = 16;
/** Largest table entry: four entries (two code bytes) add up within a signed byte. */
const ENTRY = 31;

/** A module compiled on first use; null if this engine cannot compile it. */
function lazyModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** Null without WebAssembly SIMD: the JavaScript loops below do the same work. */
const kernelModule = lazyModule(KERNELS_WASM);
/**
 * `estimate` with relaxed swizzles (scripts/build-wasm.ts), about a fifth faster; null without
 * relaxed SIMD (Node 20 without a flag): the first module's estimate then.
 */
const relaxedEstimateModule = lazyModule(ESTIMATE_RELAXED_WASM);

/** Rows of each region that a move must keep. */
export interface Kept {
  /** Float rows (at the start of the float region). */
  floats: number;
  /** Rows with an int8 code and row scale. */
  coded: number;
  /** Rows with a bit code. */
  bits: number;
}

/**
 * The vector index's rows, codes and search scratch space, laid out in one WebAssembly memory so
 * the SIMD kernels (kernels.wat) work on them in place: a search copies in only the query. One
 * memory rather than separate arrays because WebAssembly reads nothing outside its own memory.
 *
 * A row is held as floats only while the index is small; after that as an int8 code: its offset
 * from the centre (the mean vector), divided per dimension by that dimension's spread, then scaled
 * so its largest value is ±127 (the scale kept per row, so nothing is ever clipped), and the rounding
 * each value was left with, in 2 bits. For a 384-d row that is 384 + 96 + 4 bytes instead of 1,536.
 * The int8 code gives a row's dot product with a query to within about 10⁻³, enough to rank the
 * candidates; the rests bring the final few to within about 3·10⁻⁴ (test/node/vectorIndex.test.ts
 * and the search benchmark measure both), well below what separates an embedding model's q8 and
 * fp32 weights.
 *
 * A row's bit code has one bit per dimension (the sign of its int8 code: which side of the centre
 * it lies). Bit codes are stored 16 rows to a block, byte j of the 16 rows side by side, so that the
 * estimate of a query's dot product with 16 rows takes one table lookup (a swizzle) per code byte.
 *
 * Layout (16-byte aligned): query | lookup table | weights | fine weights | centre | inv | histogram | bit codes |
 * int8 codes | rests | row scales | distances | candidate list | scores | floats. The float region
 * holds the rows of a small index, or (once rows are coded) a batch being coded. Growing moves each
 * region up to its new offset; the views are re-made after every growth.
 */
export class VectorArena {
  private readonly memory: WebAssembly.Memory | null;
  private kernels: Kernels | null = null;
  /** Bytes of one row's bit code. */
  readonly bytes: number;
  /**
   * Bytes of the first part of a bit code that `head` holds again, on their own: half, even (the
   * estimate reads code bytes in pairs; 0 for codes too short to split). See vectorIndex.ts, PART_ABOVE.
   */
  readonly headBytes: number;
  /** `head` is kept (an arena of headAbove rows or more). */
  headed = false;
  /** Bytes of one row's 2-bit rests: 16 per 64 dimensions. */
  readonly restBytes: number;
  /** setQuery's per-dimension weights q_j / inv_j, unrounded (for `refine`). */
  readonly exactWeights: Float64Array;
  /** setQuery's table units per unit of Σ exactWeights_j · s_j: an estimate is about lutScale times that sum. */
  lutScale = 0;
  /** setQuery's table before it is scaled to bytes (kept: a query should not allocate). */
  private rawTable: Float64Array;
  /** Largest |estimate|: distances are offset − estimate, within [0, 2·offset]. */
  readonly offset: number;
  /** offset plus ENTRY per nibble: a distance from the unsigned table's sum (see unsignedLut). */
  private readonly top: number;
  private at = regions();
  capacity = 0;
  /** Rows the float region holds. */
  floatCapacity = 0;
  query!: Float32Array;
  /** Per code byte, 16 signed entries for its low nibble then 16 for its high one (see setQuery). */
  lut!: Int8Array;
  /** lut + ENTRY: the `estimate` kernel adds unsigned entries (see kernels.wat). */
  unsignedLut!: Uint8Array;
  /** The query scaled per dimension to 16-bit integers, for the int8 codes (see setQuery). */
  weights!: Int16Array;
  /** exactWeights / 8 in float32, for the `refine` kernel (a rest is counted in eighths of a step). */
  fineWeights!: Float32Array;
  /** The mean vector, the origin of every code. */
  centre!: Float32Array;
  /** Per dimension, 1 / its standard deviation (0 where it has none). */
  inv!: Float32Array;
  /** Rows per distance (0 … 2·offset), plus one slot for rows filtered out. */
  histogram!: Uint32Array;
  codes!: Uint8Array;
  /**
   * The first headBytes of every bit code, in blocks of 16 rows as in `codes`, once `headed`; kept
   * by `signs` (not `signAt`: an index with lists does not read it).
   */
  head!: Uint8Array;
  coded!: Int8Array;
  /** Each int8 code's rounding in 2 bits per dimension (see restAt), for the final candidates' scores. */
  rest!: Uint8Array;
  rowScale!: Float32Array;
  distance!: Uint16Array;
  list!: Int32Array;
  scores!: Float32Array;
  /** `nearest`'s choice per row (in the scores' room: the two are never used at once). */
  nearestId!: Uint16Array;
  floats!: Float32Array;
  /** setQuery's constant part of every row's score (query · centre), and its weight unit. */
  base = 0;
  private unit = 0;
  private buffer: ArrayBuffer = new ArrayBuffer(0);

  constructor(
    readonly dims: number,
    capacity: number,
    floatCapacity = capacity,
    /** False runs the JavaScript loops even where the SIMD kernels load (tests compare the two). */
    useKernels = true,
    /** From this capacity on, `head` holds the first part of every bit code again (see headBytes). */
    private readonly headAbove = Number.POSITIVE_INFINITY,
  ) {
    this.bytes = Math.ceil(dims / 8);
    const head = 2 * Math.floor(this.bytes / 4);
    this.headBytes = head >= 2 && head < this.bytes ? head : 0;
    this.restBytes = Math.ceil(dims / 64) * 16;
    this.exactWeights = new Float64Array(dims);
    this.rawTable = new Float64Array(this.bytes * 32);
    this.offset = 2 * ENTRY * this.bytes;
    this.top = this.offset + 2 * ENTRY * this.bytes;
    const module = kernelModule();
    // Whole 64-dimension steps (the 2-bit rests pack 64 dimensions in 16 bytes; the estimates take an
    // even number of code bytes); estimates up to 2·offset must fit the kernel's 16-bit lanes.
    const fits = dims % 64 === 0 && 2 * this.offset < 65536;
    this.memory = typeof WebAssembly === 'object' ? new WebAssembly.Memory({ initial: 1 }) : null;
    if (useKernels && module && fits && this.memory) {
      const env = { env: { memory: this.memory } };
      const kernels = new WebAssembly.Instance(module, env).exports as unknown as Kernels;
      const relaxed = relaxedEstimateModule();
      this.kernels = relaxed
        ? { ...kernels, estimate: (new WebAssembly.Instance(relaxed, env).exports as unknown as Kernels).estimate }
        : kernels;
      this.relaxed = relaxed !== null;
    }
    this.reserve(capacity, floatCapacity, { floats: 0, coded: 0, bits: 0 });
  }

  /** The bit-code estimates run on relaxed SIMD (see relaxedEstimateModule). */
  relaxed = false;

  get simd(): boolean {
    return this.kernels !== null;
  }

  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /**
   * Room for `capacity` coded rows and `floatCapacity` float rows, keeping what `keep` says; `head`
   * kept or not as `head` says (by default: once kept, or from headAbove rows of capacity).
   */
  reserve(capacity: number, floatCapacity: number, keep: Kept, head?: boolean): void {
    const d = this.dims;
    const B = this.bytes;
    const blocks = Math.ceil(capacity / BLOCK);
    const next = regions();
    next.lut = align(d * 4);
    next.unsignedLut = next.lut + align(B * 32);
    next.weights = next.unsignedLut + align(B * 32);
    next.fineWeights = next.weights + align(d * 2);
    next.centre = next.fineWeights + align(d * 4);
    next.inv = next.centre + align(d * 4);
    next.histogram = next.inv + align(d * 4);
    next.codes = next.histogram + align((2 * this.offset + 2) * 4);
    const headed = this.headBytes > 0 && (head ?? (this.headed || capacity >= this.headAbove));
    const headBlockBytes = headed ? BLOCK * this.headBytes : 0;
    next.head = Math.ceil((next.codes + align(blocks * BLOCK * B)) / 64) * 64;
    // On a cache line: a 384-d row then spans six lines, not seven.
    next.coded = Math.ceil((next.head + align(blocks * headBlockBytes)) / 64) * 64;
    next.rest = next.coded + align(capacity * d);
    next.rowScale = next.rest + align(capacity * this.restBytes);
    next.distance = next.rowScale + align(capacity * 4);
    next.list = next.distance + align(blocks * BLOCK * 2);
    next.scores = next.list + align(capacity * 4);
    next.floats = next.scores + align(capacity * 4);
    next.end = next.floats + floatCapacity * d * 4;
    if (next.end > MAX_BYTES) throw new RangeError(`${capacity} vectors of ${d} dimensions do not fit in 4 GiB`);
    const bitBytes = Math.ceil(keep.bits / BLOCK) * BLOCK * B;
    // Highest region first: each region only moves up, so nothing is overwritten before it moves.
    const moves: [number, number, number][] = [
      [next.floats, this.at.floats, keep.floats * d * 4],
      [next.rowScale, this.at.rowScale, keep.coded * 4],
      [next.rest, this.at.rest, keep.coded * this.restBytes],
      [next.coded, this.at.coded, keep.coded * d],
      [next.head, this.at.head, this.headed ? (bitBytes / B) * this.headBytes : 0],
      [next.codes, this.at.codes, bitBytes],
      // centre and inv: adjacent, 2 · align(d · 4) bytes.
      [next.centre, this.at.centre, this.capacity ? 2 * align(d * 4) : 0],
    ];
    if (this.memory) {
      const have = this.memory.buffer.byteLength;
      if (next.end > have) this.memory.grow(Math.ceil((next.end - have) / PAGE));
      const bytes = new Uint8Array(this.memory.buffer);
      for (const [to, from, n] of moves) bytes.copyWithin(to, from, from + n);
      this.buffer = this.memory.buffer;
    } else {
      const buffer = new ArrayBuffer(next.end);
      for (const [to, from, n] of moves) new Uint8Array(buffer, to, n).set(new Uint8Array(this.buffer, from, n));
      this.buffer = buffer;
    }
    this.at = next;
    this.capacity = capacity;
    this.floatCapacity = floatCapacity;
    const b = this.buffer;
    this.query = new Float32Array(b, next.query, d);
    this.lut = new Int8Array(b, next.lut, B * 32);
    this.unsignedLut = new Uint8Array(b, next.unsignedLut, B * 32);
    this.weights = new Int16Array(b, next.weights, d);
    this.fineWeights = new Float32Array(b, next.fineWeights, d);
    this.centre = new Float32Array(b, next.centre, d);
    this.inv = new Float32Array(b, next.inv, d);
    this.histogram = new Uint32Array(b, next.histogram, 2 * this.offset + 2);
    this.codes = new Uint8Array(b, next.codes, blocks * BLOCK * B);
    this.head = new Uint8Array(b, next.head, blocks * headBlockBytes);
    // The first parts of the codes made before the arena grew this large.
    if (headed && !this.headed) {
      this.headed = true;
      this.copyHeads(0, keep.bits);
    }
    this.coded = new Int8Array(b, next.coded, capacity * d);
    this.rest = new Uint8Array(b, next.rest, capacity * this.restBytes);
    this.rowScale = new Float32Array(b, next.rowScale, capacity);
    this.distance = new Uint16Array(b, next.distance, blocks * BLOCK);
    this.list = new Int32Array(b, next.list, capacity);
    this.scores = new Float32Array(b, next.scores, capacity);
    this.nearestId = new Uint16Array(b, next.scores, Math.min(blocks * BLOCK, 2 * capacity));
    this.floats = new Float32Array(b, next.floats, floatCapacity * d);
  }

  /** centre and inv from `rows` sample rows (one after another in `sample`): their mean and spread. */
  fit(sample: Float32Array, rows: number): void {
    const d = this.dims;
    const sum = new Float64Array(d);
    const sq = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) sum[j]! += sample[r * d + j]!;
    for (let j = 0; j < d; j++) this.centre[j] = sum[j]! / Math.max(1, rows);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) sq[j]! += (sample[r * d + j]! - this.centre[j]!) ** 2;
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(sq[j]! / Math.max(1, rows));
      this.inv[j] = sd > 0 ? 1 / sd : 0;
    }
  }

  /** Int8 codes (and row scales) of float rows [0, rows) into coded rows [at, at + rows). */
  quantize(rows: number, at: number): void {
    const d = this.dims;
    if (this.kernels) {
      const a = this.at;
      const res = a.rest + at * this.restBytes;
      this.kernels.quantize(a.floats, d, rows, a.centre, a.inv, a.rowScale + at * 4, a.coded + at * d, res);
      return;
    }
    // In float32 steps, as the kernel computes, so both give the same codes.
    const { floats, centre, inv, coded, rowScale } = this;
    const f = Math.fround;
    const y = new Float32Array(d);
    for (let r = 0; r < rows; r++) {
      let max = 0;
      for (let j = 0; j < d; j++)
        max = Math.max(max, Math.abs((y[j] = f(f(floats[r * d + j]! - centre[j]!) * inv[j]!))));
      rowScale[at + r] = f(max / 127);
      const k = max > 0 ? f(127 / max) : 0;
      this.rest.fill(0, (at + r) * this.restBytes, (at + r + 1) * this.restBytes);
      for (let j = 0; j < d; j++) {
        const yk = f(y[j]! * k);
        const u = roundEven(yk);
        coded[(at + r) * d + j] = Math.max(-128, Math.min(127, u));
        const v = Math.min(3, Math.trunc(f(f(f(yk - u) + 0.5) * 4)));
        this.rest[(at + r) * this.restBytes + restByte(j)]! |= v << restShift(j);
      }
    }
  }

  /** Bit codes of rows [from, to) from their int8 codes. */
  signs(from: number, to: number): void {
    this.writeSigns(from, to);
    this.copyHeads(from, to);
  }

  /** `head` for the blocks covering bit codes [from, to). */
  private copyHeads(from: number, to: number): void {
    if (!this.headed) return;
    const H = this.headBytes * BLOCK;
    const W = this.bytes * BLOCK;
    for (let b = Math.floor(from / BLOCK); b < Math.ceil(to / BLOCK); b++)
      this.head.set(this.codes.subarray(b * W, b * W + H), b * H);
  }

  private writeSigns(from: number, to: number): void {
    if (this.kernels) {
      this.kernels.signs(this.at.coded, this.dims, from, to, this.at.codes);
      return;
    }
    const { coded, codes, dims: d, bytes: B } = this;
    for (let r = from; r < to; r++) {
      const at = (r - (r % BLOCK)) * B + (r % BLOCK);
      for (let j = 0; j < B; j++) {
        let x = 0;
        for (let k = 0; k < 8 && 8 * j + k < d; k++) if (coded[r * d + 8 * j + k]! > 0) x |= 1 << k;
        codes[at + j * BLOCK] = x;
      }
    }
  }

  /**
   * The lookup table and the int8 weights for the query now in `query`. A row is its centre plus
   * its code scaled back per dimension (x_j ≈ c_j + u_j · rowScale / inv_j), so q · x ≈ q · c +
   * rowScale · Σ (q_j / inv_j) u_j: the weights are q_j / inv_j in 16-bit integers.
   *
   * The table's estimate of that dot product is Σ (q_j / inv_j) · s_j, s_j = ±1 the side of the
   * centre the row lies on in dimension j: the row reduced to its signs, the query kept exact (this
   * ranks far better than comparing the query's own signs with the row's). Entries are the sums over
   * four dimensions, scaled to ±31.
   */
  setQuery(tableScale?: number): void {
    const { query: q, lut, dims: d, inv } = this;
    const w = this.exactWeights;
    let top = 0;
    let base = 0;
    for (let j = 0; j < d; j++) {
      w[j] = inv[j]! > 0 ? q[j]! / inv[j]! : 0;
      top = Math.max(top, Math.abs(w[j]!));
      base += q[j]! * this.centre[j]!;
    }
    const raw = this.rawTable;
    let max = 0;
    const nibble = [0, 0, 0, 0];
    for (let n = 0; n < 2 * this.bytes; n++) {
      // Nibble n covers dimensions 4n … 4n + 3 (low nibble of byte n >> 1 when n is even).
      const table = (n >> 1) * 32 + (n & 1) * 16;
      let all = 0;
      let most = 0; // the largest |entry|: every sign matching its weight's
      for (let k = 0; k < 4; k++) {
        nibble[k] = 4 * n + k < d ? w[4 * n + k]! : 0;
        all += nibble[k]!;
        most += Math.abs(nibble[k]!);
      }
      // Entry v from entry v less its lowest set bit: that dimension's sign turns from − to +.
      raw[table] = -all;
      for (let v = 1; v < 16; v++) raw[table + v] = raw[table + (v & (v - 1))]! + 2 * nibble[31 - Math.clz32(v & -v)]!;
      max = Math.max(max, most);
    }
    // A given scale (no larger than this query's own) makes estimates of different queries comparable.
    const scale = max > 0 ? Math.min(ENTRY / max, tableScale ?? Number.POSITIVE_INFINITY) : 0;
    this.lutScale = scale;
    for (let i = 0; i < raw.length; i++) lut[i] = Math.round(raw[i]! * scale);
    for (let i = 0; i < raw.length; i++) this.unsignedLut[i] = lut[i]! + ENTRY;
    // 16-bit weights: a row's sum stays far within 32 bits (|u| ≤ 127).
    const wScale = top > 0 ? 32767 / top : 0;
    for (let j = 0; j < d; j++) this.weights[j] = Math.round(w[j]! * wScale);
    for (let j = 0; j < d; j++) this.fineWeights[j] = w[j]! / 8;
    this.base = Math.fround(base);
    this.unit = wScale > 0 ? Math.fround(1 / wScale) : 0;
  }

  /** distance[r] = offset − the estimate for row r (smaller is closer), for r < rows (whole blocks are written). */
  estimate(rows: number): void {
    const blocks = Math.ceil(rows / BLOCK);
    if (this.kernels) {
      this.kernels.estimate(this.at.codes, blocks, this.bytes, this.at.unsignedLut, this.top, this.at.distance, 0, 0);
      return;
    }
    for (let r = 0; r < rows; r++) this.distance[r] = this.distanceAt(r);
  }

  /** The JavaScript loops' distance of the bit code at position p (offset − its estimate from code bytes [from, to)). */
  private distanceAt(p: number, from = 0, to = this.bytes): number {
    const { codes, lut, bytes: B } = this;
    const at = (p - (p % BLOCK)) * B + (p % BLOCK);
    let s = 0;
    for (let j = from; j < to; j++) {
      const x = codes[at + j * BLOCK]!;
      s += lut[j * 32 + (x & 15)]! + lut[j * 32 + 16 + (x >> 4)]!;
    }
    return this.offset - s;
  }

  /**
   * The bit code of coded row `row` written at position `pos` of the bit codes (an index whose rows
   * are grouped by list keeps them in list order; see invertedLists.ts).
   */
  signAt(row: number, pos: number): void {
    if (this.kernels) {
      // The kernel finds row r's int8 code at codes + r · dims and writes it as row r: shifting the
      // codes' start by (row − pos) rows makes it read `row` and write at `pos`.
      this.kernels.signs(this.at.coded + (row - pos) * this.dims, this.dims, pos, pos + 1, this.at.codes);
      return;
    }
    const { coded, codes, dims: d, bytes: B } = this;
    const at = (pos - (pos % BLOCK)) * B + (pos % BLOCK);
    for (let j = 0; j < B; j++) {
      let x = 0;
      for (let k = 0; k < 8 && 8 * j + k < d; k++) if (coded[row * d + 8 * j + k]! > 0) x |= 1 << k;
      codes[at + j * BLOCK] = x;
    }
  }

  /** distance[p] = offset − the estimate for the bit code at position p, for the whole blocks covering [from, to). */
  estimateRange(from: number, to: number): void {
    const first = Math.floor(from / BLOCK);
    const blocks = Math.ceil(to / BLOCK) - first;
    if (blocks <= 0) return;
    if (this.kernels) {
      const a = this.at;
      const codes = a.codes + first * BLOCK * this.bytes;
      this.kernels.estimate(codes, blocks, this.bytes, a.unsignedLut, this.top, a.distance + first * BLOCK * 2, 0, 0);
      return;
    }
    for (let r = first * BLOCK; r < (first + blocks) * BLOCK; r++) this.distance[r] = this.distanceAt(r);
  }

  /**
   * distance[p] = offset − the estimate from the first headBytes of the bit code at position p, for
   * the whole blocks covering [from, to); read from `head` (kept by `signs`).
   */
  estimateHead(from: number, to: number): void {
    const first = Math.floor(from / BLOCK);
    const blocks = Math.ceil(to / BLOCK) - first;
    const H = this.headBytes;
    if (blocks <= 0) return;
    if (this.kernels) {
      const a = this.at;
      const top = this.offset + 2 * ENTRY * H;
      this.kernels.estimate(
        a.head + first * BLOCK * H,
        blocks,
        H,
        a.unsignedLut,
        top,
        a.distance + first * BLOCK * 2,
        0,
        0,
      );
      return;
    }
    for (let r = first * BLOCK; r < (first + blocks) * BLOCK; r++) this.distance[r] = this.distanceAt(r, 0, H);
  }

  /**
   * Adds to the distances `estimateHead` left the estimate from the rest of every bit code (bytes
   * [headBytes, bytes)), for the whole blocks covering [from, to): then each is the distance of the
   * whole estimate, as `estimate` gives it. Reads that share of every block of `codes`.
   */
  estimateRest(from: number, to: number): void {
    const first = Math.floor(from / BLOCK);
    const blocks = Math.ceil(to / BLOCK) - first;
    if (blocks <= 0) return;
    const byte = this.headBytes;
    const count = this.bytes - byte;
    if (this.kernels) {
      const a = this.at;
      // top less the sum of the rest's unsigned entries is −(its estimate), added to a distance
      // that already holds the offset.
      this.kernels.estimate(
        a.codes + (first * this.bytes + byte) * BLOCK,
        blocks,
        count,
        a.unsignedLut + 32 * byte,
        2 * ENTRY * count,
        a.distance + first * BLOCK * 2,
        (this.bytes - count) * BLOCK,
        1,
      );
      return;
    }
    for (let r = first * BLOCK; r < (first + blocks) * BLOCK; r++)
      this.distance[r] = this.distance[r]! + this.distanceAt(r, byte, this.bytes) - this.offset;
  }

  /**
   * For bit codes at positions [from, to): where the table set by setQuery gives a smaller distance
   * than `distance` holds, `distance` takes it and `nearestId` takes `id`. Start with `distance` at
   * its largest (65535) for those positions.
   */
  nearest(from: number, to: number, id: number): void {
    const first = Math.floor(from / BLOCK);
    const blocks = Math.ceil(to / BLOCK) - first;
    if (blocks <= 0) return;
    // nearestId shares the scores' room, which holds whole blocks only from 16 rows on.
    if (this.kernels && this.nearestId.length >= (first + blocks) * BLOCK) {
      const a = this.at;
      const codes = a.codes + first * BLOCK * this.bytes;
      const skip = first * BLOCK * 2;
      this.kernels.nearest(codes, blocks, this.bytes, a.lut, this.offset, a.distance + skip, a.scores + skip, id);
      return;
    }
    const { distance, nearestId } = this;
    for (let r = from; r < to; r++) {
      const dist = this.distanceAt(r);
      if (dist < distance[r]!) {
        distance[r] = dist;
        nearestId[r] = id;
      }
    }
  }

  /** Adds the distances at positions [from, to) to the histogram (not cleared first). */
  countRange(from: number, to: number): void {
    if (to <= from) return;
    if (this.kernels) {
      this.kernels.histogram(this.at.distance + from * 2, to - from, this.at.histogram);
      return;
    }
    for (let p = from; p < to; p++) this.histogram[this.distance[p]!]!++;
  }

  /**
   * Lists the positions in [from, to) at distance ≤ cut at list[at], list[at + 1], …; returns how
   * many. Stops once more than `most` are listed (then returns more than `most`, by up to 8).
   */
  selectRange(from: number, to: number, cut: number, at: number, most = Number.POSITIVE_INFINITY): number {
    if (to <= from) return 0;
    const list = this.list;
    if (this.kernels) {
      const stop = Math.min(most, to - from);
      const m = this.kernels.select(this.at.distance + from * 2, to - from, cut, this.at.list + at * 4, stop);
      for (let i = at; i < at + m; i++) list[i]! += from;
      return m;
    }
    let m = at;
    for (let p = from; p < to && m - at <= most; p++) if (this.distance[p]! <= cut) list[m++] = p;
    return m - at;
  }

  /** scores[i] = coded row list[i] · query (see setQuery), for from ≤ i < count. */
  codedDots(count: number, from = 0): void {
    const d = this.dims;
    if (count <= from) return;
    if (this.kernels) {
      const a = this.at;
      const list = a.list + from * 4;
      const out = a.scores + from * 4;
      this.kernels.dots8(a.coded, d, list, count - from, a.weights, a.rowScale, this.base, this.unit, out);
      return;
    }
    const { coded, weights, list, rowScale, scores } = this;
    const f = Math.fround;
    for (let i = from; i < count; i++) {
      const r = list[i]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += weights[j]! * coded[r * d + j]!;
      scores[i] = f(this.base + f(this.unit * f(f(s) * rowScale[r]!)));
    }
  }

  /**
   * The score of coded row r from its int8 code and its 2-bit rests: each dimension to within an
   * eighth of an int8 step (the rest v stands for (2v − 3) / 8 of a step), so about four times nearer
   * the float dot product than `codedDots`.
   */
  refine(r: number): number {
    const { coded, rest, dims: d, restBytes } = this;
    const w = this.exactWeights;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = (rest[r * restBytes + restByte(j)]! >> restShift(j)) & 3;
      s += w[j]! * (coded[r * d + j]! + (2 * v - 3) / 8);
    }
    return this.base + this.rowScale[r]! * s;
  }

  /**
   * scores[i] = `refine(list[i])`, for i < count; the kernel sums in float32 (within about 10⁻⁶ of
   * the JavaScript loop's float64), where the loop took a quarter of a near query's time at 100k rows.
   */
  refineList(count: number): void {
    if (this.kernels) {
      const a = this.at;
      const base = this.base;
      this.kernels.refine(a.coded, a.rest, this.dims, a.list, count, a.fineWeights, a.rowScale, base, a.scores);
      return;
    }
    for (let i = 0; i < count; i++) this.scores[i] = this.refine(this.list[i]!);
  }

  /** scores[i] = float row list[i] · query, for i < count. */
  dots(count: number): void {
    if (this.kernels) {
      this.kernels.dots(this.at.floats, this.dims, this.at.list, count, this.at.query, this.at.scores);
      return;
    }
    for (let i = 0; i < count; i++) this.scores[i] = this.dot(this.list[i]!);
  }

  /** scores[r] = float row r · query, for r < rows. */
  scan(rows: number): void {
    if (this.kernels) {
      this.kernels.scan(this.at.floats, this.dims, rows, this.at.query, this.at.scores);
      return;
    }
    for (let r = 0; r < rows; r++) this.scores[r] = this.dot(r);
  }

  private dot(r: number): number {
    const d = this.dims;
    const data = this.floats;
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

function regions() {
  return {
    query: 0,
    lut: 0,
    unsignedLut: 0,
    weights: 0,
    fineWeights: 0,
    centre: 0,
    inv: 0,
    histogram: 0,
    codes: 0,
    head: 0,
    coded: 0,
    rest: 0,
    rowScale: 0,
    distance: 0,
    list: 0,
    scores: 0,
    floats: 0,
    end: 0,
  };
}

/** Where dimension j's 2-bit rest lies in its row's rests: 64 dimensions to 16 bytes, j, j + 16, j + 32, j + 48 in one. */
const restByte = (j: number) => (j >> 6) * 16 + (j & 15);
const restShift = (j: number) => 2 * ((j >> 4) & 3);

/** Rounds half to even, as WebAssembly's `nearest` does. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
