import { VectorArena } from './vectorArena';

/** k-means rounds over the sample: the lists only order and bound the search, they need not be optimal. */
const ROUNDS = 5;
/**
 * Fewest rows an index must expect to group them: below, estimating every bit code costs less than
 * summing up the lists for a query (at 10k rows of the benchmark's vectors, Node: 0.45 ms per
 * near query without lists, 0.64 with).
 */
const LISTS_FROM = 25_000;
/**
 * Most lists: assigning a row compares it with every centroid (one bit-code estimate each), so the
 * build grows with the lists; 256 leave about 4,000 rows a list at 1M.
 */
const MAX_LISTS = 256;
/**
 * A list's mean and spread are taken over every fourth row (rows are in the order they were added,
 * so that is an even sample of each list): a quarter of the work. The bound holds whatever they are
 * (its radius is measured over every row against them); they only make it tighter.
 */
const SUMMARY_STEP = 4;
/** Fewest sample rows per list: fewer leave centroids that describe single rows. */
const PER_LIST = 8;

/**
 * The rows of a coded index grouped into lists (an inverted file): each row belongs to the list
 * whose centroid it is nearest (by angle around the codes' centre), and the bit codes are laid out
 * list after list, so one list's estimates are one contiguous run of blocks for the kernels.
 *
 * What a search needs of a list is a bound on its rows' scores that holds for every row, whatever
 * the query. Per list it keeps, over its rows' coded values y (int8 code times row scale), a mean μ
 * and a variance v per dimension, and its radius: the largest Σ_j (y_j − μ_j)² / v_j over its rows,
 * square-rooted. For query weights w (a row's score is base + w · y), Cauchy–Schwarz in the metric
 * v gives w · (y − μ) ≤ √(Σ w_j² v_j) · radius for every row of the list, so no row scores above
 * base + w · μ + radius · √(Σ w_j² v_j). Both sums are one pass over the list's summary, none over
 * its rows. A bound that takes the scores to be roughly normal around the mean (4.5 spreads, before)
 * is far tighter and wrong exactly when it matters: a topic carried by a few rows of many lists
 * (scripts/lib/topics.ts) put the true neighbours beyond it and recall@10 fell to 0.47. The
 * centroids are only used to assign rows.
 *
 * Positions [0, organized) hold the rows laid out by list (`perm` maps a position to its row);
 * rows added later sit at their own row number (the tail), are searched in full, and join their
 * lists when the tail has grown enough to be worth laying out again.
 */
export class InvertedLists {
  readonly count: number;
  /** Unit vectors, centred on the codes' centre, one per list (count × dims). */
  readonly centroids: Float32Array;
  /** Per list and dimension, the sum of its rows' coded values y (int8 code times row scale), and of y². */
  private sum: Float64Array;
  private sumSq: Float64Array;
  /** Rows per list in its summary (every SUMMARY_STEP-th row). */
  private summarised: Int32Array;
  /**
   * Per list and dimension, the mean of its rows' coded values and their variance (never 0: the
   * metric of the list's bound), as the float rows of two small arenas: a query's weights meet every
   * list's summary in one SIMD scan.
   */
  readonly means: VectorArena;
  readonly variances: VectorArena;
  /** Per list, the largest distance of a row from its mean in the metric of its variances (see above). */
  readonly radius: Float64Array;
  /** Positions [start[c], start[c + 1]) hold list c's rows. */
  start: Int32Array;
  /** perm[p] = the row at position p < organized. */
  perm: Int32Array = new Int32Array(0);
  /** Rows laid out in list order; 0 until the first layout and after a removal. */
  organized = 0;

  constructor(
    readonly dims: number,
    centroids: Float32Array,
  ) {
    this.count = centroids.length / dims;
    this.centroids = centroids;
    this.sum = new Float64Array(this.count * dims);
    this.sumSq = new Float64Array(this.count * dims);
    this.summarised = new Int32Array(this.count);
    this.means = new VectorArena(dims, this.count, this.count);
    this.variances = new VectorArena(dims, this.count, this.count);
    this.radius = new Float64Array(this.count);
    this.start = new Int32Array(this.count + 1);
  }

