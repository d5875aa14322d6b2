import { SimdHamming } from './hammingSimd';

export interface VectorHit {
  docId: string;
  chunkIndex: number;
  score: number;
}

export interface VectorIndexOptions {
  /** Below this many rows every vector is scored exactly; above, a bit-code prefilter picks candidates. */
  approximateAbove?: number;
}

/** Set bits of a 32-bit word (SWAR: measured ~15% faster in V8 than a 64 KB lookup table). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * All vectors of the searchable documents in one contiguous Float32Array (vectors are unit
 * length, so dot = cosine), with a bounded min-heap for the top k.
 *
 * Large libraries add a one-bit-per-dimension code of each vector, centred on the mean vector
 * (sentence embeddings share a large common component, so raw signs say little). A query is first
 * compared with every code by Hamming distance, a few integer operations per 32 dimensions;
 * only the closest few hundred candidates are then scored exactly in float.
 */
export class VectorIndex {
  private data: Float32Array;
  private docOf: Int32Array;
  private chunkOf: Int32Array;
  private docIds: string[] = [];
  private docOrdinal = new Map<string, number>();
  private rows = 0;
  private readonly words: number;
  private readonly approximateAbove: number;
  private bits = new Uint32Array(0);
  private centre: Float32Array | null = null;
  /** Rows [0, encoded) have bit codes made with the current centre. */
  private encoded = 0;
  private centredAt = 0;
  /** Bumped whenever any stored code changes, so the SIMD copy knows when to reload. */
  private codeVersion = 0;
  private simd: SimdHamming | null | undefined;

  constructor(readonly dimensions: number, capacity = 1024, opts: VectorIndexOptions = {}) {
    this.data = new Float32Array(capacity * dimensions);
    this.docOf = new Int32Array(capacity);
    this.chunkOf = new Int32Array(capacity);
    this.words = Math.ceil(dimensions / 32);
    this.approximateAbove = opts.approximateAbove ?? 20_000;
  }

  /** Bytes held in memory (vectors, codes, row maps). */
  get memoryBytes(): number {
    return this.data.byteLength + this.docOf.byteLength + this.chunkOf.byteLength + this.bits.byteLength;
  }

  get size(): number {
    return this.rows;
  }

  has(docId: string): boolean {
    return this.docOrdinal.has(docId);
  }

  /** Adds vectors for chunks first, first + 1, … of a document. */
  add(docId: string, vectors: Float32Array, first = 0): void {
    const n = vectors.length / this.dimensions;
    if (!Number.isInteger(n)) throw new RangeError(`vector length ${vectors.length} is not a multiple of ${this.dimensions}`);
    this.reserve(this.rows + n);
    let ord = this.docOrdinal.get(docId);
    if (ord === undefined) {
      ord = this.docIds.length;
      this.docIds.push(docId);
      this.docOrdinal.set(docId, ord);
    }
    this.data.set(vectors, this.rows * this.dimensions);
    for (let i = 0; i < n; i++) {
      this.docOf[this.rows + i] = ord;
      this.chunkOf[this.rows + i] = first + i;
    }
    this.rows += n;
  }

