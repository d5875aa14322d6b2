import { VectorArena } from './vectorArena';

/**
 * The approximate search in three steps: an estimate of every row from its bit code, a finer one
 * from its 4-bit code for the best of those, then the exact float dot product for the best few
 * dozen. How many rows the second step looks at is decided per query: a first batch of FIRST rows
 * shows how the bit-code estimate relates to the fine one for this query (a least-squares line, and
 * the spread around it); rows whose bit-code estimate, Z spreads above that line, could still beat
 * the k-th best score found so far are added, up to CAP·√n. Queries near stored content stop at a
 * thousand or two candidates; queries unlike anything stored go on to several thousand, as they need.
 * Chosen on the benchmark's tuning queries (benchQueries(…, true), kept apart from the reported
 * ones) at 100k 384-d rows in Node: Z = 4 took 1.0k (near) / 5.3k (off-distribution) candidates at
 * p50 for recall@10 1.0 / 0.988, Z = 4.25 1.4k / 7.6k for 1.0 / 0.992, Z = 4.5 1.9k / 10.5k for
 * 1.0 / 0.996; a fixed 20·√n (6.3k) gave 1.0 / 0.996.
 */
const FIRST = 512;
const Z = 4.25;
const CAP = 48;
/**
 * Rows read in float: the best by their fine codes. On the tuning queries every true top-10 row
 * was within the first 32 by fine code (3-sigma spread), of 5,000 candidates at 100k.
 */
const FINAL = 64;

export interface VectorHit {
  docId: string;
  chunkIndex: number;
  score: number;
}

export interface VectorIndexOptions {
  /** Below this many rows every vector is scored exactly; above, a bit-code prefilter picks candidates. */
  approximateAbove?: number;
}

/**
 * All vectors of the searchable documents, contiguous in one WebAssembly memory (vectors are unit
 * length, so dot = cosine), scored with SIMD kernels, and a bounded min-heap for the top k.
 *
 * Large libraries add a one-bit-per-dimension code of each vector, centred on the mean vector
 * (sentence embeddings share a large common component, so raw signs say little). A query first
 * gets an estimate of its dot product with every row from the codes (the query exact, the row
 * reduced to its signs: one table lookup per 16 rows and 8 dimensions); only the best-estimated
 * few thousand candidates are then scored exactly in float.
 */
