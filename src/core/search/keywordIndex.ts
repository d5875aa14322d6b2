import { analyze, ANALYZER_VERSION } from './analyzer';
import { TopK, type VectorHit } from './vectorIndex';

/**
 * One document's postings as stored in IndexedDB (next to its chunks, in the same transaction):
 * its vocabulary, and per chunk [length, termCount, (termIndex, tf) × termCount] in one array.
 */
export interface KeywordPostings {
  analyzer: string;
  terms: string[];
  data: Uint32Array;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

// Anserini's defaults. On SciFact k1 = 1.2, b = 0.75 scores higher for keywords alone but not in
// hybrid search (README, "Retrieval quality"), which is what Folio runs.
export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4 };

export function buildPostings(chunkTexts: string[]): KeywordPostings {
  const vocab = new Map<string, number>();
  const data: number[] = [];
  for (const text of chunkTexts) {
    const tf = new Map<number, number>();
    const tokens = analyze(text);
    for (const t of tokens) {
      let id = vocab.get(t);
      if (id === undefined) vocab.set(t, (id = vocab.size));
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    data.push(tokens.length, tf.size);
    for (const [id, n] of tf) data.push(id, n);
  }
  return { analyzer: ANALYZER_VERSION, terms: [...vocab.keys()], data: Uint32Array.from(data) };
}

interface Posting {
  rows: number[];
  tfs: number[];
}

/**
 * BM25 over chunks, in memory, updated per document (add/remove touch only that document's
 * terms). Rows are never reused, so removing a document only drops its entries from the
 * postings of its own vocabulary.
 */
export class KeywordIndex {
  private postings = new Map<string, Posting>();
  private rowDoc: string[] = [];
  private rowChunk: number[] = [];
  private rowLength: number[] = [];
  private docRows = new Map<string, { first: number; count: number; terms: string[] }>();
  private liveRows = 0;
  private totalLength = 0;

  constructor(private readonly params: Bm25Params = DEFAULT_BM25) {}

  get size(): number {
    return this.liveRows;
  }

  has(docId: string): boolean {
    return this.docRows.has(docId);
  }

  add(docId: string, postings: KeywordPostings): void {
    if (this.docRows.has(docId)) this.remove(docId);
    const first = this.rowDoc.length;
    const { data, terms } = postings;
    let p = 0;
    let chunk = 0;
    while (p < data.length) {
      const row = this.rowDoc.length;
      const length = data[p++]!;
      const n = data[p++]!;
      this.rowDoc.push(docId);
      this.rowChunk.push(chunk++);
      this.rowLength.push(length);
      this.totalLength += length;
      for (let i = 0; i < n; i++) {
        const term = terms[data[p++]!]!;
        const tf = data[p++]!;
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = { rows: [], tfs: [] }));
        posting.rows.push(row);
        posting.tfs.push(tf);
      }
    }
    this.docRows.set(docId, { first, count: chunk, terms });
    this.liveRows += chunk;
  }

  remove(docId: string): void {
    const entry = this.docRows.get(docId);
    if (!entry) return;
    const { first, count, terms } = entry;
    const end = first + count;
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const rows: number[] = [];
      const tfs: number[] = [];
      for (let i = 0; i < posting.rows.length; i++) {
        const r = posting.rows[i]!;
        if (r >= first && r < end) continue;
        rows.push(r);
        tfs.push(posting.tfs[i]!);
      }
      if (rows.length) this.postings.set(term, { rows, tfs });
      else this.postings.delete(term);
    }
    for (let r = first; r < end; r++) {
      this.totalLength -= this.rowLength[r]!;
      this.rowDoc[r] = '';
    }
    this.liveRows -= count;
    this.docRows.delete(docId);
  }

  search(query: string, k: number, documents?: Iterable<string>, params: Bm25Params = this.params): VectorHit[] {
    const terms = [...new Set(analyze(query))];
    if (!terms.length || !this.liveRows) return [];
    const allowed = documents ? new Set(documents) : null;
    const { k1, b } = params;
    const avgdl = this.totalLength / this.liveRows;
    const scores = new Map<number, number>();
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const df = posting.rows.length;
      const idf = Math.log(1 + (this.liveRows - df + 0.5) / (df + 0.5));
      for (let i = 0; i < df; i++) {
        const row = posting.rows[i]!;
        const tf = posting.tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.rowLength[row]!) / avgdl);
        scores.set(row, (scores.get(row) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      }
    }
    const top = new TopK(k);
    for (const [row, score] of scores) {
      if (allowed && !allowed.has(this.rowDoc[row]!)) continue;
      top.push(score, row);
    }
    return top.sorted().map(([score, row]) => ({ docId: this.rowDoc[row]!, chunkIndex: this.rowChunk[row]!, score }));
  }
}
