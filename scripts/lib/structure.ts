/**
 * `npm run eval -- test/fixtures/papers-qa --structure`: how right the PDF parser's structure is on
 * the real papers. For each paper, the share of its passages whose heading path is a real section
 * path (every heading in it is the paper's title or one of its sections, as listed by hand in
 * sections.json: no stamp, running header, page number, author line or stray table cell), and
 * whether its abstract and reference list were found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chunkDocument, parseBytes, type ParsedDocument } from '../../src/core';

export interface PaperStructure {
  paper: string;
  passages: number;
  real_path_share: number;
  /** Headings in passages' paths that are not the paper's sections. */
  wrong: string[];
  abstract: boolean;
  references: boolean;
}

type Sections = Record<string, { title: string; sections: string[] }>;

/** Words × 1.3: near enough to the tokenizer's count for where passages break. */
const roughTokens = (text: string) => Math.ceil(text.split(/\s+/).length * 1.3);

export function structureOf(paper: string, doc: ParsedDocument, gold: Sections[string]): PaperStructure {
  const real = new Set([gold.title, ...gold.sections]);
  const chunks = chunkDocument(doc, roughTokens);
  const wrong = new Set<string>();
  let good = 0;
  for (const c of chunks) {
    const bad = c.location.headings.filter((h) => !real.has(h));
    for (const h of bad) wrong.add(h);
    if (!bad.length) good++;
  }
  const under = (re: RegExp) => doc.blocks.filter((b) => b.kind !== 'heading' && b.headings.some((h) => re.test(h)));
  const abstract = under(/^abstract$/i);
  const references = under(/^(references|bibliography)$/i);
  return {
    paper,
    passages: chunks.length,
    real_path_share: chunks.length ? Math.round((good / chunks.length) * 10000) / 10000 : 0,
    wrong: [...wrong],
    // An abstract is a paragraph or more; a reference list, many entries.
    abstract: abstract.reduce((n, b) => n + b.end - b.start, 0) >= 300,
    references: references.length >= 5,
  };
}

export async function paperStructures(dir: string): Promise<PaperStructure[]> {
  const gold = JSON.parse(fs.readFileSync(path.join(dir, 'sections.json'), 'utf8')) as Sections;
  const out: PaperStructure[] = [];
  for (const [paper, sections] of Object.entries(gold)) {
    const file = path.join(dir, 'documents', paper);
    out.push(structureOf(paper, await parseBytes(new Uint8Array(fs.readFileSync(file)), paper), sections));
  }
  return out;
}

export async function structureEval(dir: string): Promise<Record<string, number>> {
  const rows = await paperStructures(dir);
  console.log('\n| paper | passages | real section path | abstract | references |\n|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.paper} | ${r.passages} | ${r.real_path_share} | ${r.abstract ? 'found' : 'missing'} | ${r.references ? 'found' : 'missing'} |`,
    );
  for (const r of rows.filter((x) => x.wrong.length))
    console.log(`not sections in ${r.paper}: ${r.wrong.map((w) => JSON.stringify(w.slice(0, 60))).join(', ')}`);
  const all = rows.reduce((n, r) => n + r.passages, 0);
  return {
    papers: rows.length,
    real_path_share: Math.round((rows.reduce((n, r) => n + r.real_path_share * r.passages, 0) / all) * 10000) / 10000,
    min_real_path_share: Math.min(...rows.map((r) => r.real_path_share)),
    abstracts_found: rows.filter((r) => r.abstract).length,
    references_found: rows.filter((r) => r.references).length,
  };
}
