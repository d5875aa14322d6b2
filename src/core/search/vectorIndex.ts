import { InvertedLists } from './invertedLists';
import { VectorArena } from './vectorArena';

/**
 * The approximate search in two steps: an estimate of every row from its bit code, then its score
 * from its int8 code for the best of those. How many rows the second step looks at is decided per
 * query: a first batch of the best-estimated rows shows how the bit-code estimate relates to the
 * score for this query (a least-squares line, and the spread around it); rows whose bit-code
 * estimate, Z spreads above that line, could still beat the k-th best score found so far are added,
 * up to CAP·√n. Queries near stored content stop at several hundred candidates; queries unlike
 * anything stored go on to tens of thousands, as they need. At 1M rows of the benchmark's vectors
 * (Node, its 40 judged queries, a first batch of 640 for all): near queries took 648 candidates at p50, off-distribution ones 24k
 * (the cap for the hardest), recall@10 1.0 / 0.990 with CAP = 64 and 1.0 / 0.985 with 48; Z = 4.5
 * took 38k for no more recall.
 *
 * The first batch is SMALL_FIRST_PER_K · k rows (160 for 10); when its line lets more than
 * EXTEND_ABOVE further rows in, it grows to max(FIRST, 64 · k) (640) and the line is fitted again.
 * The small batch describes a near query as well as the large one and halves what it scores (the
 * bench's vectors and queries plus its tuning set, 50 near, 50 off-distribution and 20 topic
 * queries: rows scored at p50 for near queries 887 instead of 1,531 at 100k, 161 instead of 648 at
 * 1M; recall@10 unchanged at 10k, 100k and 1M). A query whose cut reaches far (off-distribution
 * ones, topics at 1M) gets the large batch, fitted on the same rows as before: a batch of 256 for
 * every query lost off-distribution recall at 1M (0.986 for 0.990).
 */
const FIRST = 512;
const SMALL_FIRST_PER_K = 16;
const EXTEND_ABOVE = 1024;
/**
 * The first batch's cut is found from one distance in this many (see Probe.sampledSelect): odd, so
 * that it falls on every position within a block of 16 in turn.
 */
const SAMPLE_STEP = 17;
const Z = 4.25;
const CAP = 64;
/**
 * Rows beyond the k asked for whose scores are refined with their 2-bit rests: the best by int8
 * score. The int8 scores are within about 10⁻³ of the float ones, so the true top 10 lies far inside
 * the best 74 (at 100k and 1M rows of the benchmark's vectors: recall@10 1.0 on near queries).
 */
const FINAL = 64;
/**
 * A list is probed while its bound (invertedLists.ts: no row of it scores higher, whatever the data)
 * reaches the k-th best int8 score found so far less this: the int8 scores the candidates are ranked
 * by are within about 10⁻³ of the float ones, so a row bounded below it by this much cannot be one
 * of the k best.
 */
const LIST_MARGIN = 4e-3;
/** The first lists probed hold at least this many rows (and are at least two). */
const FIRST_PROBE = 4096;
/**
 * From this many rows (held, not room for; and eligible for a search) the arena keeps the first half of
 * every bit code again on its own (`VectorArena.head`, 24 bytes a row at 384-d, read as one
 * stream), and a search estimates every row from that half first and fits its line on those
 * estimates (the same line and Z as for the whole estimate). When the line lets in at most
 * PART_MOST rows beyond the first batch, the query is settled without reading the other half;
 * otherwise the other half is added to the estimates and the search goes on as without the part,
 * with the same answers, having paid for the half's pass. At 1M rows of the bench's vectors (Node,
 * load 8, one process, the paths interleaved): all 50 near queries of the bench and its tuning set
 * settled by the half, 3.5 ms instead of 6.0, recall@10 1.0; half of the topic queries too, recall
 * 1.0; off-distribution queries all searched whole, slower by the half's pass. A third of each code
 * (16 bytes) settled as many near queries at 1M but lost recall on smaller, harder sets (0.975 at
 * 30k rows with Z = 5; test/unit/vectorIndex.test.ts); read in place, a part of every 768-byte
 * block of codes was no faster than whole blocks (the memory prefetch follows a stream, not a
 * stride), hence the copy. Used from 2¹⁹ rows: at 300k (14 MB of codes, mostly in cache) near
 * queries took 0.97× of the time without the half and off-distribution ones 1.10×; at 600k 0.62–0.64×
 * and 1.07–1.19× (recall@10 near 0.992 against 0.996: one true neighbour in 250); at 100k a near query
 * scores ~1,000 rows, which a part's line did not settle. The dimensions of a code are
 * its own coordinates, not rotated ones, so the half is a fair sample of a row's dimensions only where
 * they are alike; the line, fitted per query on what the half estimates, lets in more rows (or hands
 * the query to the whole estimate) where it ranks poorly.
 */
