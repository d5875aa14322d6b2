import type { VectorHit } from './vectorIndex';

export type Ranked = VectorHit;
const key = (h: Ranked) => `${h.docId}\u0000${h.chunkIndex}`;

/** Reciprocal rank fusion: Σ 1 / (c + rank). Uses ranks only, so score scales do not matter. */
export function reciprocalRankFusion(lists: Ranked[][], c = 60, weights: number[] = lists.map(() => 1)): Ranked[] {
  const fused = new Map<string, Ranked>();
  lists.forEach((list, li) => {
    list.forEach((h, rank) => {
      const k = key(h);
      const prev = fused.get(k);
      const add = weights[li]! / (c + rank + 1);
      fused.set(k, { docId: h.docId, chunkIndex: h.chunkIndex, score: (prev?.score ?? 0) + add });
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

/**
 * Convex combination of per-list normalised scores. `zscore` centres each list on its mean and
 * scales by its spread, which keeps one list's long tail from flattening the other; a hit missing
 * from a list gets that list's lowest normalised score.
 */
export function scoreFusion(
  lists: Ranked[][],
  weights: number[],
  normalisation: 'minmax' | 'zscore' = 'zscore',
): Ranked[] {
  const fused = new Map<string, { hit: Ranked; parts: (number | undefined)[] }>();
  const floors: number[] = [];
  lists.forEach((list, li) => {
    const scores = list.map((h) => h.score);
    const norm = normaliser(scores, normalisation);
    floors[li] = scores.length ? Math.min(...scores.map(norm)) : 0;
    for (const h of list) {
      const k = key(h);
      let entry = fused.get(k);
      if (!entry)
        fused.set(
          k,
          (entry = { hit: { docId: h.docId, chunkIndex: h.chunkIndex, score: 0 }, parts: lists.map(() => undefined) }),
        );
      entry.parts[li] = norm(h.score);
    }
  });
  const out: Ranked[] = [];
  for (const { hit, parts } of fused.values()) {
    let s = 0;
    parts.forEach((p, li) => (s += weights[li]! * (p ?? floors[li]!)));
    out.push({ ...hit, score: s });
  }
  return out.sort((a, b) => b.score - a.score);
}

function normaliser(scores: number[], mode: 'minmax' | 'zscore'): (s: number) => number {
  if (!scores.length) return () => 0;
  if (mode === 'minmax') {
    const lo = Math.min(...scores);
    const hi = Math.max(...scores);
    return hi > lo ? (s) => (s - lo) / (hi - lo) : () => 1;
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  return sd > 0 ? (s) => (s - mean) / sd : () => 0;
}
