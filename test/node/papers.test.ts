/**
 * Real research papers (../shared/data/papers): the labelled question set `npm run eval --
 * test/fixtures/papers-qa --qa` measures, checked against what the PDF parser reads from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseBytes, type ParsedDocument } from '../../src/core';
import { PAPERS_DIR } from '../../scripts/lib/paths';

interface Question {
  _id: string;
  document: string;
  page: number;
  question: string;
  answers: string[];
  sentence: string;
  split: 'tune' | 'report';
}

const QA_DIR = 'test/fixtures/papers-qa';
const questions: Question[] = fs
  .readFileSync(path.join(QA_DIR, 'answers.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Question);
const papers = fs.readdirSync(PAPERS_DIR).filter((f) => f.endsWith('.pdf'));

const parsed = new Map<string, Promise<ParsedDocument>>();
function paper(name: string): Promise<ParsedDocument> {
  if (!parsed.has(name))
    parsed.set(name, parseBytes(new Uint8Array(fs.readFileSync(path.join(PAPERS_DIR, name))), name));
  return parsed.get(name)!;
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');
function pageText(doc: ParsedDocument, page: number): string {
  return squash(
    doc.blocks
      .filter((b) => b.page === page)
      .map((b) => doc.text.slice(b.start, b.end))
      .join(' '),
  );
}

describe('papers question set', () => {
  test('over 100 questions, every paper in both halves', () => {
    expect(questions.length).toBeGreaterThanOrEqual(100);
    expect(new Set(questions.map((q) => q._id)).size).toBe(questions.length);
    expect(papers).toHaveLength(7);
    for (const half of ['tune', 'report'] as const)
      expect(new Set(questions.filter((q) => q.split === half).map((q) => q.document))).toEqual(new Set(papers));
    // The eval reads the papers through this link.
    expect(
      fs
        .readdirSync(path.join(QA_DIR, 'documents'))
        .filter((f) => f.endsWith('.pdf'))
        .sort(),
    ).toEqual([...papers].sort());
  });

  test('each answer is on its labelled page as the parser reads it', { timeout: 120_000 }, async () => {
    const wrong: string[] = [];
    for (const q of questions) {
      const doc = await paper(q.document);
      if (!q.answers.some((a) => pageText(doc, q.page).includes(squash(a))))
        wrong.push(`${q._id}: "${q.answers[0]}" not on page ${q.page}`);
    }
    expect(wrong).toEqual([]);
  });
});
