import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { type SentenceFeatures, SUMMARY_WEIGHTS, sentenceFeatures } from '../../src/core';
import { summaryFit } from '../../scripts/lib/summaryFit';

// `npm run eval -- DIR --summaries --fit` learns from sentences, not from the few documents: in a set
// whose references hold the words of each document's plain sentences and none of its numbers, the
// fitted weight for numbers must turn against them.
test('the fitted scorer learns, from the references, what makes a sentence summary-like', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-fit-'));
  const topics = ['forklift', 'harbour', 'orchard', 'glacier', 'printer', 'library', 'vineyard', 'turbine'];
  const corpus: string[] = [];
  const refs: string[] = [];
  topics.forEach((topic, d) => {
    const plain = [
      `The ${topic} team wrote a careful report about daily work and its common problems.`,
      `Workers at the ${topic} site described how training changed their habits over time.`,
      `Managers of the ${topic} project agreed that safety came before speed in every case.`,
      `Visitors to the ${topic} often asked why the rules were written down so plainly.`,
    ];
    const numeric = [
      `Counts for the ${topic} unit ${d + 3} reached 41 in the first year and 312 in the later third year.`,
      `Logs list ${d + 12} shifts, 640 hours, 58 stops and 1204 checks for the ${topic} crews that year.`,
      `Tables give 18, 27, 36 and 45 percent for the ${topic} zones numbered 4 to 7 in that order.`,
    ];
    const text = [...plain.slice(0, 2), numeric[0], plain[2], numeric[1], plain[3], numeric[2]].join(' ');
    corpus.push(JSON.stringify({ _id: `doc${d}`, title: `The ${topic}`, text }));
    refs.push(JSON.stringify({ _id: `doc${d}`, summary: plain.join(' ') }));
  });
  fs.writeFileSync(path.join(dir, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'summaries.jsonl'), `${refs.join('\n')}\n`);
  try {
    const { weights } = (await summaryFit(dir, { words: 40, lambda: 10, scale: 4 })) as {
      weights: Record<string, number>;
    };
    expect(Object.keys(weights)).not.toContain('topic');
    // The fit moves the scores towards what the references reward: plain sentences pull ahead of
    // numeric ones in every document, further than with the default weights.
    const score = (w: Record<string, number>, f: SentenceFeatures) =>
      (Object.keys(f) as (keyof SentenceFeatures)[]).reduce((s, k) => s + (w[k] ?? 0) * f[k], 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const line of corpus) {
      const { text } = JSON.parse(line) as { text: string };
      const rows = sentenceFeatures([{ text, location: { headings: [], start: 0, end: text.length } }]);
      const numeric = rows.filter((r) => /\d/.test(r.sentence.text));
      const plain = rows.filter((r) => !/\d/.test(r.sentence.text));
      expect([numeric.length, plain.length]).toEqual([3, 4]);
      const gap = (w: Record<string, number>) =>
        mean(plain.map((r) => score(w, r.features))) - mean(numeric.map((r) => score(w, r.features)));
      const defaults = SUMMARY_WEIGHTS as unknown as Record<string, number>;
      expect(gap({ ...defaults, ...weights })).toBeGreaterThan(gap(defaults) + 0.5);
    }
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