const PART_ABOVE = 524_288;
/**
 * Rows beyond the first batch that a first part's line may let in and still settle the query: int8
 * scores for ~4k scattered rows (~115 ns each at 1M) cost less than the other half of 1M codes.
 */
const PART_MOST = 4096;
/** Rows sampled to fit the codes' centre and spread. */
const SAMPLE = 4096;
/** Rows coded at a time once rows are coded (their floats pass through the arena's float region). */
const BATCH = 256;

export interface VectorHit {
  docId: string;
  chunkIndex: number;
  score: number;
}

export interface VectorIndexOptions {
  /**
   * Up to this many rows the index holds floats and scores every row exactly; beyond, it holds int8
   * codes and a bit-code prefilter picks the candidates.
   */
  approximateAbove?: number;
  /**
   * Groups rows of a large index into lists and skips the lists that cannot hold a better row (see
   * invertedLists.ts). Off unless asked for: the bound that makes skipping safe (one that holds for
   * every row, whatever the data) excludes no list on the benchmark's 384-d vectors, whose clusters
   * are as wide as they are apart, so every query is searched in full after the probe and the lists
   * only cost building time and memory. (The bound before, a list's mean plus 4.5 spreads, skipped
   * most lists for near questions, but lost true neighbours scattered through lists whose other rows
   * score low: recall@10 0.47 on such data.)
   */
  invertedLists?: boolean;
  /** Rows from which the first part of each bit code is estimated first (PART_ABOVE; tests set fewer). */
  firstPartAbove?: number;
}

/**
 * All vectors of the searchable documents in one WebAssembly memory (vectors are unit length, so
 * dot = cosine), scored with SIMD kernels, and a bounded min-heap for the top k.
 *
 * A small index keeps its float vectors and scans them all. Past `approximateAbove` rows the floats
 * go (they stay in IndexedDB; the index never reads them again) and every row is held as codes
 * centred on the mean vector (sentence embeddings share a large common component, so raw signs say
 * little): one bit per dimension, an int8 code with its 2-bit rests (vectorArena.ts), and a scale —
 * 532 bytes for a 384-d row where the floats took 1,536, 550 with the row maps and scratch space. A
 * query first gets an estimate of its dot product with every row from the bit codes (the query
 * exact, the row reduced to its signs: one table lookup per 16 rows and 8 dimensions); the
 * best-estimated candidates are then scored from their int8 codes, and the best k + FINAL of those again
 * with their rests: those scores, within about 3·10⁻⁴ of the float dot product, are the ones returned.
 *
 * The centre and spread are fitted once, when the index first codes its rows: from an even sample of
 * everything a library holds when it opens (`calibrate`), or from the rows added so far when a
 * growing index passes the threshold. A scale per row means a poor fit costs some precision, never
 * a clipped value.
 *
 * Asked to (`invertedLists`), an index that expects 25,000 rows or more also groups them into about √n / 2 lists (an inverted
 * file, invertedLists.ts, fitted on the same sample) and keeps their bit codes list by list. A
 * search then estimates only the lists whose bound reaches the k-th best found so far (`Probe`),
 * where the estimate over every row was most of the time. When that is most of the lists, it
 * estimates every row as without lists, so no query loses recall to them. Lists are kept up as rows
 * come and go: new rows are searched in full until they are a quarter of the laid-out ones, then
 * assigned and laid out; a removal lays the lists out again with the next search. Nothing about them is stored: a library
 * that opens fits and assigns them again (about one bit-code pass per list).
 */
export class VectorIndex {
  private arena: VectorArena;
  private docOf: Int32Array;
  private chunkOf: Int32Array;
  private docIds: string[] = [];
  private docOrdinal = new Map<string, number>();
  private rows = 0;
  private readonly approximateAbove: number;
  private readonly useLists: boolean;
  private readonly partAbove: number;
  /** Rows are int8 codes (and the float region is a batch buffer), not floats. */
  private coded = false;
  /** Rows [0, encoded) have bit codes. */
  private encoded = 0;
  /** The rows grouped in lists (an inverted file), once coded; null if too few rows to group. */
  private lists: InvertedLists | null = null;
  /** The list of each row in [0, assigned). */
  private listOf: Int32Array;
  private assigned = 0;
  /**
   * What the last approximate search did: bit codes estimated (from their first `codeBytes` bytes
   * when a first part settled it), rows scored from their int8 codes
   * (`calibrated` of them the batch its line was fitted on), and lists probed (of how many; 0 when
   * searched as without lists).
   */
  lastProbe = { estimated: 0, codeBytes: 0, scored: 0, calibrated: 0, lists: 0, of: 0 };

