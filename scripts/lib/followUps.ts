/**
 * The labelled follow-up set (test/fixtures/answer/followups.jsonl): pairs of a previous question
 * and a new one, each labelled "fresh" (must be searched as typed) or "follow-up" (must be
 * resolved: searched for what it means, finding the passage its standalone version is about).
 * Questions are about the SQuAD articles of ../shared/data/squad2-a (gold: paragraph id) and the
 * fixture documents (gold: file name); "tune" pairs use articles 0–3, multi_page.pdf and
 * wiki_duck.html, "report" pairs articles 4–7, wiki-ibm.md and amt_handbook_sample.pdf.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SEARCH_DEFAULTS, standaloneQuery, type FollowUpGenerator, type Library, type Retriever } from '../../src/core';
import { FIXTURE_FILES, FIXTURES_DIR } from './paths';
import { readJsonl } from './qa';

export interface FollowUpPair {
  id: string;
  split: 'tune' | 'report';
  label: 'fresh' | 'follow-up';
  previous: string;
  question: string;
  /** For follow-ups: the question as it would stand alone. */
  standalone?: string;
  /** Where the answer is: a SQuAD paragraph id or a fixture file name; null when nowhere. */
  gold: string | null;
}

export const FOLLOW_UPS = path.resolve(import.meta.dirname, '../../test/fixtures/answer/followups.jsonl');

export function loadFollowUps(file = FOLLOW_UPS): FollowUpPair[] {
  return readJsonl<FollowUpPair>(file);
}

/** Adds the fixture documents to a library that holds the SQuAD paragraphs. */
export async function addFixtureDocuments(library: Library): Promise<void> {
  const files = Object.values(FIXTURE_FILES).map((rel) => ({
    name: path.basename(rel),
    data: new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, rel))),
  }));
  const out = await library.addFiles(files);
  const failed = out.filter((o) => o.status === 'failed');
  if (failed.length) throw new Error(`fixtures not indexed: ${failed.map((o) => o.file).join(', ')}`);
}

export interface FollowUpResult {
  pair: FollowUpPair;
  query: string;
  why: string;
  /** Fresh: searched as typed. Follow-up: rewritten, and the passage it is about was found. */
  right: boolean;
  /** The gold passage is among the first three passages of what was searched. */
  found: boolean | null;
}

export async function evaluateFollowUps(
  pairs: FollowUpPair[],
  retriever: Retriever,
  generator?: FollowUpGenerator | null,
): Promise<FollowUpResult[]> {
  const results: FollowUpResult[] = [];
  for (const pair of pairs) {
    const decided = await standaloneQuery(pair.question, [{ question: pair.previous }], retriever, generator);
    const passages = pair.gold
      ? await retriever.context(decided.query, { k: SEARCH_DEFAULTS.k.answer, budgetTokens: 700 })
      : [];
    const found = pair.gold ? passages.slice(0, 3).some((p) => p.docName === pair.gold) : null;
    const right = pair.label === 'fresh' ? !decided.rewritten : decided.rewritten && found === true;
    results.push({ pair, query: decided.query, why: decided.why, right, found });
  }
  return results;
}

/** Handled right, per split and label: "tune report" rows of { label: [right, of] }. */
export function summarise(
  results: FollowUpResult[],
): Record<
  string,
  { fresh_left_alone: string; follow_ups_resolved: string; fresh_rate: number; follow_up_rate: number }
> {
  const out: ReturnType<typeof summarise> = {};
  for (const split of ['tune', 'report', 'all'] as const) {
    const rows = results.filter((r) => split === 'all' || r.pair.split === split);
    const fresh = rows.filter((r) => r.pair.label === 'fresh');
    const follow = rows.filter((r) => r.pair.label === 'follow-up');
    const right = (xs: FollowUpResult[]) => xs.filter((r) => r.right).length;
    out[split] = {
      fresh_left_alone: `${right(fresh)}/${fresh.length}`,
      follow_ups_resolved: `${right(follow)}/${follow.length}`,
      fresh_rate: Number((right(fresh) / fresh.length).toFixed(3)),
      follow_up_rate: Number((right(follow) / follow.length).toFixed(3)),
    };
  }
  return out;
}
