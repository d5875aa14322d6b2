/**
 * An adversarial shape for the vector search (its benchmark and tests): a few topics scattered
 * through a library of clustered vectors (scripts/bench/pages/benchData.ts draws those).
 */

/** Topics in `mixTopics`' adversarial shape, and one row in TOPIC_STRIDE carries one (in turn). */
const TOPICS = 5;
const TOPIC_STRIDE = 100;
/** How strongly a topic row carries its topic: its score for the topic's queries is about 0.5, above any other row's. */
const TOPIC_WEIGHT = 0.6;

/** `n` standard Gaussian values, deterministic. */
function gaussian(n: number, seed: number): Float32Array {
  let x = seed;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Float32Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd()),
  );
}

/** Plain Gaussian directions, unit length: no cluster's, and not the library's offset. */
function topicDirections(d: number): Float32Array {
  const t = gaussian(TOPICS * d, 4243);
  for (let i = 0; i < TOPICS; i++) {
    const s = Math.hypot(...t.subarray(i * d, (i + 1) * d));
    for (let j = 0; j < d; j++) t[i * d + j]! /= s;
  }
  return t;
}

/**
 * The shape that defeats a search bounding groups of rows by their typical spread: a few topics no
 * cluster stands for, each carried by one row in TOPIC_STRIDE (100) spread evenly through the library (so through
 * many clusters, and many inverted lists, whose other rows score low for the topic). Mixes the topic
 * into those of rows [first, first + count) of the library that carry one (in place; `vectors` holds
 * those rows). `topicQueries` asks for the topics: their true top 10 are topic rows. At 30,000 rows
 * the lists' former bound (a list's mean score plus 4.5 of its spreads) found about half of them (0.51
 * in test/unit/vectorIndex.test.ts; 0.47 with the shape's first version).
 */
export function mixTopics(vectors: Float32Array, first: number, d: number): void {
  const topics = topicDirections(d);
  const count = vectors.length / d;
  for (let i = 0; i < count; i++) {
    const r = first + i;
    if (r % TOPIC_STRIDE !== TOPIC_STRIDE >> 1) continue;
    const t = Math.floor(r / TOPIC_STRIDE) % TOPICS;
    let s = 0;
    for (let j = 0; j < d; j++) s += (vectors[i * d + j]! += TOPIC_WEIGHT * topics[t * d + j]!) ** 2;
    for (let j = 0; j < d; j++) vectors[i * d + j]! /= Math.sqrt(s);
  }
}

/** `count` queries for `mixTopics`' topics (in turn), each the topic plus some noise, unit length. */
export function topicQueries(count: number, d: number): Float32Array {
  const topics = topicDirections(d);
  const noise = gaussian(count * d, 4244);
  const qs = new Float32Array(count * d);
  for (let q = 0; q < count; q++) {
    let s = 0;
    // Noise of length about 0.2: √d Gaussian values of spread 0.2 / √d.
    const scale = 0.2 / Math.sqrt(d);
    for (let j = 0; j < d; j++) s += (qs[q * d + j] = topics[(q % TOPICS) * d + j]! + scale * noise[q * d + j]!) ** 2;
    for (let j = 0; j < d; j++) qs[q * d + j]! /= Math.sqrt(s);
  }
  return qs;
}
