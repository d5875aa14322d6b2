/**
 * Real research papers (../shared/data/papers): the PDF parser's structure on them (margin stamps,
 * running headers and page numbers gone, section paths, abstract and references), and the labelled
 * question set `npm run eval -- test/fixtures/papers-qa --qa` measures, checked against what the
 * parser reads from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  answer,
  applyAnswerEvent,
  applyAskEvent,
  askQuestion,
  newWholeRecord,
  libraryRetriever,
  newAnswerRecord,
  parseBytes,
  sentenceScoring,
  type AnswerRecord,
  type AskOptions,
  type Library,
  type ParsedDocument,
} from '../../src/core';
import { coverage } from '../../src/core/answer/coverage';
import { splitSentences } from '../../src/core/answer/sentences';
import { standaloneQuery, substitute } from '../../src/core/answer/followUp';
import { definesName, mineTerms, nameAsked } from '../../src/core/search/terms';
import { apartFromMark } from '../../src/core/ingest/pdfLayout';
import { paperStructures } from '../../scripts/lib/structure';
import { PAPERS_DIR } from '../../scripts/lib/paths';
import { paperPdf } from '../../scripts/lib/pdf';
import { freshLibrary, realEmbedder } from '../../scripts/lib/library';

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
/** The text of the blocks that start on the page or run on into it from the page before. */
function pageText(doc: ParsedDocument, page: number): string {
  return squash(
    doc.blocks
      .filter((b) => b.page === page || b.page === page - 1)
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

  test('each answer is on its labelled page (or in a paragraph running on to it) as the parser reads it', {
    timeout: 120_000,
  }, async () => {
    const wrong: string[] = [];
    for (const q of questions) {
      const doc = await paper(q.document);
      if (!q.answers.some((a) => pageText(doc, q.page).includes(squash(a))))
        wrong.push(`${q._id}: "${q.answers[0]}" not on page ${q.page}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('papers: structure', () => {
  test("every passage's heading path is a real section path; abstract and references found", {
    timeout: 120_000,
  }, async () => {
    const rows = await paperStructures(QA_DIR);
    expect(rows).toHaveLength(7);
    for (const r of rows) {
      expect({ paper: r.paper, wrong: r.wrong }).toEqual({ paper: r.paper, wrong: [] });
      expect(r.real_path_share).toBe(1);
      expect(r.abstract && r.references).toBe(true);
    }
  });

  test('stamps, running headers and page numbers are not text; a sentence runs on over a column break', async () => {
    const s2orc = await paper('2020.acl-main.447.pdf');
    // The ACL page numbers (4969–4983) stood at the foot of every page.
    expect(s2orc.text).not.toMatch(/(^|\s)49(69|7\d|8[0-3])(\s|$)/m);
    // Column 1 ends "Digital archives like arXiv,2"; a footnote and a figure caption come between.
    expect(s2orc.text).toContain('Digital archives like arXiv,2 PubMed Central,3 CiteSeerX');
    const citesee = await paper('2302.07302v1.pdf');
    expect(citesee.text).not.toContain('arXiv:2302.07302v1');
    // The running header of every page is kept once, where the first page's reference format has it.
    expect(citesee.text.split('CHI ’23, April 23–28, 2023, Hamburg, Germany').length - 1).toBeLessThanOrEqual(1);
    // A footnote's mark, which pdf.js runs into its first word, is set apart as a superscript.
    expect(s2orc.text).toContain('⁷ pronounced “stork”');
    expect(s2orc.text).not.toContain('7pronounced');
    const papermage = await paper('papermage.pdf');
    expect(papermage.text).toContain('² PDFs store text as character glyphs');
    for (const word of ['3D printing', '2nd edition', '8 The papers']) expect(apartFromMark(word)).toBe(word);
    const plain = await paper('2203.00130v1.pdf');
    expect(plain.text).not.toContain('28 Feb 2022]');
    const title = plain.blocks.find((b) => b.kind === 'heading')!;
    expect(plain.text.slice(title.start, title.end)).toBe(
      'Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers with Natural Language Processing',
    );
    // A paper whose PDF metadata has no title is titled as its first page shows it, a running
    // header above it notwithstanding (LongEval's "Proceedings of the 17th Conference …").
    expect(s2orc.title).toBe('S2ORC: The Semantic Scholar Open Research Corpus');
    expect((await paper('2023.eacl-main.121.pdf')).title).toBe(
      'LONGEVAL: Guidelines for Human Evaluation of Faithfulness in Long-form Summarization',
    );
    expect((await paper('2206.10883v3.pdf')).title).toBe(
      'Multi-LexSum: Real-World Summaries of Civil Rights Lawsuits at Multiple Granularities',
    );
    expect(papermage.title).toMatch(/^PaperMage: A Unified Toolkit for Processing/);
    const sub = plain.blocks.find((b) => plain.text.slice(b.start, b.end).startsWith('Veyseh et al. [102]'))!;
    expect(sub.headings.slice(1)).toEqual(['2 BACKGROUND AND RELATED WORK', '2.3 AI for scientific text processing']);
  });
});

describe('PDF furniture by geometry', () => {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  const body = (n: number, from: number) =>
    Array.from(
      { length: n },
      (_, i) => `Sentence ${from + i} says ${words[(from + i) % 10]} and ${words[(from + i * 3) % 10]} without end`,
    );
  const pdf = paperPdf(
    [
      { lines: body(12, 1) },
      { lines: body(12, 13), heading: { text: '2 Method', at: 4 } },
      { lines: body(12, 25), heading: { text: '2.1 Data', at: 2 } },
    ],
    { header: 'Proceedings of the Workshop on Tests, page 7', stamp: 'arXiv:2401.00001v1 [cs.CL] 1 Jan 2024' },
  );

  test('a review copy: line numbers, running header, page numbers and the rotated stamp are dropped', async () => {
    const doc = await parseBytes(pdf, 'review.pdf');
    expect(doc.text).not.toContain('arXiv');
    expect(doc.text).not.toContain('Proceedings of the Workshop');
    // No line number stands before a line or after one.
    expect(doc.text).not.toMatch(/\d+ Sentence|end \d/);
    const blocks = doc.blocks.map((b) => ({
      text: doc.text.slice(b.start, b.end),
      kind: b.kind,
      headings: b.headings,
    }));
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual(['2 Method', '2.1 Data']);
    const last = blocks.find((b) => b.text.includes('Sentence 36 '))!;
    expect(last.headings).toEqual(['2 Method', '2.1 Data']);
    expect(doc.text).toContain('Sentence 1 says bravo');
  });
});

describe('papers: terms the documents define', () => {
  test('acronyms and their long forms are mined from the papers as written', async () => {
    const terms = new Map(mineTerms((await paper('2206.10883v3.pdf')).text));
    expect(terms.get('CRLC')).toBe('Civil Rights Litigation Clearinghouse');
    expect(terms.get('MDS')).toBe('multi-document summarization');
    expect(terms.get('EEOC')).toBe('Equal Employment Opportunity Commission');
    expect(terms.get('CanLII')).toBe('Canadian Legal Information Institute');
    const plain = new Map(mineTerms((await paper('2203.00130v1.pdf')).text));
    // "CLL [Chronic Lymphocytic Leukemia]": the acronym first, the long form in brackets.
    expect(plain.get('CLL')).toBe('Chronic Lymphocytic Leukemia');
    const longeval = new Map(mineTerms((await paper('2023.eacl-main.121.pdf')).text));
    expect(longeval.get('SCUs')).toBe('summary content units');
    // "… and average them (FINE, Figure 1 …)" defines nothing.
    expect(longeval.has('FINE')).toBe(false);
  });

  test('coverage counts a term the library defines', () => {
    // The case: the 2-page DPR paper, asked what DPR stands for (one word in common, a low cosine).
    const passage = {
      docId: 'd',
      docName: 'dpr.pdf',
      chunkIndexes: [0],
      text: 'We present the Dense Passage Retriever (DPR), which retrieves passages with a dual encoder.',
      location: { headings: [], start: 0, end: 90 },
      score: 1,
      dense: 0.21,
    };
    const question = 'What does DPR stand for?';
    expect(coverage(question, [passage], true).covered).toBe(false);
    const covered = coverage(question, [passage], true, [['DPR', 'Dense Passage Retriever']]);
    expect(covered.covered && covered.definedTerm).toBe(true);
    // Defined, but not in the passages shown: the decision stays with the evidence.
    expect(
      coverage(question, [{ ...passage, text: 'Something else entirely.' }], true, [['DPR', 'Dense Passage Retriever']])
        .covered,
    ).toBe(false);
  });
});

describe('follow-ups by substitution', () => {
  test("the previous question's subject takes the pronoun's place", () => {
    expect(
      substitute('How many parameters does it have?', 'What are the two main tasks BERT is pre-trained on?', ['it']),
    ).toMatchObject({ query: 'How many parameters does BERT have?', subject: 'BERT' });
    // A question asking which thing a description names: "it" is its answer, so no name is put in.
    expect(substitute('When was it founded?', 'Which company is nicknamed Big Blue?', ['it'])).toBeNull();
    expect(substitute('What is its capital?', 'Where is the European Union based?', ['its'])?.query).toBe(
      'What is the European Union’s capital?',
    );
    // A name after a preposition is not what "it" stands for: left to the other rules.
    expect(
      substitute('Which French king issued it?', 'What proclamation abolished protestantism in France?', ['it']),
    ).toBeNull();
  });
});

/** A fresh library holding the given shared papers, each indexed. */
async function paperLibrary(names: string[]): Promise<Library> {
  const library = await freshLibrary();
  const files = names.map((name) => ({ name, data: new Uint8Array(fs.readFileSync(path.join(PAPERS_DIR, name))) }));
  const outcomes = await library.addFiles(files);
  expect(outcomes.map((o) => o.status)).toEqual(names.map(() => 'added'));
  return library;
}

describe('papers: terms and follow-ups in a library of two papers', () => {
  let library: Library;
  beforeAll(async () => {
    library = await paperLibrary(['2206.10883v3.pdf', '2020.acl-main.447.pdf']);
  }, 300_000);
  afterAll(() => library?.close());

  async function ask(question: string): Promise<AnswerRecord> {
    let record = newAnswerRecord(question);
    const retriever = libraryRetriever(library, await realEmbedder());
    for await (const e of answer(question, { retriever })) record = applyAnswerEvent(record, e);
    return record;
  }

  test('a defined acronym is searched with its long form, shown, and counted as covered', {
    timeout: 120_000,
  }, async () => {
    const record = await ask('What does MDS stand for?');
    expect(record.alsoSearched).toEqual(['multi-document summarization']);
    expect(record.declined).toBeFalsy();
    expect(record.passages[0]!.docName).toBe('2206.10883v3.pdf');
    expect(record.passages.slice(0, 3).some((p) => p.text.includes('multi-document summarization (MDS)'))).toBe(true);
  });

  test("a follow-up is searched with the previous question's subject in place of its pronoun", {
    timeout: 120_000,
  }, async () => {
    const retriever = libraryRetriever(library, await realEmbedder());
    const decided = await standaloneQuery(
      'How many papers does it contain?',
      [{ question: 'What is S2ORC?' }],
      retriever,
    );
    expect(decided).toMatchObject({ query: 'How many papers does S2ORC contain?', rewritten: true, joined: false });
  });

  test("a footnote's first word, set apart from its mark, is found and quoted", { timeout: 120_000 }, async () => {
    // The note read "7pronounced “stork”" (its raised mark run into the word): no search for
    // "pronounced" found it, and another passage's sentence was quoted.
    const record = await ask('How is S2ORC pronounced?');
    expect(record.extract?.text).toBe('⁷ pronounced “stork”');
  });

  test('a long form spelled out is searched with its acronym', { timeout: 120_000 }, async () => {
    const record = await ask('Which papers are in the Microsoft Academic Graph?');
    expect(record.alsoSearched).toEqual(['MAG']);
    expect(await library.terms('Is MAG bigger than S2ORC?')).toEqual([['MAG', 'Microsoft Academic Graph']]);
    // A word in capitals that no document defines is searched as it is.
    expect(await library.terms('What does XYZ stand for?')).toEqual([]);
  });
});

describe('papers: asked what a named system is', () => {
  let library: Library;
  beforeAll(async () => {
    library = await paperLibrary(['2302.07302v1.pdf', 'papermage.pdf']);
  }, 300_000);
  afterAll(() => library?.close());
  /** Asked as in the app and the command line: its kind decided, then answered. */
  const ask = async (question: string, opts: Partial<AskOptions> = {}) => {
    const retriever = libraryRetriever(library, await realEmbedder());
    let record = newWholeRecord(question);
    for await (const e of askQuestion(question, { source: library, retriever, ...opts }))
      record = applyAskEvent(record, e);
    return record;
  };

  test('the passage that defines the name is searched, shown and quoted', { timeout: 120_000 }, async () => {
    // Every passage of these papers names its system; the abstract that says what it is ranked
    // 6th (CiteSee) and 12th (papermage), past the 700 tokens of passages shown, and "CiteSee also
    // highlights citations …" / "papermage is three parts: …" were quoted.
    const retriever = libraryRetriever(library, await realEmbedder());
    for (const [question, sentence] of [
      ['What is CiteSee?', 'This paper introduces CiteSee, a paper reading tool'],
      ['What is papermage?', 'papermage, an open-source Python toolkit'],
    ] as const) {
      let record = newAnswerRecord(question);
      for await (const e of answer(question, { retriever })) record = applyAnswerEvent(record, e);
      expect(record.declined).toBeFalsy();
      expect(record.extract?.text.replace(/\s+/g, ' ').replace('opensource', 'open-source')).toContain(sentence);
    }
  });

  test('a definition is told from a mention of the name', async () => {
    expect(nameAsked('What is CiteSee?')).toBe('CiteSee');
    expect(nameAsked('What are the two main tasks BERT is pre-trained on?')).toBeNull();
    expect(nameAsked('How is S2ORC pronounced?')).toBeNull();
    const abstract = squash((await paper('2302.07302v1.pdf')).text);
    expect(definesName(abstract, 'CiteSee')).toBe(true);
    for (const mention of [
      'CiteSee also highlights citations to unknown papers (10-12) to help discover important prior work',
      'papermage is three parts: (1) magelib, a library for intuitively representing and manipulating',
      'In this paper, we use papermage to',
    ])
      expect(definesName(mention, /papermage/.test(mention) ? 'papermage' : 'CiteSee')).toBe(false);
    expect(definesName('Multi-LexSum (ML), a multi-doc summarization dataset', 'Multi-LexSum')).toBe(true);
  });

  test('asked who wrote a paper, its byline is quoted from under its title; asked its limitations, those sections are summarised', {
    timeout: 120_000,
  }, async () => {
    // Searched like any question, "Who are the authors of the CiteSee paper?" quoted the copyright
    // notice ("© 2023 Copyright held by the owner/author(s).").
    for (const q of ['Who wrote the CiteSee paper?', 'Who are the authors of the CiteSee paper?']) {
      const record = await ask(q);
      expect(record.passages.map((p) => p.docName)).toEqual(['2302.07302v1.pdf']);
      expect(record.extract?.text).toMatch(/^Joseph Chee Chang josephc@allenai\.org[\s\S]*Daniel S\. Weld/);
      expect(record.extract?.citations).toEqual([1]);
      expect(record.passages[0]!.text.slice(record.extract!.support!.start, record.extract!.support!.end)).toBe(
        record.extract!.text,
      );
    }
    expect((await ask("Who are the papermage.pdf's authors?")).extract?.text).toMatch(/^Kyle Lo[\s\S]*Luca Soldaini/);
    // By its short name alone (not its file's name): searched, it quoted "• Primary measure (LitReview): …".
    expect((await ask('Who wrote CiteSee?')).extract?.text).toMatch(/^Joseph Chee Chang/);
    // What a section of the paper says: the sections, summarised. Searched as "What are the
    // limitations?" inside the paper, it was declined ("Not in your documents").
    const limits = await ask('What are the limitations of the CiteSee paper?');
    expect(limits.kind).toBe('summary');
    expect(limits.scope).toMatchObject({ level: 'section', section: 'limitations', documents: ['2302.07302v1.pdf'] });
    const sections = limits.summary!.documents[0]!.sections;
    expect(sections.map((x) => x.headings.at(-1))).toEqual(
      expect.arrayContaining(['5.1 Study 1 Limitations', '7 LIMITATIONS AND FUTURE WORK']),
    );
    for (const x of sections) expect(x.headings.at(-1)).toMatch(/limitations/i);
    // By its short name alone: searched in the whole library, it quoted a sentence of another section.
    expect((await ask('What are the limitations of CiteSee?')).scope).toMatchObject({
      level: 'section',
      section: 'limitations',
      documents: ['2302.07302v1.pdf'],
    });
    expect(sections.flatMap((x) => x.sentences).every((x) => x.citation)).toBe(true);
    // Not a question about who wrote the paper: searched as any other.
    const letter = await ask('Who wrote the letter that the CiteSee paper quotes?');
    expect(letter.passages.length).toBeGreaterThan(1);
    expect(letter.extract?.text ?? '').not.toMatch(/Joseph Chee Chang/);
  });

  test('asked what a paper does or contributes, it is quoted from its abstract or the list in its introduction', {
    timeout: 120_000,
  }, async () => {
    const quotes = async (question: string, doc: string, text: RegExp) => {
      const record = await ask(question);
      expect(record.kind, question).toBe('lookup');
      expect(
        record.passages.map((p) => p.docName),
        question,
      ).toEqual([doc]);
      expect(record.extract?.text, question).toMatch(text);
      expect(record.passages[0]!.text.slice(record.extract!.support!.start, record.extract!.support!.end)).toBe(
        record.extract!.text,
      );
      return record;
    };
    // Searched as "What is the main contribution?" inside the paper: declined ("Not in your documents").
    await quotes(
      'What is the main contribution of the PaperMage paper?',
      'papermage.pdf',
      /^We introduce papermage, an/,
    );
    // Searched: "… using the reader I can bring up papers …” – P3" was quoted.
    await quotes(
      'What does the CiteSee paper propose?',
      '2302.07302v1.pdf',
      /^This paper introduces CiteSee, a paper reading tool/,
    );
    // Searched: "This paper contributes:" alone was quoted.
    const list = await quotes(
      'What are the contributions of the CiteSee paper?',
      '2302.07302v1.pdf',
      /^This paper contributes:\s+\(1\) A prototype[\s\S]*\(2\) Mechanisms[\s\S]*\(3\) A controlled lab study/,
    );
    expect(list.passages[0]!.location.headings.at(-1)).toBe('1 INTRODUCTION');
    // Its short name alone: read as a summary of the whole library before.
    await quotes('What is the main idea of PaperMage?', 'papermage.pdf', /^We introduce papermage, an/);
    await quotes(
      'What are the contributions of PaperMage?',
      'papermage.pdf',
      /^Its contributions include \(1\) magelib/,
    );
    // Its source guide asks it first, by its short name; the answer is the list.
    const papermage = (await library.listDocuments()).find((d) => d.name === 'papermage.pdf')!;
    const suggested = (await library.sourceGuide(papermage.id))!.questions;
    expect(suggested[0]).toBe('What are the contributions of PaperMage?');
    expect(suggested.length).toBeLessThanOrEqual(5);
    expect((await ask(suggested[0]!)).extract?.text).toMatch(/^Its contributions include \(1\) magelib/);
    // The one document in scope need not be named; after an answer, searched as any question.
    const inScope = await ask('What is the main contribution?', { current: { documents: ['papermage.pdf'] } });
    expect(inScope.extract?.text).toMatch(/^We introduce papermage, an/);
    const again = await ask('What is the main contribution?', {
      current: { documents: ['papermage.pdf'] },
      lastDocument: 'papermage.pdf',
    });
    expect(again.passages.length).toBeGreaterThan(1);
    // After an answer, "it" may be what the answer was about: searched as any other question.
    const followUp = await ask('What does it do?', { lastDocument: 'papermage.pdf' });
    expect(followUp.passages.length).toBeGreaterThan(1);
    // Named, it is the paper whatever came before.
    const named = await ask('What is the main contribution of papermage.pdf?', { lastDocument: 'papermage.pdf' });
    expect(named.extract?.text).toMatch(/^We introduce papermage, an/);
    // "In the CiteSee study" says where the participants were: searched as "… in the study?", it is
    // covered (searched as "How many participants were?" it was declined).
    expect((await ask('How many participants were in the CiteSee study?')).declined).toBeFalsy();
  });
});

describe('the quoted answer', () => {
  const passage = (text: string, headings: string[] = [], score = 1, dense = 0.5) => ({
    docId: 'd',
    docName: 'bert.pdf',
    chunkIndexes: [0],
    text,
    location: { headings, start: 0, end: text.length },
    score,
    dense,
  });
  const {
    candidates,
    countedTerms,
    score,
    statesCount,
    best,
    withCosines,
    FEATURES,
    LEXICAL,
    WITH_COSINE,
    questionType,
    tableHeader,
    passageOrder,
  } = sentenceScoring;

  test('a sentence pointing elsewhere for what is asked loses to the one that names it', () => {
    const question = 'What are the two pre-training tasks of BERT?';
    const passages = [
      passage(
        'The core argument of this work is that the bi-directionality and the two pretraining tasks presented in Section 3.1 account for the majority of the empirical improvements.',
        ['5 Ablation Studies'],
        // As in the app: the restating passage was retrieved first.
        1,
        0.62,
      ),
      passage(
        'In addition to the masked language model, we also use a “next sentence prediction” task that jointly pre-trains text-pair representations.',
        ['1 Introduction'],
        0.7,
        0.45,
      ),
    ];
    const chosen = best(score(candidates(question, passages), LEXICAL))!;
    expect(chosen.text).toContain('next sentence prediction');
    // Without the pointer evidence the restatement would be quoted.
    expect(best(score(candidates(question, passages), { ...LEXICAL, pointer: 0 }))!.text).toContain('Section 3.1');
  });

  test('a sentence illustrated "as shown in Figure 9" does not point elsewhere', () => {
    // LongEval as retrieved for the question: the answer's passage came third.
    const passages = [
      passage(
        'screening process, compensation, instructions, and screenshots of our annotation interface.\n\nFINE annotations have higher inter-annotator agreement than COARSE annotations. This leads to more confident downstream estimates. We present our results in Table 3. Overall, we observe that across all settings, FINE annotations have lower 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 Fraction of units 0.0 0.2 0.4 0.6 0.8 1.0\n\nPubMed SQuALITY\n\n0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 Fraction of units 5.0 7.5 10.0 12.5 15.0 17.5 20.0 22.5 25.0 FINE - PubMed FINE - SQuALITY COARSE - PubMed COARSE - SQuALITY\n\nFigure 4: Accuracy and variance after annotating a fraction of units per summary (X-axis) with FINE. Despite annotating just a fraction of the summary, we observe a high segment-level Kendall tau correlation with a full annotation (left). However we observe higher inter-annotator variance as the fraction reduces (right). Confidence intervals shown are 95% and computed across 1000 random subsets (see Appendix F for left plot with Pearson).\n\nstandard deviation (and thus higher agreement) in faithfulness scores than COARSE annotations (7.8 vs 14.0 average on 100-point scaled ratings). To illustrate the importance of higher agreement, we measure its effect on two downstream statistics that human evaluation is primarily used for: (1) correlation with automatic metrics; and (2) mean system performance. We adapt the bootstrap resampling analysis11 of Deutsch et al. (2021) to estimate confidence intervals of these two downstream statistics for COARSE and FINE.',
        ['3 The LONGEVAL guidelines for faithfulness human evaluation', '3.1 RQ1'],
        2.95,
        0.52,
      ),
      passage(
        'Annotators are provided with a detailed annotation guideline along with examples of faithfulness (Table 11). Our guidelines are mostly consistent with a recently proposed set of guidelines for checking attribution in text generation (Rashkin et al., 2021). The final annotation interface is implemented in LabelStudio, as shown in Figure 9.',
        ['B Human evaluation details', 'B.2 COARSE-grained evaluation of PubMed summaries'],
        1.47,
        0.38,
      ),
    ];
    const question = 'In which tool was the COARSE annotation interface implemented?';
    // Before, it counted as a pointer and "FINE annotations have higher … than COARSE annotations" won.
    expect(best(score(candidates(question, passages), LEXICAL))!.text).toContain('LabelStudio');
    const pointer = (text: string) => candidates(question, [passage(text)])[0]!.features[FEATURES.indexOf('pointer')];
    expect(pointer('The final annotation interface is implemented in LabelStudio, as shown in Figure 9.')).toBe(0);
    expect(pointer('The two pretraining tasks presented in Section 3.1 account for the improvements.')).toBe(1);
  });

  test('asked what a defined acronym stands for, the sentence that defines it is quoted', () => {
    // The case: MDS in Multi-LexSum; the first passage uses the acronym, the second defines it.
    const question = 'What does MDS stand for?';
    const passages = [
      passage(
        'Table 3 shows the performance of the baseline models on the MDS tasks in Multi-LexSum.',
        ['5 Results'],
        1,
        0.5,
      ),
      passage(
        'Multi-LexSum is also a challenging multi-document summarization (MDS) dataset, with long sources.',
        ['1 Introduction'],
        0.8,
        0.4,
      ),
    ];
    const defined: [string, string][] = [['MDS', 'multi-document summarization']];
    expect(best(score(candidates(question, passages, defined), LEXICAL))!.text).toContain('(MDS)');
    // Without the library's definition the sentence that only uses the acronym is quoted.
    expect(best(score(candidates(question, passages), LEXICAL))!.text).toContain('Table 3');
    // A question not asking what it is keeps the ordinary choice.
    expect(best(score(candidates('Which MDS tasks are there?', passages, defined), LEXICAL))!.text).toContain(
      'Table 3',
    );
  });

  // Passages below are the papers' own text as the parser reads it (LongEval, papermage, Multi-LexSum).
  test('a footnote mark after a full stop ends the sentence, so the next one is not quoted with it', () => {
    const survey =
      'For our survey, we select all papers that evaluated summarization models using at least one of these datasets.2 All of these papers were published between June 2018 and September 2022, after the first long-form summarization datasets were released (PubMed / arXiv).';
    expect(splitSentences(survey).map((s) => s.text)).toEqual([
      'For our survey, we select all papers that evaluated summarization models using at least one of these datasets.2',
      'All of these papers were published between June 2018 and September 2022, after the first long-form summarization datasets were released (PubMed / arXiv).',
    ]);
    // A decimal is not a footnote mark.
    expect(splitSentences('It grew by 2.5 In total.').map((s) => s.text)).toEqual(['It grew by 2.5 In total.']);
    // Nor is a number written after an abbreviation's full stop.
    for (const one of ['As shown in Fig.2 Shows the trend.', 'See Sec.3 The proof is short.', 'In vol.12 No.3 of it.'])
      expect(splitSentences(one).map((s) => s.text)).toEqual([one]);
    const passages = [
      passage(
        '(2) PubMed (Cohan et al., 2018) is a summarization dataset in the scientific domain (avg. summary length of 205 words) that pairs English biomedical articles from PubMed4 with their abstracts as summaries. Compared to SQuALITY, PubMed is more extractive: 54% of summary bigrams are present in the source. We use BigBird-PEGASUS-large (Zaheer et al., 2020) and LongT5-large (Guo et al., 2022) as our summarization models,5 along with human written summaries.',
        ['3 Experiments'],
        3.5,
        0.68,
      ),
      passage(`Selection of papers: We consider existing summarization datasets. ${survey}`, ['2 Survey'], 2.25, 0.61),
    ];
    expect(
      best(score(candidates('Which summarization models were used for PubMed?', passages), LEXICAL))!.text,
    ).toContain('LongT5-large');
  });

  test('asked how many of something, the sentence that counts that thing is quoted', () => {
    const question = 'How many papers on long-form summarization were surveyed?';
    const passages = [
      passage(
        'Before discussing LONGEVAL, we first attempt to understand current human evaluation practices in long-form summarization through a comprehensive survey of 162 papers. Our survey reveals several concerning trends: absence of human evaluation, non-reproducible experimental setups, lack of standardization, and complaints of long summaries being challenging and expensive to evaluate. For our survey, we select all papers that evaluated summarization models using at least one of these datasets, published between June 2018 and September 2022, after the first long-form summarization datasets were released (PubMed / arXiv).',
        ['2 Survey of human evaluation practices'],
        2.96,
        0.69,
      ),
    ];
    expect(best(score(candidates(question, passages), LEXICAL))!.text).toContain('162 papers');
    // Without the count the sentence with two years and "one of these datasets" is quoted.
    expect(best(score(candidates(question, passages), { ...LEXICAL, count: 0 }))!.text).toContain('June 2018');
    const counted = countedTerms('How many expert-written summaries does Multi-LexSum contain?');
    expect(
      statesCount('It consists of about 40,000 source documents and 9,000 expert-written summaries.', counted),
    ).toBe(true);
    // A number of something else, a citation mark, a percentage or a ratio is not that count.
    for (const other of [
      'Multi-LexSum contains expert-written summaries of up to three different granularities for the same source.',
      'using the first sentence [44] or summary bullets [43] as the target summary',
      'biomedical (42.7%) and computer science (7.2%) summaries only comprise half the corpus',
      'S2ORC contains three times more full text expert-written summaries',
    ])
      expect(statesCount(other, counted)).toBe(false);
  });

  test('a count is read past an aside between it and its name', () => {
    // Paper Plain's usability study (p. 18), as the parser reads it.
    const text =
      '6.1.1 Participants. We recruited participants from Upwork using the same recruiting materials as §3.0.1. We again recruited from both the “Editing & Proofreading” job category and “Customer Research” to attract a broad sample of workers with varied degrees of reading and writing experience and to remain consistent with §3.0.1. All participants were paid US$15 for the hour-long study.\n\nA total of 24 Upworkers (9 male, 1 non-binary, and 14 female) participated in the study. Participants’ age ranged from 19 to 67 (𝜇 = 35.04). All participants had completed college, and a third had completed professional or graduate school. 79% of participants (19) had taken 3 or fewer STEM course since high school and 92% (22) had never been involved in publishing a research paper. Similar to §3, no participants had professional medical experience.';
    const question = 'How many people participated in the usability study?';
    const counted = countedTerms(question);
    expect(
      statesCount('A total of 24 Upworkers (9 male, 1 non-binary, and 14 female) participated in the study.', counted),
    ).toBe(true);
    // Before, the count stopped at the bracket and "Similar to §3, no participants had …" was quoted.
    expect(
      best(score(candidates(question, [passage(text, ['6 USABILITY STUDY', '6.1 Method'])]), LEXICAL))!.text,
    ).toMatch(/^A total of 24 Upworkers/);
    // A number inside the aside is not a count of what follows it.
    expect(statesCount('of whom (14 female) participated', counted)).toBe(false);
  });

  test('a sentence opening with a pronoun is matched with the words of the one it follows', () => {
    const text =
      'Lucy wraps her prompting and retrieval code in new classes: APIPredictor and SnippetRetrievalPredictor (see Table 1).\n\nFast iterations. Leveraging the bounding box data from papermage to visually highlight the retrieved passages, Lucy suspects the retrieval component is likely underperforming. She makes a simple edit from doc.sentences to doc.paragraphs and evaluates system performance under different input granularity. She also realizes the system often retrieves content outside the main body text.';
    const chosen = best(
      score(candidates('What change did Lucy make to improve retrieval?', [passage(text)], []), LEXICAL),
    );
    expect(chosen!.text).toMatch(/^She makes a simple edit/);
  });

  test('asked what an acronym stands for, a sentence that spells it out is quoted', () => {
    const passages = [
      passage(
        'The underlying Civil Rights Litigation Clearinghouse data has been funded by numerous entities over its 15 year history, including:\n\n● University of Michigan Law School',
        ['MOTIVATION'],
        2.59,
        0.51,
      ),
      passage(
        'The dataset is a sample of instances, i.e., sampled from all civil rights lawsuits. It is not random; the CRLC includes cases only if they are (a) injunctive (that is, seeking court-ordered behavior/policy change) or (b) class-actions, and only in certain topics.',
        ['COMPOSITION'],
        2.28,
        0.54,
      ),
    ];
    const defined: [string, string][] = [['CRLC', 'Civil Rights Litigation Clearinghouse']];
    expect(best(score(candidates('What does CRLC stand for?', passages, defined), LEXICAL))!.text).toContain(
      'Civil Rights Litigation Clearinghouse',
    );
    expect(best(score(candidates('What does CRLC stand for?', passages), LEXICAL))!.text).toContain(
      'the CRLC includes',
    );
    // "Stand" without "for" asks for no long form: every sentence stays a candidate.
    expect(candidates('Which cases does the CRLC stand behind?', passages, defined).length).toBe(
      candidates('Which cases does the CRLC stand behind?', passages).length,
    );
  });

  test('asked what a name without a long form stands for, the sentence saying what it is is quoted', () => {
    // LongEval's passages as retrieved for the question (Related Work matched "stand-alone").
    const passages = [
      passage(
        'Faithfulness in summarization differs from fact verification in three ways: (1) summaries are paragraph-long and contextual compared to single sentence stand-alone claims in fact verification; (2) summaries are grounded to a source document, compared to a large knowledge source in fact verification; (3) summaries are model-generated compared to human-written claims in fact checking datasets (Thorne et al., 2018; Wadden et al., 2020).',
        ['4 Related Work'],
        5.33,
        0.32,
      ),
      passage(
        'COARSE-grained How well is the summary supported by the source?\n\nFigure 1: Overview of research questions considered in LONGEVAL. Example summary taken from SQuALITY.',
        ['1 Introduction'],
        1.64,
        0.39,
      ),
      passage(
        'Overall, our contributions are: (1) a 162-paper survey of current human evaluation practices in long-form summarization; (2) LONGEVAL, a set of three guidelines for evaluating faithfulness in long-form summarization; (3) an empirical validation of LONGEVAL guidelines on two long-form summarization datasets in different domains (SQuALITY and PubMed).\n\nWe open-source our human evaluation data, annotation interface, and code for future research.',
        ['1 Introduction'],
        1.23,
        0.33,
      ),
    ];
    const question = 'What does LongEval stand for?';
    // The only candidates are the sentences saying what it is, so the cosine cannot pick the caption.
    expect(candidates(question, passages).map((c) => c.text)).toEqual([
      expect.stringContaining('(2) LONGEVAL, a set of three guidelines'),
    ]);
    // "Stand" is how the question asks, not what it asks about: "stand-alone" matches nothing.
    const lexical = (q: string) => candidates(q, passages.slice(0, 1))[0]!.features[FEATURES.indexOf('lexical')];
    expect(lexical(question)).toBe(0);
    // Asked what it is, every sentence stays a candidate (the `defines` feature prefers the definition).
    expect(candidates('What is LongEval used for?', passages).length).toBeGreaterThan(1);
  });

  /** As the pipeline makes its final choice: the sentences' and the question's embeddings. */
  const quoted = async (question: string, passages: ReturnType<typeof passage>[], weights = WITH_COSINE) => {
    const embedder = await realEmbedder();
    const cands = candidates(question, passages);
    const vectors = await embedder.embed([question, ...cands.map((c) => c.text)], 'passage');
    const d = vectors.length / (cands.length + 1);
    return best(score(withCosines(cands, vectors.subarray(0, d), vectors.subarray(d)), weights))!.text;
  };

  // The paper's own passages as retrieved for these questions (Beyond Summarization).
  test('asked what something is called, the sentence that gives its name is quoted', { timeout: 120_000 }, async () => {
    const text =
      'Augmenting Reading and Collecting Evidence. Reading relevant documents to gather evidence is a crucial early step for expository writing. While there have been significant research efforts on document discovery and comprehension (e.g., for scientific documents [8, 9, 14, 17, 25]), AI tools for supporting reading for writing is relatively sparse [12, 16, 26]. Experts typically expend significant manual effort reading through many source documents to identify key relevant information to help them synthesize new knowledge.\n\nBeyond Summarization: Designing AI Support for Real-World Expository Writing Tasks\n\nThis is referred as “establishing the working memory” [2, 13], a key step during the cognitive process of writing.';
    const passages = [passage(text, ['3 DESIGNING AI SUPPORTS FOR EXPOSITORY WRITING'], 3.9, 0.52)];
    const question = 'What is reading to gather evidence referred to as?';
    expect(await quoted(question, passages)).toMatch(/^This is referred as/);
    // Without the name asked for, the sentence restating the question is quoted.
    expect(await quoted(question, passages, { ...WITH_COSINE, name: 0 })).toMatch(/^Reading relevant documents/);
    // "We call this setting …" points back past its subject: it is matched with the sentence before
    // it too (LongEval); before, "Hence, for half the generations we block 6-grams …" was quoted.
    const pubmed = passage(
      'By default, LongT5 / BigBird were highly extractive compared to humanwritten PubMed summaries (87% / 74% vs 54% bigram overlap with source). Hence, for half the generations we block 6-grams from being copied from the source,6 reducing extractiveness to ∼54%. We call this setting “PubMed-ngram-block”.',
      ['3 The LONGEVAL guidelines for faithfulness human evaluation'],
      4.35,
      0.25,
    );
    expect(
      await quoted('What is the setting that blocks 6-grams from being copied from the source called?', [pubmed]),
    ).toBe('We call this setting “PubMed-ngram-block”.');
    // A name in quotation marks is given too; "called for" gives none (SQuAD's Huguenot article).
    const huguenots = passage(
      'Peace terms called for the dismantling of the city\'s fortifications. Montpellier was among the most important of the 66 "villes de sûreté" that the Edict of 1598 granted to the Huguenots.',
    );
    expect(
      await quoted('What were the towns granted to the Huguenots in 1598 collectively called?', [huguenots]),
    ).toContain('villes de sûreté');
  });

  // The papers' own passages as retrieved for these questions (Beyond Summarization, CiteSee).
  test('asked why, the sentence giving the reason is quoted, not the one restating the question', {
    timeout: 120_000,
  }, async () => {
    const writing = passage(
      'Expository writing pieces aim at bringing about new knowledge or perspectives, but it takes significant effort for authors to comprehend the source and convert the thinking into writing. By reducing the cognitive load and the interaction costs for information extraction and sensemaking during the reading, it can help authors focus on the reasoning and idea generation [16, 23]. On the other hand, while LLMs have demonstrated strong performance in document understanding and text generation, they currently suffer from hallucination [15] and are limited in reasoning [4, 32] and long-form generation capabilities. As such, it is sub-optimal to use LLMs to generate the whole writing piece altogether and post-edit [6]. A modular design that provides varying AI support at different stages of writing can be most helpful, and we detail the components as follows.',
      ['3 DESIGNING AI SUPPORTS FOR EXPOSITORY WRITING'],
      4.95,
      0.54,
    );
    const why = 'Why is it sub-optimal to have LLMs generate the whole writing piece?';
    // The premise of "As such, …" answers; before, "As such, it is sub-optimal …" was quoted.
    expect(await quoted(why, [writing])).toContain('suffer from hallucination');
    // Asked what, not why, the sentence that says it is sub-optimal is the answer.
    expect(await quoted('What is sub-optimal about LLMs generating the whole writing piece?', [writing])).toMatch(
      /^As such/,
    );
    const colours = passage(
      'Finally, when saving a citation from its Paper Card, CiteSee keeps track of the context it was discovered, i.e., the current paper and the citing sentence. This context is then added to its Paper Card whenever the user re-encounters the same citation across different papers and in their library, as a way to remind them why it was saved in the first place (Figure 2, right).\n\n¹ In early design iterations we used blue and purple to be consistent with hyperlink in the browser, but we noticed a few publishers already use these colors for inline citations. Therefore, we switched to red and green to avoid confusion.',
      ['4 SYSTEM DESIGN', '4.5 [D3] Paper Cards with Personalized Context'],
      4.21,
      0.62,
    );
    expect(
      await quoted('Why did CiteSee switch from blue and purple to red and green for visited and saved papers?', [
        colours,
      ]),
    ).toContain('a few publishers already use these colors');
    // A causal word gives a reason too ("because such cases typically last longer", Multi-LexSum).
    const plaintiff = passage(
      'Multi-LexSum is not without its limitations. CRLC is more likely to include cases where the plaintiff wins because such cases typically last longer and receive more attention. This project is further limited to federal cases for which dockets are available online.',
      ['6 Conclusion'],
    );
    const cands = candidates('Why does the CRLC include more cases the plaintiff wins?', [plaintiff]);
    expect(cands.map((c) => c.features[FEATURES.indexOf('reason')])).toEqual([-1, 1, -1]);
  });

  test('asked what value something had, a sentence stating one is quoted, not one naming it', {
    timeout: 120_000,
  }, async () => {
    // Paper Plain's appendix C.1 as retrieved for the question.
    const gpt3 = passage(
      'C PAPER PLAIN IMPLEMENTATION\n\nC.1 GPT-3 Simplification\n\nWe adapted our GPT-3 prompt and generation parameters (e.g., length of generation and temperature) from one of the preset examples that OpenAI provides for summarizing text for a 2nd grader.8 We changed the prompt to summarize for a 5th grader rather than 2nd grader after observing that using 2nd grader caused the model output to be too general and vague. We also tested later grades, up to college, but found that the generated text using the 5th grader prompt was the most consistent. Our final prompt for GPT-3 was:\n\nMy fifth grader asked me what this passage means: """ [TEXT TO SIMPLIFY] """ I rephrased it for him, in plain language a fifth grader can understand:\n\nWe also updated generation parameters, specifically the length of generation and temperature (a parameter for controlling the randomness of generations). We set generation length to 100 characters and temperature to a range of 0.25 to 0.5, depending on the generation.',
      ['C PAPER PLAIN IMPLEMENTATION', 'C.1 GPT-3 Simplification'],
      7.09,
      0.34,
    );
    const question = 'What temperature was used for the GPT-3 generations?';
    expect(questionType(question)).toBe('quantity');
    // Before, "We adapted our GPT-3 prompt … (e.g., length of generation and temperature) …" was quoted.
    expect(await quoted(question, [gpt3])).toContain('0.25 to 0.5');
    // A name's digit, an ordinal, "one of", a year or a citation is not a value; a number word is.
    const holds = (text: string) => candidates(question, [passage(text)])[0]!.features[FEATURES.indexOf('typeMatch')];
    for (const none of [
      'We adapted our GPT-3 prompt from one of the preset examples for a 2nd grader.',
      'Following the merger of admissions in 1977, the proportion of women grew.',
      'It was low (Gillick and Liu, 2010; Fabbri et al., 2021) in [12].',
    ])
      expect(holds(none)).toBe(0);
    for (const value of ['MTurkers scored just 62% with it.', 'about four men for every woman', 'It cost $1,500.'])
      expect(holds(value)).toBe(1);
  });

  test("the question's words for the paper itself are not what a sentence is matched on", () => {
    const text =
      'However, AI-supported expository writing—including real-world tasks like scholars writing literature reviews or doctors writing progress notes—is relatively understudied.\n\nIn this position paper, we argue that developing AI supports for expository writing has unique and exciting research challenges and can lead to high real-world impacts.';
    const passages = [passage(text, ['ABSTRACT'], 2.2, 0.54)];
    expect(
      best(
        score(
          candidates('What kinds of real-world expository writing tasks does the position paper mention?', passages),
          LEXICAL,
        ),
      )!.text,
    ).toContain('literature reviews');
    // Asked without naming the paper, the choice was the restatement's.
    expect(
      best(
        score(
          candidates('What kinds of real-world expository writing tasks position paper mention?', passages),
          LEXICAL,
        ),
      )!.text,
    ).toMatch(/^In this position paper/);
  });

  test('a heading is never the answer', () => {
    const text = '3.1 Pre-training BERT\n\nWe pre-train BERT using two unsupervised tasks.';
    const cands = candidates('Pre-training BERT', [passage(text, ['3 BERT', '3.1 Pre-training BERT'])]);
    expect(cands.map((c) => c.text)).toEqual(['We pre-train BERT using two unsupervised tasks.']);
  });

  test('a sentence opening "Yet, …" is matched with the words of the one it answers', () => {
    // PaperMage's footnote: the first sentence holds the question's words, the second the answer.
    const question = 'Why is Grobid hard to use for NLP research in Python?';
    const passages = [
      passage(
        '⁴ Most research in NLP requires that a researcher be able to manipulate models within Python. Yet, Grobid requires users to manage a separate service process and send PDFs through a client. In performing evaluation in §3.3, we also found it difficult to run only the model components isolated from PDF utilities, which makes comparison with other research models challenging without significant “glue” code.',
        ['2 Related Work', '2.3 Combining models and pipelines'],
        3.71,
        0.58,
      ),
      passage(
        'Prior to running GROBID, we filter out PDFs that (i) produce an error when processed using the Python library PyPDF2,20 (ii) have greater than 50 pages (more likely to be a dissertation or report), (iii) have page widths greater than page heights (more likely to be slides), and (iv) those which fail to be extracted using pdfalto, the variant of pdftoxml used by GROBID.',
        ['B PDF filters'],
        2.33,
        0.5,
      ),
    ];
    expect(best(score(candidates(question, passages), LEXICAL))!.text).toMatch(/^Yet, Grobid requires users/);
  });

  test("a table's cells read into running text are not quoted", () => {
    // Paper Plain, appendix D.2 as the parser reads it: the table below the paragraph runs into its
    // last sentence, which then held every word of the question and was quoted.
    const question = 'Which correction was applied to the p-values of the F-test?';
    const text =
      'D.2 F-Tests for Significant Effect of Interface\n\nWe conducted F-tests for differences in fixed-effect estimates between each interface variant, repeated for each 𝑦 using the lmerTest R package [57]. Using the Holm-Bonferroni [46] correction on the 𝑝-values with the p.adjust R package, we found significance for reading difficulty (𝑝 < .001), relevance (𝑝 < .001), and confidence (𝑝 < .001)—even while controlling for paper and participant-specific effects. That is to say, for these metrics, the F-test identified that the 𝛽0 𝛽𝑆𝐿𝐸 1 𝛽 𝑃𝐷𝐹 2 𝛽 𝑆𝐷 2 𝛽 𝑄𝐴 2 Reading Difficulty (1–5) 2.0884 0.3750 1.9835 1.4851 0.3444 Understand (1–5) 3.8231 -0.5000 -1.1769 -0.7194 0.1037 Relevance (1–5) 3.9316 -0.5833 -1.1675 -0.7524 0.1934\n\n⁸ https://beta.openai.com/examples/default-summarize';
    const cands = candidates(question, [
      passage(text, ['D STATISTICAL ANALYSIS', 'D.2 F-Tests for Significant Effect of Interface']),
    ]);
    expect(cands.some((c) => c.text.includes('2.0884'))).toBe(false);
    expect(best(score(cands, LEXICAL))!.text).toMatch(/^Using the Holm-Bonferroni \[46\] correction/);
    // A row the parser recognised as a table's stays a candidate, to be quoted under its headers.
    const row = 'Reading Difficulty (1–5) | 2.0884 | 0.3750 | 1.9835 | 1.4851 | 0.3444 | 0.7481 | 0.0011';
    expect(candidates('What was the reading difficulty coefficient?', [passage(`${row}.`)])).toHaveLength(1);
    // Prose full of figures has words between them: still a sentence that can answer.
    for (const prose of [
      'Revenue grew 12% in 2019, 15% in 2020, and 9% in 2021.',
      'The population was 8,336,817 in 2019, up from 8,175,133 in 2010 and 8,008,278 in 2000.',
      'Between 1914 and 1918, 1939 and 1945, the city lost 12,000 and 30,000 men.',
    ])
      expect(candidates('What was it in 2019?', [passage(prose)]).map((c) => c.text)).toEqual([prose]);
  });

  test('a passage found by its words alone is not ranked as if it matched nothing', () => {
    // LongEval's footnote was the first passage found for the question, by the keyword ranking only
    // (no cosine came with it); read as a cosine of 0, it fell behind Paper Plain's passages, and a
    // sentence about why participants kept reading (its "because") was quoted.
    const question = 'Why were five papers excluded from the survey?';
    const passages = [
      {
        ...passage(
          'Most of the 162 surveyed papers were published in major NLP/ML venues, but we also include newer preprints from 2022.\n\n² We exclude five papers which used long-form summarization data for pre-training only, like Wei et al. (2022).',
          ['2 Survey of human evaluation practices'],
          2.54,
        ),
        dense: undefined,
      },
      passage(
        'While some used a paper’s introduction to determine how useful a paper would be, many participants did not trust their ability to know what a paper would contain without exhaustively reading it (T3, 6–8). T6 and 8, for example, both suspected that certain papers would not be useful after reading the abstract or introduction, but continued reading the papers because they hoped they would still find something that was helpful.',
        ['3 OBSERVATIONS OF NON-EXPERT READERS'],
        1.02,
        0.41,
      ),
      passage(
        'Table 1. Five barriers readers encountered when they sought an understanding of medical research papers without having prior medical research experience.',
        ['3 OBSERVATIONS OF NON-EXPERT READERS'],
        1.1,
        0.37,
      ),
    ];
    const cands = score(candidates(question, passages), LEXICAL);
    expect(passageOrder(cands, passages.length)[0]).toBe(0);
    // It is taken to be as close as the least close passage shown, not closer.
    expect(cands.find((c) => c.passage === 0)!.features[FEATURES.indexOf('passageCosine')]).toBe(0.37);
  });

  test("the question's rarest word keeps the answer the cosine would overturn", { timeout: 120_000 }, async () => {
    // CiteSee as retrieved for "At how many points is a citation's interest score capped?" (p. 6, 9).
    const passages = [
      passage(
        'By default, CiteSee uses the 20 most recently read papers in the user’s history, but this window can also be adjusted by the user using a slider to capture part of her reading history relevant to her current task (Figure 5).\n\nCiteSee uses implicit and explicit signals that measure users’ engagement levels with each paper to further scale the shades of the highlights. We use the following heuristic for each inline citation to estimate its degree of interest for the current user: each paper in the reading history that cites the inline citation contributes 1 point. Then, an additional 0 to 1 point is added based on the estimated proportion it was read. For this, CiteSee tracks the maximum vertical scroll position proportional to the length of the paper to estimate the users’ reading progress. Users can also click on the read button on the top menu bar to explicitly set this estimation to 100% (Figure 3). Two additional points are added for each citing paper saved in the library. For this, users can save a paper to their library using the bookmark icon in the menu bar (Figure 3) or from a Paper Card (Figure 2). Finally, the total score is capped at 5 points when scaling the shades of the highlights. The assumption here is that opening a paper from the search results indicates moderate interest (1 point); saving a paper to the library indicates a higher interest (2 points); and the more a paper is consumed, the higher the interest (0 to 1 points). This allows CiteSee to avoid over highlighting inline citations when a user opens many papers from a search result that might not all turn out to be relevant and important (a phenomenon we encountered in early design iterations.) Further, when a user opens a paper but later decides it is irrelevant, they can also use the delete button in the menu bar (Figure 3) to remove it entirely from their reading history, preventing it from contributing points to inline citations in other papers.\n\nFigure 5: Users can adjust the length of the inclusion history to include papers relevant to their current task.',
        ['4 SYSTEM DESIGN', '4.3 [D1] Discover Relevant Citations'],
        4.53,
        0.43,
      ),
      passage(
        'Specifically, this included the global citation counts and whether the citations were also cited by the other two papers in the assigned set. Most participants paid less attention to the Specter embedding distance on the Paper Cards. Instead, some mentioned that reading the titles and abstracts was often sufficient to see similarities between the three papers and cited papers, and the score sometimes acted as a validation of their judgment.\n\nA total of 417 five-point Likert-scale responses were collected from the ten participants (180, 108, 129 responses for each topic, respectively). We conducted a multiple regression analysis predicting the responses as a function of the fixed-effects of four strategies, represented as binary variables, and participant-specific random effects to account for variation in the user population and within-subjects correlation in responses. To handle ordinal Likert responses, we fit the following Cumulative Link Mixed (CLM) Model:',
        ['5 STUDY 1: DISCOVER RELEVANT CITATIONS', '5.2 Study 1 Results'],
        1.94,
        0.45,
      ),
    ];
    const question = "At how many points is a citation's interest score capped?";
    // As the pipeline chooses: the best three on words, then their embeddings' cosine.
    const shortlist = [...score(candidates(question, passages), LEXICAL)].sort((a, b) => b.score - a.score).slice(0, 3);
    const embedder = await realEmbedder();
    const vectors = await embedder.embed([question, ...shortlist.map((c) => c.text)], 'passage');
    const d = vectors.length / (shortlist.length + 1);
    const chosen = (weights: typeof WITH_COSINE) =>
      best(
        score(
          withCosines(
            shortlist.map((c) => ({ ...c, features: [...c.features] })),
            vectors.subarray(0, d),
            vectors.subarray(d),
          ),
          weights,
        ),
      )!.text;
    expect(shortlist.map((c) => c.features[FEATURES.indexOf('rarest')])).toContain(1);
    expect(chosen(WITH_COSINE)).toContain('capped at 5 points');
    // Without it the sentence sharing the question's topic, and a count of 1 point, was quoted.
    expect(chosen({ ...WITH_COSINE, rarest: 0 })).toContain('contributes 1 point');
  });

  test('a table row is quoted with its column headers', () => {
    const text = 'Model | Parameters | GLUE\n\nBERT-base | 110M | 79.6\n\nBERT-large | 340M | 82.1';
    expect(tableHeader(text, text.indexOf('BERT-large'))).toBe('Model | Parameters | GLUE');
    expect(tableHeader(text, text.indexOf('Model'))).toBeNull();
    expect(tableHeader('Plain prose here.', 0)).toBeNull();
  });
});
