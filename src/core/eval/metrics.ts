/**
 * Ranking metrics as BEIR/pytrec_eval define them: graded gains, log2 discount, ideal ranking from
 * the judgements. `ranked` is a list of ids, best first; `relevant` maps id → grade (> 0).
 */
export type Judgements = ReadonlyMap<string, number>;

export function ndcgAt(ranked: readonly string[], relevant: Judgements, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const g = relevant.get(id) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  });
  const ideal = [...relevant.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

export function recallAt(ranked: readonly string[], relevant: Judgements, k: number): number {
  const wanted = [...relevant].filter(([, g]) => g > 0).map(([id]) => id);
  if (!wanted.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return wanted.filter((id) => top.has(id)).length / wanted.length;
}

/** Reciprocal rank of the first relevant id within the top k (0 if none). */
export function mrrAt(ranked: readonly string[], relevant: Judgements, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** 1 if any relevant id is within the top k. */
export function hitAt(ranked: readonly string[], relevant: Judgements, k: number): number {
  return ranked.slice(0, k).some((id) => (relevant.get(id) ?? 0) > 0) ? 1 : 0;
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Keeps the first occurrence of each key: chunk hits → documents scored by their best chunk. */
export function uniqueBy<T>(items: readonly T[], key: (t: T) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}