export class VectorIndex {
  private arena: VectorArena;
  private docOf: Int32Array;
  private chunkOf: Int32Array;
  private docIds: string[] = [];
  private docOrdinal = new Map<string, number>();
  private rows = 0;
  private readonly approximateAbove: number;
  private centred = false;
  /** Rows [0, encoded) have bit codes made with the current centre. */
  private encoded = 0;
  private centredAt = 0;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
    opts: VectorIndexOptions = {},
  ) {
    this.arena = new VectorArena(dimensions, capacity);
    this.docOf = new Int32Array(capacity);
    this.chunkOf = new Int32Array(capacity);
    // At 10k rows (384-d, Node, CPU time per query) the codes took 0.24 ms where the exact scan
    // took 0.44, at recall 1.0 on the benchmark's tuning queries.
    this.approximateAbove = opts.approximateAbove ?? 5000;
  }

  /** Bytes held in memory (vectors, codes, scratch space, row maps). */
  get memoryBytes(): number {
    return this.arena.byteLength + this.docOf.byteLength + this.chunkOf.byteLength;
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
    if (!Number.isInteger(n))
      throw new RangeError(`vector length ${vectors.length} is not a multiple of ${this.dimensions}`);
    this.reserve(this.rows + n);
    let ord = this.docOrdinal.get(docId);
    if (ord === undefined) {
      ord = this.docIds.length;
      this.docIds.push(docId);
      this.docOrdinal.set(docId, ord);
    }
    this.arena.data.set(vectors, this.rows * this.dimensions);
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
    const { data } = this.arena;
    let w = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.docOf[r] === ord) continue;
      if (w !== r) {
        data.copyWithin(w * d, r * d, (r + 1) * d);
        this.docOf[w] = this.docOf[r]!;
        this.chunkOf[w] = this.chunkOf[r]!;
        // A moved row's code is made again from its vector with the next search (as quick as
        // moving it byte by byte within the blocks of 16).
        this.encoded = Math.min(this.encoded, w);
      }
      w++;
    }
    this.rows = w;
    this.encoded = Math.min(this.encoded, w);
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
    const arena = this.arena;
    arena.query.set(query);
    // A filter to a few documents leaves few rows: scoring those exactly is cheap and loses nothing.
    let eligible = this.rows;
    if (allowed) {
      eligible = 0;
      for (let r = 0; r < this.rows; r++) eligible += allowed[this.docOf[r]!]!;
    }
    let count: number;
    let byRow = false; // scores indexed by row rather than by position in the candidate list
    if (!opts.exact && eligible >= this.approximateAbove) {
      count = this.approximate(k, eligible, allowed);
    } else if (allowed) {
      count = 0;
      for (let r = 0; r < this.rows; r++) if (allowed[this.docOf[r]!]) arena.list[count++] = r;
      arena.dots(count);
    } else {
      count = this.rows;
      arena.scan(count);
      byRow = true;
    }
    const heap = new TopK(k);
    const { list, scores } = arena;
    for (let i = 0; i < count; i++) heap.push(scores[i]!, byRow ? i : list[i]!);
    return heap
      .sorted()
      .map(([score, r]) => ({ docId: this.docIds[this.docOf[r]!]!, chunkIndex: this.chunkOf[r]!, score }));
  }

  /** Leaves the rows to score exactly in the arena's list, with their scores; returns how many. */
  private approximate(k: number, eligible: number, allowed: Uint8Array | null): number {
    this.updateCodes();
    const arena = this.arena;
    const n = this.rows;
    arena.setQuery();
    arena.estimate(n);
    const skip = 2 * arena.offset + 1;
    if (allowed) for (let r = 0; r < n; r++) if (!allowed[this.docOf[r]!]) arena.distance[r] = skip;
    arena.countDistances(n);
    const first = this.cutFor(Math.max(FIRST, 64 * k));
    let count = arena.select(n, first);
    // The first batch's bit-code estimates (offset − distance) against its fine ones.
    arena.fineEstimates(count);
    const { list, fineScores, distance, offset } = arena;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < count; i++) {
      sx += offset - distance[list[i]!]!;
      sy += fineScores[i]!;
    }
    const mx = sx / count;
    const my = sy / count;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < count; i++) {
      const x = offset - distance[list[i]!]! - mx;
      sxy += x * (fineScores[i]! - my);
      sxx += x * x;
    }
    const slope = sxy / sxx;
    let spread = 0;
    for (let i = 0; i < count; i++) spread += (fineScores[i]! - my - slope * (offset - distance[list[i]!]! - mx)) ** 2;
    spread = Math.sqrt(spread / Math.max(1, count - 2));
    const fine = new Map<number, number>();
    count = this.rescore(count, k, fine);
    if (count < k || first >= skip - 1) return count;
    // The k-th best row so far, in fine-code units: what any further row would have to beat.
    const heap = new TopK(k);
    for (let i = 0; i < count; i++) heap.push(arena.scores[i]!, list[i]!);
    const kth = fine.get(heap.sorted()[k - 1]![1])!;
    const reach =
      slope > 0 && Number.isFinite(slope) ? Math.floor(offset - (mx + (kth - my - Z * spread) / slope)) : skip - 1;
    const cut = Math.min(reach, this.cutFor(Math.max(FIRST, Math.ceil(CAP * Math.sqrt(eligible)))), skip - 1);
    if (cut <= first) return count;
    count = arena.select(n, cut);
    arena.fineEstimates(count);
    return this.rescore(count, k);
  }

  /** The smallest distance cut that keeps at least `count` rows (ties included), from the histogram. */
  private cutFor(count: number): number {
    const { histogram, offset } = this.arena;
    const skip = 2 * offset + 1;
    let cut = 0;
    for (let seen = 0; cut < skip && seen + histogram[cut]! < count; cut++) seen += histogram[cut]!;
    return cut;
  }

  /**
   * Of the `count` listed rows (fine estimates made), keeps the best FINAL by fine estimate in the
   * list and scores them exactly; records their fine estimates in `fine` if given. Returns how many.
   */
  private rescore(count: number, k: number, fine?: Map<number, number>): number {
    const arena = this.arena;
    const best = new TopK(Math.max(FINAL, 4 * k));
    for (let i = 0; i < count; i++) best.push(arena.fineScores[i]!, arena.list[i]!);
    const rows = best.sorted();
    rows.forEach(([f, r], i) => {
      arena.list[i] = r;
      fine?.set(r, f);
    });
    arena.dots(rows.length);
    return rows.length;
  }

  /**
   * Makes the bit codes now rather than in the first search that needs them (a library calls
   * this when it opens, so the first question does not wait for them).
   */
  prepare(): void {
    if (this.rows >= this.approximateAbove) this.updateCodes();
  }

  /** Codes for new rows; all codes again (with a fresh centre) whenever the index has doubled. */
  private updateCodes(): void {
    if (!this.centred || this.rows >= 2 * this.centredAt) {
      this.arena.computeCentre(this.rows);
      this.arena.computeSpread(this.rows);
      this.centred = true;
      this.centredAt = this.rows;
      this.encoded = 0;
    }
    this.arena.encodeRows(this.encoded, this.rows);
    this.arena.quantizeRows(this.encoded, this.rows);
    this.encoded = this.rows;
  }

  private reserve(rows: number): void {
    if (rows <= this.docOf.length) return;
    let cap = Math.max(rows, this.docOf.length * 2);
    try {
      this.arena.reserve(cap, this.rows, this.encoded);
    } catch (e) {
      // Doubling can overshoot the 4 GiB a WebAssembly memory may hold; exactly enough may still fit.
      if (!(e instanceof RangeError) || cap === rows) throw e;
      cap = rows;
      this.arena.reserve(cap, this.rows, this.encoded);
    }
    const docOf = new Int32Array(cap);
    docOf.set(this.docOf.subarray(0, this.rows));
    const chunkOf = new Int32Array(cap);
    chunkOf.set(this.chunkOf.subarray(0, this.rows));
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
