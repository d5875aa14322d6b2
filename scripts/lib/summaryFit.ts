/**
 * `npm run eval -- <dir> --summaries --fit [--lambda 10] [--scale 4]`: learned weights for the
 * summariser. Hand-set weights tuned end to end on a few documents did not hold on others (one
 * document swings the mean by 0.01–0.03); a sentence scorer has thousands of sentences to learn
 * from instead. Each prose sentence's features (sentenceFeatures) are regressed (ridge) on its
 * ROUGE-1 precision against the reference — the share of its tokens the reference holds, what a
 * word of the summary's budget buys —, features and target centred per document (a document's own
 * level says nothing of which of its sentences to take). The fit, scaled so its largest weight is
 * `scale`, is added to the default weights. Prints the fit on each half checked end to end on the
 * other half (150 words, ROUGE-1 F1 beside the default's), then the fit on the whole set as
 * FOLIO_SUMMARY_WEIGHTS for the other sets' evals.
 */
import {
  rougeN,
  rougeTokens,
  type SentenceFeatures,
  SUMMARY_WEIGHTS,
  type SummaryWeights,
  sentenceFeatures,
  summarisePassages,
} from '../../src/core';
import { loadSummarySet, type SummarySetDoc } from './summaryEval';

export interface SummaryFitOptions {
  words: number;
  /** Ridge penalty, per 100 sentences, on standardised features. */
  lambda: number;
  /** The fitted weights' largest magnitude, added to the defaults. */
  scale: number;
}

type FeatureName = keyof SentenceFeatures;

/** Each sentence's features and its ROUGE-1 precision against the document's reference. */
function sentenceRows(d: SummarySetDoc): { x: SentenceFeatures[]; y: number[] } {
  const rows = sentenceFeatures(d.passages, d.doc.title ? { title: d.doc.title } : {});
  const ref = new Map<string, number>();
  for (const t of rougeTokens(d.reference)) ref.set(t, (ref.get(t) ?? 0) + 1);
  const y = rows.map(({ sentence }) => {
    const own = new Map<string, number>();
    const tokens = rougeTokens(sentence.text);
    for (const t of tokens) own.set(t, (own.get(t) ?? 0) + 1);
    let matched = 0;
    for (const [t, n] of own) matched += Math.min(n, ref.get(t) ?? 0);
    return matched / Math.max(1, tokens.length);
  });
  return { x: rows.map((r) => r.features), y };
}

/** Ridge regression, per-document centred and standardised, back in the features' own units. */
function fitWeights(docs: SummarySetDoc[], keys: FeatureName[], lambda: number): number[] {
  const X: number[][] = [];
  const y: number[] = [];
  for (const d of docs) {
    const rows = sentenceRows(d);
    const n = rows.y.length;
    if (!n) continue;
    const mx = keys.map((k) => rows.x.reduce((s, f) => s + f[k], 0) / n);
    const my = rows.y.reduce((a, b) => a + b, 0) / n;
    rows.x.forEach((f, i) => {
      X.push(keys.map((k, j) => f[k] - mx[j]!));
      y.push(rows.y[i]! - my);
    });
  }
  const p = keys.length;
  const sd = keys.map((_, j) => Math.sqrt(X.reduce((s, x) => s + x[j]! ** 2, 0) / Math.max(1, X.length)) || 1);
  // Normal equations [XᵀX + λI | Xᵀy] on standardised columns, solved by Gauss–Jordan.
  const A = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  X.forEach((x, n) => {
    for (let i = 0; i < p; i++) {
      const xi = x[i]! / sd[i]!;
      for (let j = 0; j < p; j++) A[i]![j]! += xi * (x[j]! / sd[j]!);
      A[i]![p]! += xi * y[n]!;
    }
  });
  for (let i = 0; i < p; i++) A[i]![i]! += (lambda * X.length) / 100;
  for (let i = 0; i < p; i++) {
    const pivot = A[i]![i]!;
    for (let j = i; j <= p; j++) A[i]![j]! /= pivot;
    for (let r = 0; r < p; r++) {
      if (r === i) continue;
      const f = A[r]![i]!;
      for (let j = i; j <= p; j++) A[r]![j]! -= f * A[i]![j]!;
    }
  }
  return keys.map((_, i) => A[i]![p]! / sd[i]!);
}

async function meanRouge1(docs: SummarySetDoc[], weights: Partial<SummaryWeights>, words: number): Promise<number> {
  let sum = 0;
  for (const d of docs) {
    const s = await summarisePassages(d.passages, { words, weights, ...(d.doc.title ? { title: d.doc.title } : {}) });
    const text = s.sections.flatMap((x) => x.sentences.map((y) => y.text)).join(' ');
    sum += rougeN(rougeTokens(text).slice(0, words), rougeTokens(d.reference), 1);
  }
  return sum / Math.max(1, docs.length);
}

const round = (x: number) => Number(x.toFixed(4));

export async function summaryFit(dir: string, opts: SummaryFitOptions): Promise<Record<string, unknown>> {
  const halves = { tune: loadSummarySet(dir, 'tune'), report: loadSummarySet(dir, 'report') };
  const first = halves.tune.map((d) => sentenceFeatures(d.passages)[0]).find(Boolean);
  if (!first) throw new Error(`${dir}: no prose sentence in its tune half to fit on`);
  // The topic feature is zero without a topic: nothing to learn from.
  const keys = (Object.keys(first.features) as FeatureName[]).filter((k) => k !== 'topic');
  const learned = (docs: SummarySetDoc[]): Partial<SummaryWeights> => {
    const coef = fitWeights(docs, keys, opts.lambda);
    const top = Math.max(...coef.map(Math.abs)) || 1;
    return Object.fromEntries(keys.map((k, i) => [k, round(SUMMARY_WEIGHTS[k] + (opts.scale * coef[i]!) / top)]));
  };
  const checks: Record<string, unknown> = {};
  for (const [fit, check] of [
    ['tune', 'report'],
    ['report', 'tune'],
  ] as const) {
    const w = learned(halves[fit]);
    checks[`fit_${fit}_check_${check}`] = {
      default_rouge1: round(await meanRouge1(halves[check], {}, opts.words)),
      fitted_rouge1: round(await meanRouge1(halves[check], w, opts.words)),
    };
  }
  return { ...checks, weights: learned([...halves.tune, ...halves.report]) };
}