  constructor(
    readonly dimensions: number,
    capacity = 1024,
    opts: VectorIndexOptions = {},
  ) {
    // At 10k rows (384-d, Node, CPU time per query) the codes took 0.24 ms where the exact scan
    // took 0.44, at recall 1.0 on the benchmark's tuning queries.
    this.approximateAbove = opts.approximateAbove ?? 5000;
    this.useLists = opts.invertedLists ?? false;
    // Floats for the first rows only: an index filled at once past the threshold never holds them all.
    this.partAbove = opts.firstPartAbove ?? PART_ABOVE;
    const floats = Math.min(capacity, this.approximateAbove, 64);
    // The first part of the codes is kept once the rows, not the room, reach partAbove (see reserve).
    this.arena = new VectorArena(dimensions, capacity, floats, true);
    this.docOf = new Int32Array(capacity);
    this.chunkOf = new Int32Array(capacity);
    // Held only by an index with lists (see fit).
    this.listOf = new Int32Array(0);
  }

  /** Bytes held in memory (codes or vectors, scratch space, row maps). */
  get memoryBytes(): number {
    const lists = this.lists ? this.lists.byteLength : 0;
    return this.arena.byteLength + this.docOf.byteLength + this.chunkOf.byteLength + this.listOf.byteLength + lists;
  }

  get size(): number {
    return this.rows;
  }

  /** What runs the search loops: WebAssembly SIMD (with relaxed SIMD for the estimates), or JavaScript. */
  get kernels(): 'relaxed-simd' | 'simd' | 'js' {
    return this.arena.relaxed ? 'relaxed-simd' : this.arena.simd ? 'simd' : 'js';
  }

  has(docId: string): boolean {
    return this.docOrdinal.has(docId);
  }

  /**
   * Fits the codes to an even sample (`evenSample`) of the `total` vectors about to be held (a library
   * calls this when it opens, with all of them at hand) and codes from then on, rows already held
   * too; nothing changes if `total` does not pass the threshold or the rows are already coded.
   */
  calibrate(sample: Float32Array, total: number): void {
    const rows = sample.length / this.dimensions;
    // An index that will stay small keeps its floats; one already coded keeps its fit (its rows'
    // codes were made with it).
    if (!rows || total <= this.approximateAbove || this.coded) return;
    this.fit(sample, rows, total);
    this.codeFloats();
  }

  /** Adds vectors for chunks first, first + 1, … of a document. */
  add(docId: string, vectors: Float32Array, first = 0): void {
    const d = this.dimensions;
    const n = vectors.length / d;
    if (!Number.isInteger(n)) throw new RangeError(`vector length ${vectors.length} is not a multiple of ${d}`);
    if (!this.coded && this.rows + n > this.approximateAbove) {
      // Fitted on the rows so far and an even sample of these.
      const held = this.arena.floats.subarray(0, this.rows * d);
      this.fit(evenSample([held, vectors], d, SAMPLE), Math.min(SAMPLE, this.rows + n), this.rows + n);
      this.codeFloats();
    }
    this.reserve(this.rows + n);
    let ord = this.docOrdinal.get(docId);
    if (ord === undefined) {
      ord = this.docIds.length;
      this.docIds.push(docId);
      this.docOrdinal.set(docId, ord);
    }
    if (this.coded) {
      for (let i = 0; i < n; i += BATCH) {
        const m = Math.min(BATCH, n - i);
        this.arena.floats.set(vectors.subarray(i * d, (i + m) * d));
        this.arena.quantize(m, this.rows + i);
      }
    } else {
      this.arena.floats.set(vectors, this.rows * d);
    }
    for (let i = 0; i < n; i++) {
      this.docOf[this.rows + i] = ord;
      this.chunkOf[this.rows + i] = first + i;
    }
    this.rows += n;
  }

  /** The codes' centre and spread, and the lists, from sample rows, for an index about to hold `total`. */
  private fit(sample: Float32Array, rows: number, total: number): void {
    this.arena.fit(sample, rows);
    this.lists = this.useLists ? InvertedLists.train(sample, rows, this.arena.centre, total) : null;
    if (this.lists) this.listOf = new Int32Array(this.docOf.length);
    this.assigned = 0;
  }

  /** From floats to int8 codes (the centre and spread fitted): the floats' room becomes a batch buffer. */
  private codeFloats(): void {
    if (this.coded) return;
    this.arena.quantize(this.rows, 0);
    this.coded = true;
    this.encoded = 0;
    this.arena.reserve(this.arena.capacity, BATCH, {
      floats: 0,
      coded: this.rows,
      bits: 0,
    });
  }

