import { stemmer } from 'stemmer';

/**
 * Text → search terms for the keyword index: lower-cased Unicode words, English stop words
 * dropped, Porter stems. Queries and passages go through the same function. ANALYZER_VERSION is
 * stored with the postings so a change here is detected and old postings rebuilt.
 */
export const ANALYZER_VERSION = 'en-porter-1';

// Lucene/Anserini's English stop set plus a few question words that carry no topic.
const STOP = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with what which who whom how when where why do does did can could should would'.split(
    ' ',
  ),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    let w = m[0].replace(/['’]s$/, '').replace(/['’]/g, '');
    if (w.length > 40 || STOP.has(w)) continue;
    // Stemming only makes sense for Latin-script words; numbers and other scripts stay as they are.
    if (/^[a-z]+$/.test(w)) w = stemmer(w);
    out.push(w);
  }
  return out;
}
