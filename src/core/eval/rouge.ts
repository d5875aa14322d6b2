/**
 * ROUGE as issue 21 defines it for `npm run eval -- DIR --summaries`: tokens are lower-cased
 * `[a-z0-9]+` runs, no stemming, no stop words removed; F1 of unigram and bigram overlap (clipped
 * counts) and of the longest common subsequence.
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function f1(overlap: number, candidate: number, reference: number): number {
  if (!overlap || !candidate || !reference) return 0;
  const p = overlap / candidate;
  const r = overlap / reference;
  return (2 * p * r) / (p + r);
}

function grams(tokens: string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

export function rougeN(candidate: string[], reference: string[], n: number): number {
  const c = grams(candidate, n);
  const r = grams(reference, n);
  let overlap = 0;
  for (const [g, k] of c) overlap += Math.min(k, r.get(g) ?? 0);
  return f1(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

export function rougeL(candidate: string[], reference: string[]): number {
  let prev = new Uint16Array(reference.length + 1);
  let cur = new Uint16Array(reference.length + 1);
  for (let i = 1; i <= candidate.length; i++) {
    for (let j = 1; j <= reference.length; j++)
      cur[j] = candidate[i - 1] === reference[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return f1(prev[reference.length]!, candidate.length, reference.length);
}