  remove(docId: string): void {
    const ord = this.docOrdinal.get(docId);
    if (ord === undefined) return;
    const d = this.dimensions;
    const { floats, coded, rowScale, rest } = this.arena;
    const restBytes = this.arena.restBytes;
    let w = 0;
    let assigned = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.docOf[r] === ord) continue;
      if (r < this.assigned) assigned++;
      if (w !== r) {
        if (this.coded) {
          coded.copyWithin(w * d, r * d, (r + 1) * d);
          rest.copyWithin(w * restBytes, r * restBytes, (r + 1) * restBytes);
          rowScale[w] = rowScale[r]!;
        } else floats.copyWithin(w * d, r * d, (r + 1) * d);
        this.docOf[w] = this.docOf[r]!;
        this.chunkOf[w] = this.chunkOf[r]!;
        this.listOf[w] = this.listOf[r]!;
        // A moved row's bit code is made again from its int8 code with the next search (as quick
        // as moving it bit by bit within the blocks of 16).
        this.encoded = Math.min(this.encoded, w);
      }
      w++;
    }
    this.rows = w;
    this.encoded = Math.min(this.encoded, w);
    this.assigned = assigned;
    if (this.lists) {
      // Rows moved: the lists are laid out again, from their rows' codes, with the next search.
      this.lists.recount(this.arena, this.listOf, assigned);
      this.lists.organized = 0;
      this.encoded = 0;
    }
    this.docOrdinal.delete(docId);
    // The ordinal slot stays reserved (as an empty name) so other rows' ordinals remain valid.
    this.docIds[ord] = '';
  }

  /**
   * The k best rows for `query` (of `documents`, if given). `exact` scores every row (as held: in
   * float while the index is small, from the int8 codes once it is coded) instead of prefiltering.
   */
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
    // Bit codes and lists first: laying out the lists sets queries of its own.
    if (this.coded && this.rows >= this.approximateAbove) this.updateCodes();
    arena.query.set(query);
    if (this.coded) arena.setQuery();
    // A filter to a few documents leaves few rows: scoring those directly is cheap and loses nothing.
    let eligible = this.rows;
    if (allowed) {
      eligible = 0;
      for (let r = 0; r < this.rows; r++) eligible += allowed[this.docOf[r]!]!;
    }
    let count: number;
    let byRow = false; // scores indexed by row rather than by position in the candidate list
    if (this.coded && !opts.exact && eligible >= this.approximateAbove) {
      count = this.approximate(k, eligible, allowed);
    } else if (allowed || this.coded) {
      count = 0;
      for (let r = 0; r < this.rows; r++) if (!allowed || allowed[this.docOf[r]!]) arena.list[count++] = r;
      this.score(count);
    } else {
      count = this.rows;
      arena.scan(count);
      byRow = true;
    }
    const { list, scores } = arena;
    let heap = new TopK(this.coded ? k + FINAL : k);
    for (let i = 0; i < count; i++) heap.push(scores[i]!, byRow ? i : list[i]!);
    if (this.coded) {
      const best = heap.sorted();
      for (const [i, [, r]] of best.entries()) list[i] = r;
      arena.refineList(best.length);
      heap = new TopK(k);
      for (let i = 0; i < best.length; i++) heap.push(scores[i]!, list[i]!);
    }
    return heap
      .sorted()
      .map(([score, r]) => ({ docId: this.docIds[this.docOf[r]!]!, chunkIndex: this.chunkOf[r]!, score }));
  }

  /** scores[i] = the score of row list[i], for i < count, from whatever the rows are held as. */
  private score(count: number): void {
    if (this.coded) this.arena.codedDots(count);
    else this.arena.dots(count);
  }

  /** Leaves the candidates in the arena's list, with their scores; returns how many. */
  private approximate(
    k: number,
    eligible: number,
    allowed: Uint8Array | null,
    everyList = false,
    estimated = false,
  ): number {
    const arena = this.arena;
    const n = this.rows;
    const skip = 2 * arena.offset + 1;
    const probe = new Probe(arena, this.lists, n, allowed, this.docOf, skip, everyList);
    // A first part of every code first, while its line alone may settle the query (see PART_ABOVE).
    const part = !estimated && !this.lists && arena.headed && eligible >= this.partAbove ? arena.headBytes : 0;
    probe.start(part, estimated);
    let count = probe.batch(SMALL_FIRST_PER_K * k, 0);
    if (count < k || probe.lastCut >= skip - 1) {
      // Too few rows in the lists probed first (a filter may leave few there): every row, then.
      if (probe.estimated < n) return this.approximate(k, eligible, allowed, true);
      if (part) return this.whole(probe, k, eligible, allowed);
      return this.probed(probe, count);
    }
    let line = fitLine(probe.xs, arena.scores, count, k, arena.offset);
    const wide = Math.max(FIRST, 64 * k);
    const most = Math.max(FIRST, Math.ceil(CAP * Math.sqrt(eligible)));
    // Whether the first batch grows, when the select below already tells (no count of every distance then).
    let extend: boolean | undefined;
    if (probe.whole && count < wide) {
      // Every row the line lets in, listed in one pass; counted (the histogram) only when too many.
      const limit = part ? PART_MOST : EXTEND_ABOVE;
      const more = probe.select(Math.min(line.reach, skip - 1), count, limit);
      if (more <= limit && count + more <= most) {
        probe.calibrated = count;
        probe.toRows(count + more, count);
        arena.codedDots(count + more, count);
        return this.probed(probe, count + more, part);
      }
      // The first part's line lets in too many rows: the rest of every code, and the query again.
      if (part) return this.whole(probe, k, eligible, allowed);
      extend = more > EXTEND_ABOVE;
    }
    if (part) return this.whole(probe, k, eligible, allowed);
    if (count < wide && (extend ?? probe.within(line.reach) > EXTEND_ABOVE)) {
      count += probe.batch(wide - count, count);
      line = fitLine(probe.xs, arena.scores, count, k, arena.offset);
    }
    probe.calibrated = count;
    const { kth, fits, reach } = line;
    // When the lists that may hold a better row are most of them (a query unlike any list's rows, or
    // rows too spread for the bound to exclude a list), the query is searched as without lists, its
    // first batch from every row (one from the nearest lists describes others poorly).
    if (!probe.reach(fits ? kth : Number.NEGATIVE_INFINITY, n / 2)) return this.approximate(k, eligible, allowed, true);
    const before = count;
    // The rows within reach, listed in one pass that stops past the cap; only a query that reaches
    // past it counts every distance, for the cut that keeps the cap. Off-distribution queries at 1M
    // had counted every distance (0.6–1 ms of their ~10, Chromium) for a cut the line set.
    let more = probe.select(Math.min(reach, skip - 1), count, most - count);
    if (more > most - count) more = probe.select(Math.min(reach, probe.cutFor(most - count), skip - 1), count);
    count += more;
    probe.toRows(count, before);
    arena.codedDots(count, before);
    return this.probed(probe, count);
  }

  /** The rest of every code added to a first part's estimates (probe's), and the search again from the whole ones. */
  private whole(probe: Probe, k: number, eligible: number, allowed: Uint8Array | null): number {
    probe.complete();
    return this.approximate(k, eligible, allowed, false, true);
  }

  private probed(probe: Probe, count: number, part = 0): number {
    this.lastProbe = {
      estimated: probe.estimated,
      codeBytes: part || this.arena.bytes,
      scored: count,
      calibrated: probe.calibrated,
      lists: probe.listsProbed,
      of: this.lists?.count ?? 0,
    };
    return count;
  }

  /**
   * Codes the rows now rather than in the first search that needs them (a library calls this when
   * it opens, so the first question does not wait for them).
   */
  prepare(): void {
    if (this.rows < this.approximateAbove) return;
    if (!this.coded) {
      this.fit(this.arena.floats, this.rows, this.rows);
      this.codeFloats();
    }
    this.updateCodes();
  }

  /** Bit codes for rows that have none (added, or moved by a removal). */
  private updateCodes(): void {
    const lists = this.lists;
    // Rows past the laid-out lists (all rows, before the first layout) keep their bit code at their own position.
    this.arena.signs(Math.max(this.encoded, lists?.organized ?? 0), this.rows);
    this.encoded = this.rows;
    // The tail is searched in full: laid out again once it has grown by a quarter (each row is
    // assigned once; a layout is one pass over the int8 codes).
    if (!lists || (lists.organized > 0 && this.rows - lists.organized <= lists.organized / 4)) return;
    lists.assign(this.arena, this.listOf, this.assigned, this.rows);
    this.assigned = this.rows;
    lists.organize(this.arena, this.listOf, this.rows);
  }

  /** Room for `rows` rows: codes and row maps by doubling, floats (while not coded) as far as the threshold. */
  private reserve(rows: number): void {
    const arena = this.arena;
    const keep = () => ({ floats: this.coded ? 0 : this.rows, coded: this.coded ? this.rows : 0, bits: this.encoded });
    if (!this.coded && rows > arena.floatCapacity) {
      const floats = Math.min(this.approximateAbove, Math.max(rows, 2 * arena.floatCapacity));
      arena.reserve(Math.max(arena.capacity, floats), floats, keep());
    }
    // The half of every code from partAbove rows, not from that much room: a library of 300k rows
    // whose room doubled to 600k held 12.6 MB of halves no search of it reads.
    const head = arena.headed || rows >= this.partAbove;
    if (rows <= this.docOf.length && rows <= arena.capacity) {
      if (head && !arena.headed) arena.reserve(arena.capacity, arena.floatCapacity, keep(), true);
      return;
    }
    let cap = Math.max(rows, this.docOf.length * 2);
    try {
      arena.reserve(cap, arena.floatCapacity, keep(), head);
    } catch (e) {
      // Doubling can overshoot the 4 GiB a WebAssembly memory may hold; exactly enough may still fit.
      if (!(e instanceof RangeError) || cap === rows) throw e;
      cap = rows;
      arena.reserve(cap, arena.floatCapacity, keep(), head);
    }
    if (this.lists) {
      const listOf = new Int32Array(cap);
      listOf.set(this.listOf.subarray(0, this.rows));
      this.listOf = listOf;
    }
    const docOf = new Int32Array(cap);
    docOf.set(this.docOf.subarray(0, this.rows));
    const chunkOf = new Int32Array(cap);
    chunkOf.set(this.chunkOf.subarray(0, this.rows));
    this.docOf = docOf;
    this.chunkOf = chunkOf;
  }
}

