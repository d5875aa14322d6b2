import { analyze, ANALYZER_VERSION } from './analyzer';
import { TopK, type VectorHit } from './vectorIndex';

/**
 * One document's postings as stored in IndexedDB (next to its chunks, in the same transaction):
 * its vocabulary, and per chunk [length, termCount, (termIndex, tf) × termCount] in one array:
 * 16-bit when every number fits (nearly always: it halves what opening a library reads).
 */
export interface KeywordPostings {
  analyzer: string;
  terms: string[];
  data: Uint32Array | Uint16Array;
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
  const wide = data.some((x) => x > 0xffff);
  return {
    analyzer: ANALYZER_VERSION,
    terms: [...vocab.keys()],
    data: wide ? Uint32Array.from(data) : Uint16Array.from(data),
  };
}

/** Rows holding a term and the term's count in each: typed slices after a bulk load, arrays once appended to. */
interface Posting {
  rows: number[] | Int32Array;
  tfs: number[] | Int32Array;
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

  /**
   * Adds many documents at once (opening a library): every term's rows are counted first and
   * then written into one typed array, instead of growing an array per term entry by entry,
   * which took 0.26–0.68 s for 100k chunks (`npm run bench`, cold start: indexPostings).
   */
  addAll(records: (KeywordPostings & { docId: string })[]): void {
    const fresh = records.filter((r) => !this.docRows.has(r.docId));
    for (const r of records) if (this.docRows.has(r.docId)) this.add(r.docId, r);
    const termId = new Map<string, number>();
    const idOf = (term: string) => {
      let id = termId.get(term);
      if (id === undefined) termId.set(term, (id = termId.size));
      return id;
    };
    const globalIds = fresh.map((r) => Int32Array.from(r.terms, idOf));
    const counts = new Int32Array(termId.size + 1);
    for (let d = 0; d < fresh.length; d++) {
      const { data } = fresh[d]!;
      const ids = globalIds[d]!;
      for (let p = 0; p < data.length; ) {
        const n = data[p + 1]!;
        p += 2;
        for (let i = 0; i < n; i++, p += 2) counts[ids[data[p]!]! + 1]!++;
      }
    }
    for (let t = 1; t < counts.length; t++) counts[t]! += counts[t - 1]!;
    const rows = new Int32Array(counts[counts.length - 1]!);
    const tfs = new Int32Array(rows.length);
    const fill = counts.slice(0, -1);
    fresh.forEach((record, d) => {
      const ids = globalIds[d]!;
      this.addRows(record.docId, record, (row, term, tf) => {
        const at = fill[ids[term]!]!++;
        rows[at] = row;
        tfs[at] = tf;
      });
    });
    // Terms already in the index (from documents added one by one) get the new rows appended to
    // their arrays; the rest get slices of the shared arrays.
    for (const [term, t] of termId) {
      const slice = { rows: rows.subarray(counts[t]!, counts[t + 1]!), tfs: tfs.subarray(counts[t]!, counts[t + 1]!) };
      const existing = this.postings.get(term);
      if (!existing) this.postings.set(term, slice);
      else this.postings.set(term, { rows: [...existing.rows, ...slice.rows], tfs: [...existing.tfs, ...slice.tfs] });
    }
  }

  add(docId: string, postings: KeywordPostings): void {
    if (this.docRows.has(docId)) this.remove(docId);
    this.addRows(docId, postings, (row, term, tf) => {
      const posting = this.appendable(postings.terms[term]!);
      posting.rows.push(row);
      posting.tfs.push(tf);
    });
  }

  /** Gives the document's chunks the next rows and hands each (row, term index, count) to `each`. */
  private addRows(
    docId: string,
    { data, terms }: KeywordPostings,
    each: (row: number, term: number, tf: number) => void,
  ): void {
    const first = this.rowDoc.length;
    let chunk = 0;
    for (let p = 0; p < data.length; ) {
      const row = this.rowDoc.length;
      const length = data[p++]!;
      const n = data[p++]!;
      this.rowDoc.push(docId);
      this.rowChunk.push(chunk++);
      this.rowLength.push(length);
      this.totalLength += length;
      for (let i = 0; i < n; i++, p += 2) each(row, data[p]!, data[p + 1]!);
    }
    this.docRows.set(docId, { first, count: chunk, terms });
    this.liveRows += chunk;
  }

  /** The term's posting as arrays that can grow (a bulk-loaded one is copied out of its slice once). */
  private appendable(term: string): { rows: number[]; tfs: number[] } {
    const p = this.postings.get(term);
    if (p && Array.isArray(p.rows) && Array.isArray(p.tfs)) return p as { rows: number[]; tfs: number[] };
    const grown = { rows: p ? Array.from(p.rows) : [], tfs: p ? Array.from(p.tfs) : [] };
    this.postings.set(term, grown);
    return grown;
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
    // Dense scores by row, and the rows touched: a common term's posting can hold most rows, and
    // a Map entry per row cost tens of milliseconds per query at 100k chunks.
    const scores = new Float64Array(this.rowDoc.length);
    const touched: number[] = [];
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const { rows, tfs } = posting;
      const df = rows.length;
      const idf = Math.log(1 + (this.liveRows - df + 0.5) / (df + 0.5));
      for (let i = 0; i < df; i++) {
        const row = rows[i]!;
        const tf = tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.rowLength[row]!) / avgdl);
        if (scores[row] === 0) touched.push(row);
        scores[row]! += (idf * tf * (k1 + 1)) / norm;
      }
    }
    const top = new TopK(k);
    for (const row of touched) {
      if (allowed && !allowed.has(this.rowDoc[row]!)) continue;
      top.push(scores[row]!, row);
    }
    return top.sorted().map(([score, row]) => ({ docId: this.rowDoc[row]!, chunkIndex: this.rowChunk[row]!, score }));
  }
}