  /**
   * Lists for `total` rows from sample rows (d floats each) and the codes' centre: spherical k-means
   * around the centre, about √total / 2 lists (about 630 rows each at 100k), at most MAX_LISTS and
   * one per PER_LIST sample rows. Null when that leaves fewer than two lists.
   */
  static train(sample: Float32Array, rows: number, centre: Float32Array, total: number): InvertedLists | null {
    const d = centre.length;
    const count = Math.min(Math.round(Math.sqrt(total) / 2), Math.floor(rows / PER_LIST), MAX_LISTS);
    if (count < 2 || total < LISTS_FROM) return null;
    const points = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (points[r * d + j] = sample[r * d + j]! - centre[j]!) ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) points[r * d + j]! *= inv;
    }
    // The centroids live in a small arena's float rows so each point meets all of them in one SIMD scan.
    const arena = new VectorArena(d, count, count);
    const centroids = arena.floats;
    // Seeds spread evenly through the sample (it is an even sample of the library).
    for (let c = 0; c < count; c++)
      centroids.set(points.subarray(Math.floor((c * rows) / count) * d).subarray(0, d), c * d);
    const sums = new Float64Array(count * d);
    const of = new Int32Array(rows);
    for (let round = 0; round < ROUNDS; round++) {
      sums.fill(0);
      for (let r = 0; r < rows; r++) {
        arena.query.set(points.subarray(r * d, (r + 1) * d));
        arena.scan(count);
        let best = 0;
        for (let c = 1; c < count; c++) if (arena.scores[c]! > arena.scores[best]!) best = c;
        of[r] = best;
        for (let j = 0; j < d; j++) sums[best * d + j]! += points[r * d + j]!;
      }
      for (let c = 0; c < count; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += sums[c * d + j]! ** 2;
        // An empty list keeps its centroid: it may gather rows added later.
        if (s === 0) continue;
        const inv = 1 / Math.sqrt(s);
        for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! * inv;
      }
    }
    return new InvertedLists(d, Float32Array.from(centroids));
  }

  /**
   * Assigns rows [from, to) (their bit codes at positions from … to − 1) to the list whose centroid
   * estimates highest: each centroid is set as the arena's query, and its estimates over those rows'
   * bit codes are compared in score units. Adds their signs to the lists' summaries.
   */
  assign(arena: VectorArena, listOf: Int32Array, from: number, to: number): void {
    if (to <= from) return;
    const d = this.dims;
    // One table scale for every centroid (the smallest any needs), so their distances compare as integers.
    let scale = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.count; c++) {
      arena.query.set(this.centroids.subarray(c * d, (c + 1) * d));
      arena.setQuery();
      if (arena.lutScale > 0) scale = Math.min(scale, arena.lutScale);
    }
    // Whole blocks: the kernel compares 16 rows at a time.
    arena.distance.fill(65535, Math.floor(from / 16) * 16, Math.ceil(to / 16) * 16);
    for (let c = 0; c < this.count; c++) {
      arena.query.set(this.centroids.subarray(c * d, (c + 1) * d));
      arena.setQuery(scale);
      arena.nearest(from, to, c);
    }
    for (let r = from; r < to; r++) listOf[r] = arena.nearestId[r]!;
    for (let r = from; r < to; r++) this.count1(arena, listOf[r]!, r);
  }

  /** Adds row r's coded values to list c's summary, if r is one of the rows summarised. */
  private count1(arena: VectorArena, c: number, r: number): void {
    if (r % SUMMARY_STEP) return;
    const d = this.dims;
    const { coded, rowScale } = arena;
    const scale = rowScale[r]!;
    this.summarised[c]!++;
    for (let j = 0, o = c * d; j < d; j++, o++) {
      const y = coded[r * d + j]! * scale;
      this.sum[o]! += y;
      this.sumSq[o]! += y * y;
    }
  }

  /** Summaries from scratch for rows [0, rows) (after a removal moved rows). */
  recount(arena: VectorArena, listOf: Int32Array, rows: number): void {
    this.summarised.fill(0);
    this.sum.fill(0);
    this.sumSq.fill(0);
    for (let r = 0; r < rows; r++) this.count1(arena, listOf[r]!, r);
  }

  /** Lays rows [0, rows) out list by list in the arena's bit codes, and refreshes the summaries and radii. */
  organize(arena: VectorArena, listOf: Int32Array, rows: number): void {
    const start = this.start;
    start.fill(0);
    for (let r = 0; r < rows; r++) start[listOf[r]! + 1]!++;
    for (let c = 0; c < this.count; c++) start[c + 1]! += start[c]!;
    if (this.perm.length < rows) this.perm = new Int32Array(Math.max(rows, 2 * this.perm.length));
    const next = Int32Array.from(start.subarray(0, this.count));
    for (let r = 0; r < rows; r++) {
      const p = next[listOf[r]!]!++;
      this.perm[p] = r;
      arena.signAt(r, p);
    }
    this.organized = rows;
    const d = this.dims;
    const means = this.means.floats;
    const variances = this.variances.floats;
    for (let c = 0; c < this.count; c++) {
      const n = this.summarised[c]!;
      let total = 0;
      for (let j = 0, o = c * d; j < d; j++, o++) {
        const m = n > 0 ? this.sum[o]! / n : 0;
        means[o] = m;
        total += variances[o] = n > 0 ? Math.max(0, this.sumSq[o]! / n - m * m) : 0;
      }
      // A dimension with no spread in the sample may still have some in the rows not sampled: a floor
      // keeps every row at a finite distance (any positive metric makes the bound hold).
      const floor = Math.max(total / d, 1e-12) * 1e-3;
      for (let o = c * d; o < (c + 1) * d; o++) variances[o] = Math.max(variances[o]!, floor);
    }
    this.measureRadii(arena, rows);
  }

  /** radius[c] over every laid-out row: one pass over the int8 codes. */
  private measureRadii(arena: VectorArena, rows: number): void {
    const d = this.dims;
    const { coded, rowScale } = arena;
    const means = this.means.floats;
    const inverse = this.variances.floats.map((v) => 1 / v);
    this.radius.fill(0);
    for (let c = 0; c < this.count; c++) {
      let most = 0;
      for (let p = this.start[c]!; p < this.start[c + 1]! && p < rows; p++) {
        const r = this.perm[p]!;
        const scale = rowScale[r]!;
        let s = 0;
        for (let j = 0, o = c * d, at = r * d; j < d; j++, o++, at++) {
          const y = coded[at]! * scale - means[o]!;
          s += y * y * inverse[o]!;
        }
        if (s > most) most = s;
      }
      this.radius[c] = Math.sqrt(most);
    }
  }

  /**
   * bound[c] = the highest score any laid-out row of list c may have for the query the arena was
   * last set to (setQuery): base + w · μ + radius · √(Σ w_j² v_j).
   */
  bounds(arena: VectorArena, bound: Float64Array): void {
    const { exactWeights: w, base } = arena;
    const { means, variances } = this;
    means.query.set(w);
    means.scan(this.count);
    for (let j = 0; j < w.length; j++) variances.query[j] = w[j]! * w[j]!;
    variances.scan(this.count);
    for (let c = 0; c < this.count; c++)
      bound[c] = base + means.scores[c]! + this.radius[c]! * Math.sqrt(Math.max(0, variances.scores[c]!));
  }

  /** Bytes held: the layout, the summaries and the centroids. */
  get byteLength(): number {
    return (
      this.perm.byteLength +
      this.sum.byteLength * 2 +
      this.centroids.byteLength +
      this.means.byteLength +
      this.variances.byteLength +
      this.radius.byteLength
    );
  }

  /** The row at position p (a laid-out list, or the tail, where position = row). */
  rowAt(p: number): number {
    return p < this.organized ? this.perm[p]! : p;
  }
}