/**
 * The positions whose bit codes one search estimates: every position when the index has no lists;
 * otherwise the tail (rows not yet laid out), then lists in order of how high their rows' estimates
 * may reach (see invertedLists.ts), at first enough for a first batch of candidates, then every list
 * whose bound reaches the k-th best found (`reach`).
 */
class Probe {
  /** Ranges of positions estimated: from, to, from, to, … */
  private ranges: number[] = [];
  estimated = 0;
  listsProbed = 0;
  /** Positions already scored. */
  private dropped = new Int32Array(0);
  /** The estimates of the rows scored in batches, in the list's order. */
  xs = new Float64Array(0);
  /** The last batch's cut. */
  lastCut = 0;
  /** Rows the estimates' line was fitted on. */
  calibrated = 0;
  /** What `sampledSelect` listed. */
  private selected = 0;
  /** Entries of `ranges` the filter last went through. */
  private filtered = -1;
  /** Dropped since the last count: the positions at distance ≤ this (−1: none). */
  private droppedCut = -1;
  /** Entries of `ranges` the histogram counts. */
  private counted = -1;
  private order: number[] = [];
  /** Per list: the highest score any of its rows may have for this query. */
  private bound: Float64Array;
  private done: Uint8Array;

  constructor(
    private arena: VectorArena,
    private lists: InvertedLists | null,
    private n: number,
    private allowed: Uint8Array | null,
    private docOf: Int32Array,
    private skip: number,
    /** Every position at once, as an index without lists. */
    private everyList: boolean,
  ) {
    const count = lists?.organized ? lists.count : 0;
    this.bound = new Float64Array(count);
    this.done = new Uint8Array(count);
  }

