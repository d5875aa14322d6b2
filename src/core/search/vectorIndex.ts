export interface VectorHit {
  docId: string;
  chunkIndex: number;
  score: number;
}

/**
 * All vectors of the searchable documents in one contiguous Float32Array, scanned with a plain
 * dot product (vectors are unit length, so dot = cosine) and a bounded min-heap for the top k.
 */
export class VectorIndex {
  private data: Float32Array;
  private docOf: Int32Array;
  private chunkOf: Int32Array;
  private docIds: string[] = [];
  private docOrdinal = new Map<string, number>();
  private rows = 0;

  constructor(readonly dimensions: number, capacity = 1024) {
    this.data = new Float32Array(capacity * dimensions);
    this.docOf = new Int32Array(capacity);
    this.chunkOf = new Int32Array(capacity);
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
    let w = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.docOf[r] === ord) continue;
      if (w !== r) {
        this.data.copyWithin(w * d, r * d, (r + 1) * d);
        this.docOf[w] = this.docOf[r]!;
        this.chunkOf[w] = this.chunkOf[r]!;
      }
      w++;
    }
    this.rows = w;
    this.docOrdinal.delete(docId);
    // The ordinal slot stays reserved (as an empty name) so other rows' ordinals remain valid.
    this.docIds[ord] = '';
  }

  search(query: Float32Array, k: number, documents?: Iterable<string>): VectorHit[] {
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
    const data = this.data;
    for (let r = 0; r < this.rows; r++) {
      if (allowed && !allowed[this.docOf[r]!]) continue;
      let s = 0;
      const base = r * d;
      for (let j = 0; j < d; j++) s += data[base + j]! * query[j]!;
      heap.push(s, r);
    }
    return heap.sorted().map(([score, r]) => ({ docId: this.docIds[this.docOf[r]!]!, chunkIndex: this.chunkOf[r]!, score }));
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