  remove(docId: string): void {
    const ord = this.docOrdinal.get(docId);
    if (ord === undefined) return;
    const d = this.dimensions;
    const W = this.words;
    let w = 0;
    let encoded = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.docOf[r] === ord) continue;
      if (w !== r) {
        this.data.copyWithin(w * d, r * d, (r + 1) * d);
        this.docOf[w] = this.docOf[r]!;
        this.chunkOf[w] = this.chunkOf[r]!;
        if (r < this.encoded) this.bits.copyWithin(w * W, r * W, (r + 1) * W);
      }
      if (r < this.encoded) encoded = w + 1;
      w++;
    }
    this.rows = w;
    this.encoded = Math.min(encoded, this.encoded);
    this.codeVersion++;
    this.docOrdinal.delete(docId);
    // The ordinal slot stays reserved (as an empty name) so other rows' ordinals remain valid.
    this.docIds[ord] = '';
  }

  search(query: Float32Array, k: number, documents?: Iterable<string>, opts: { exact?: boolean } = {}): VectorHit[] {
    const d = this.dimensions;
    if (query.length !== d) throw new RangeError(`query has ${query.length} dimensions, index has ${d}`);
    let allowed: Uint8Array | null = null;
    if (documents) {
      allowed = new Uint8Array(this.docIds.length);
      for (const id of documents) {
        const ord = this.docOrdinal.get(id);
        if (ord !== undefined) allowed[ord] = 1;
      }
    }
    const heap = new TopK(k);
    // A filter to a few documents leaves few rows: scoring those exactly is cheap and loses nothing.
    let eligible = this.rows;
    if (allowed) {
      eligible = 0;
      for (let r = 0; r < this.rows; r++) eligible += allowed[this.docOf[r]!]!;
    }
    if (!opts.exact && eligible >= this.approximateAbove) {
      // Candidates grow with the square root of the index: measured on 384-d clustered vectors,
      // 12·√n gives recall@10 0.985–0.99 at 100k (3.8k candidates) and 1.0 at 1M (12k), where a
      // fixed fraction of n made 1M slow. Rescoring (scattered float rows) now costs more than
      // the SIMD Hamming pass, so this count is the speed/recall dial.
      const count = Math.max(1024, 64 * k, Math.ceil(12 * Math.sqrt(eligible)));
      for (const r of this.candidates(query, count, allowed)) heap.push(this.dot(r, query), r);
    } else {
      for (let r = 0; r < this.rows; r++) {
        if (allowed && !allowed[this.docOf[r]!]) continue;
        heap.push(this.dot(r, query), r);
      }
    }
    return heap.sorted().map(([score, r]) => ({ docId: this.docIds[this.docOf[r]!]!, chunkIndex: this.chunkOf[r]!, score }));
  }

  private dot(r: number, query: Float32Array): number {
    const d = this.dimensions;
    const data = this.data;
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

  /** The `count` rows whose bit codes are nearest the query's (ties at the cut included). */
  private candidates(query: Float32Array, count: number, allowed: Uint8Array | null): Int32Array {
    this.updateCodes();
    const W = this.words;
    const q = new Uint32Array(W);
    this.encode(query, 0, q, 0);
    const bits = this.bits;
    const n = this.rows;
    const distance = new Uint16Array(n);
    const histogram = new Uint32Array(W * 32 + 2);
    const skip = W * 32 + 1;
    this.simd ??= SimdHamming.create(W);
    if (this.simd && !allowed) {
      const simd = this.simd.distances(bits, n, this.codeVersion, q);
      distance.set(simd);
      for (let r = 0; r < n; r++) histogram[distance[r]!]!++;
    } else for (let r = 0; r < n; r++) {
      if (allowed && !allowed[this.docOf[r]!]) {
        distance[r] = skip;
        continue;
      }
      let h = 0;
      const o = r * W;
      for (let w = 0; w < W; w++) h += popcount(bits[o + w]! ^ q[w]!);
      distance[r] = h;
      histogram[h]!++;
    }
    let cut = 0;
    for (let seen = 0; cut < skip && seen + histogram[cut]! < count; cut++) seen += histogram[cut]!;
    const out: number[] = [];
    for (let r = 0; r < n; r++) if (distance[r]! <= cut) out.push(r);
    return Int32Array.from(out);
  }

  private encode(v: Float32Array, offset: number, out: Uint32Array, at: number): void {
    const centre = this.centre!;
    const d = this.dimensions;
    for (let w = 0; w < this.words; w++) {
      let x = 0;
      const end = Math.min(32, d - w * 32);
      for (let b = 0; b < end; b++) if (v[offset + w * 32 + b]! > centre[w * 32 + b]!) x |= 1 << b;
      out[at + w] = x >>> 0;
    }
  }

  /** Codes for new rows; all codes again (with a fresh centre) whenever the index has doubled. */
  private updateCodes(): void {
    const d = this.dimensions;
    if (!this.centre || this.rows >= 2 * this.centredAt) {
      const centre = new Float64Array(d);
      for (let r = 0; r < this.rows; r++) for (let j = 0; j < d; j++) centre[j]! += this.data[r * d + j]!;
      this.centre = Float32Array.from(centre, (x) => x / Math.max(1, this.rows));
      this.centredAt = this.rows;
      this.encoded = 0;
    }
    if (this.bits.length < this.docOf.length * this.words) {
      const grown = new Uint32Array(this.docOf.length * this.words);
      grown.set(this.bits.subarray(0, this.encoded * this.words));
      this.bits = grown;
    }
    if (this.encoded < this.rows) this.codeVersion++;
    for (let r = this.encoded; r < this.rows; r++) this.encode(this.data, r * d, this.bits, r * this.words);
    this.encoded = this.rows;
  }

  private reserve(rows: number): void {
    if (rows <= this.docOf.length) return;
    const cap = Math.max(rows, this.docOf.length * 2);
    const data = new Float32Array(cap * this.dimensions);
    data.set(this.data.subarray(0, this.rows * this.dimensions));
    const docOf = new Int32Array(cap);
    docOf.set(this.docOf.subarray(0, this.rows));
    const chunkOf = new Int32Array(cap);
    chunkOf.set(this.chunkOf.subarray(0, this.rows));
    this.data = data;
    this.docOf = docOf;
    this.chunkOf = chunkOf;
  }
}

/** Keeps the k largest (score, id) pairs seen; a min-heap so each push is O(log k). */
export class TopK {
  private scores: Float64Array;
  private ids: Int32Array;
  private n = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.ids = new Int32Array(Math.max(1, k));
  }

  push(score: number, id: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.scores[p]! <= score) break;
        this.scores[i] = this.scores[p]!;
        this.ids[i] = this.ids[p]!;
        i = p;
      }
      this.scores[i] = score;
      this.ids[i] = id;
      return;
    }
    if (score <= this.scores[0]!) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.scores[r]! < this.scores[l]! ? r : l;
      if (this.scores[c]! >= score) break;
      this.scores[i] = this.scores[c]!;
      this.ids[i] = this.ids[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.ids[i] = id;
  }

  sorted(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) out.push([this.scores[i]!, this.ids[i]!]);
    return out.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  }
}