  /**
   * Estimates every position from the first `part` bytes of its code (0: all of them; estimated:
   * none, the distances are there), or the lists to probe first.
   */
  start(part = 0, estimated = false): void {
    const lists = this.lists;
    if (estimated || part) {
      if (part) this.arena.estimateHead(0, this.n);
      this.ranges.push(0, this.n);
      this.estimated = this.n;
      return;
    }
    if (!lists?.organized || this.everyList) {
      this.add(0, this.n);
      return;
    }
    this.add(lists.organized, this.n);
    const bound = this.bound;
    lists.bounds(this.arena, bound);
    for (let c = 0; c < lists.count; c++) if (lists.start[c + 1]! > lists.start[c]!) this.order.push(c);
    this.order.sort((a, b) => bound[b]! - bound[a]!);
    for (const c of this.order) {
      if (this.estimated >= FIRST_PROBE && this.listsProbed >= 2) break;
      this.probe(c);
    }
  }

  /**
   * Probes every list whose rows may reach `score` (−∞: all of them), unless that would estimate
   * more than `most` bit codes in all: then nothing more, and false.
   */
  reach(score: number, most: number): boolean {
    const lists = this.lists;
    if (!lists?.organized || this.everyList) return true;
    const reached = this.order.filter((c) => !this.done[c] && this.bound[c]! >= score - LIST_MARGIN);
    let rows = this.estimated;
    for (const c of reached) rows += lists.start[c + 1]! - lists.start[c]!;
    if (rows > most) return false;
    for (const c of reached) this.probe(c);
    return true;
  }

  /**
   * Adds the rest of every code to the first part's distances: those of the rows scored are put
   * back first (filtered rows are filtered again by the next probe).
   */
  complete(): void {
    const { distance, offset } = this.arena;
    for (let i = 0; i < this.dropped.length; i++) distance[this.dropped[i]!] = offset - this.xs[i]!;
    this.arena.estimateRest(0, this.n);
  }

  private probe(c: number): void {
    const lists = this.lists!;
    this.done[c] = 1;
    this.listsProbed++;
    this.add(lists.start[c]!, lists.start[c + 1]!);
  }

  private add(from: number, to: number): void {
    if (to <= from) return;
    this.arena.estimateRange(from, to);
    this.ranges.push(from, to);
    this.estimated += to - from;
  }

  /**
   * Rows filtered out or already scored get the distance no cut reaches. Done again before each
   * count and selection (the filter's pass again only after more lists were estimated): a list's
   * estimate rewrites whole blocks of 16, which may reach into lists probed before.
   */
  private filter(): void {
    const { allowed, docOf, lists, ranges } = this;
    const distance = this.arena.distance;
    for (const p of this.dropped) distance[p] = this.skip;
    if (!allowed || this.filtered === ranges.length) return;
    this.filtered = ranges.length;
    for (let i = 0; i < ranges.length; i += 2)
      for (let p = ranges[i]!; p < ranges[i + 1]!; p++) {
        const r = lists ? lists.rowAt(p) : p;
        if (!allowed[docOf[r]!]) distance[p] = this.skip;
      }
  }

  /**
   * Scores a batch from list[at] on: every estimated position not yet scored at distance ≤ the
   * smallest cut that keeps at least `size` of them (ties included), made rows, their estimates
   * kept in `xs`; returns how many.
   */
  batch(size: number, at: number): number {
    let cut = this.counted < 0 && this.whole ? this.sampledSelect(size, at) : -1;
    let count = at + this.selected;
    if (cut < 0) {
      // Never the distance no estimate has (rows scored already, or filtered out): with fewer rows
      // left than asked for, `cutFor` returns it.
      cut = Math.min(this.cutFor(size), this.skip - 1);
      count = at + this.select(cut, at);
    }
    const { list, distance, offset } = this.arena;
    const xs = new Float64Array(count);
    xs.set(this.xs.subarray(0, at));
    for (let i = at; i < count; i++) xs[i] = offset - distance[list[i]!]!;
    this.xs = xs;
    // Scored once: later batches list only positions not in this one.
    const dropped = new Int32Array(count);
    dropped.set(this.dropped);
    dropped.set(list.subarray(this.dropped.length, count), this.dropped.length);
    this.dropped = dropped;
    this.droppedCut = cut;
    this.lastCut = cut;
    this.toRows(count, at);
    this.arena.codedDots(count, at);
    return count - at;
  }

  /**
   * `batch`'s cut and selection without counting every distance: a histogram of one position in
   * SAMPLE_STEP gives a cut that keeps about twice `size`; the positions within it (one pass of the
   * select kernel) are counted exactly for the cut `cutFor` would give, and those within that kept
   * (the same positions, in the same order). Returns the cut, and leaves how many in `selected`;
   * −1 when the sample fell short (then `cutFor`). The histogram is left to be counted again.
   */
  private sampledSelect(size: number, at: number): number {
    this.filter();
    const { histogram, distance, list } = this.arena;
    histogram.fill(0);
    for (let p = 0; p < this.n; p += SAMPLE_STEP) histogram[distance[p]!]!++;
    let rough = 0;
    const want = Math.ceil((2 * size) / SAMPLE_STEP);
    for (let seen = 0; rough < this.skip && seen + histogram[rough]! < want; rough++) seen += histogram[rough]!;
    const m = rough < this.skip ? this.select(rough, at) : 0;
    if (m < size) return -1;
    histogram.fill(0, 0, rough + 1);
    for (let i = at; i < at + m; i++) histogram[distance[list[i]!]!]!++;
    let cut = 0;
    for (let seen = 0; seen + histogram[cut]! < size; cut++) seen += histogram[cut]!;
    let w = at;
    for (let i = at; i < at + m; i++) if (distance[list[i]!]! <= cut) list[w++] = list[i]!;
    this.selected = w - at;
    return cut;
  }

  /** Every position is estimated, in one range (no lists, or searched as without them). */
  get whole(): boolean {
    return this.ranges.length === 2 && this.ranges[0] === 0 && this.ranges[1] === this.n;
  }

  /** The histogram of the estimated positions not yet scored nor filtered out. */
  private counts(): Uint32Array {
    this.filter();
    const { histogram } = this.arena;
    if (this.counted === this.ranges.length && this.droppedCut >= 0) {
      // Nothing estimated since the last count: the positions dropped since are those at distance
      // ≤ droppedCut, so their bins move to the one no cut reaches (a second pass over every
      // distance took as long as selecting a near query's second batch).
      for (let b = 0; b <= this.droppedCut; b++) {
        histogram[this.skip]! += histogram[b]!;
        histogram[b] = 0;
      }
    } else if (this.counted !== this.ranges.length) {
      histogram.fill(0);
      for (let i = 0; i < this.ranges.length; i += 2) this.arena.countRange(this.ranges[i]!, this.ranges[i + 1]!);
      this.counted = this.ranges.length;
    }
    this.droppedCut = -1;
    return histogram;
  }

  /** The smallest distance cut that keeps at least `count` estimated rows not yet scored (ties included); −1 for none. */
  cutFor(count: number): number {
    if (count <= 0) return -1;
    const histogram = this.counts();
    let cut = 0;
    for (let seen = 0; cut < this.skip && seen + histogram[cut]! < count; cut++) seen += histogram[cut]!;
    return cut;
  }

  /** How many estimated rows not yet scored lie at distance ≤ cut. */
  within(cut: number): number {
    const histogram = this.counts();
    let seen = 0;
    for (let b = 0; b <= Math.min(cut, this.skip - 1); b++) seen += histogram[b]!;
    return seen;
  }

  /**
   * Lists the estimated positions not yet scored at distance ≤ cut from list[at] on; returns how
   * many, or (having stopped) more than `most`.
   */
  select(cut: number, at = 0, most = Number.POSITIVE_INFINITY): number {
    // The kernel compares unsigned: a negative cut would keep every position, not none.
    if (!(cut >= 0)) return 0;
    this.filter();
    let m = at;
    for (let i = 0; i < this.ranges.length && m - at <= most; i += 2)
      m += this.arena.selectRange(this.ranges[i]!, this.ranges[i + 1]!, cut, m, most - (m - at));
    return m - at;
  }

  /** The list's positions from `from` on made rows. */
  toRows(count: number, from = 0): void {
    const lists = this.lists;
    if (!lists?.organized) return;
    const list = this.arena.list;
    for (let i = from; i < count; i++) list[i] = lists.rowAt(list[i]!);
  }
}

/**
 * The first batch's bit-code estimates (`xs`) against their scores: a least-squares line and the
 * spread around it; the k-th best score so far (what any further row would have to beat); and
 * `reach`, the largest distance (offset − estimate) a row may have and still beat it by Z spreads
 * of the line (every distance when the estimates do not rise with the scores).
 */
function fitLine(xs: Float64Array, scores: Float32Array, count: number, k: number, offset: number) {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < count; i++) {
    sx += xs[i]!;
    sy += scores[i]!;
  }
  const mx = sx / count;
  const my = sy / count;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < count; i++) {
    const x = xs[i]! - mx;
    sxy += x * (scores[i]! - my);
    sxx += x * x;
  }
  const slope = sxy / sxx;
  let spread = 0;
  for (let i = 0; i < count; i++) spread += (scores[i]! - my - slope * (xs[i]! - mx)) ** 2;
  spread = Math.sqrt(spread / Math.max(1, count - 2));
  const heap = new TopK(k);
  for (let i = 0; i < count; i++) heap.push(scores[i]!, i);
  const kth = heap.sorted()[k - 1]![0];
  const fits = slope > 0 && Number.isFinite(slope);
  // `least`, the lowest estimate a row could have and still beat the k-th best.
  const least = fits ? mx + (kth - my - Z * spread) / slope : Number.NEGATIVE_INFINITY;
  // −1 (no row) when even the best estimate cannot beat it; every distance when the line says nothing.
  const reach = Math.floor(offset - least);
  return { kth, fits, reach: fits && !Number.isNaN(reach) ? Math.max(-1, reach) : Number.POSITIVE_INFINITY };
}

/**
 * Up to `max` rows taken evenly from the rows of `parts` (d floats each, in order), one after
 * another: what `VectorIndex.calibrate` fits the codes to.
 */
export function evenSample(parts: Float32Array[], d: number, max = SAMPLE): Float32Array {
  const total = parts.reduce((n, p) => n + p.length / d, 0);
  const take = Math.min(max, total);
  const out = new Float32Array(take * d);
  let part = 0;
  let before = 0; // rows in the parts before `part`
  for (let i = 0; i < take; i++) {
    const r = Math.floor((i * total) / take);
    while (r >= before + parts[part]!.length / d) before += parts[part++]!.length / d;
    out.set(parts[part]!.subarray((r - before) * d, (r - before + 1) * d), i * d);
  }
  return out;
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
