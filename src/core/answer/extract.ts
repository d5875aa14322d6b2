/**
 * The extractive answer: the one sentence of the retrieved passages that answers the question,
 * chosen without a language model. Each sentence is scored on evidence a small embedding model
 * and the text itself give: how much of the question's rarer words it contains (idf over the
 * candidate sentences), its embedding's cosine with the question's, whether it holds what the
 * question asks for (a date for "when", a number for "how many", a name for "who"), how much it
 * adds beyond the question's own words, and how well its passage was retrieved. The weights are
 * fitted on SQuAD articles 0–3 only (`npx tsx scripts/tune-answer.ts`, README "Answer quality").
 */
import { analyze } from '../search/analyzer';
import type { ContextPassage } from '../search/context';
import { definesName, nameAsked } from '../search/terms';
import { splitSentences } from './sentences';

export interface Candidate {
  /** 0-based index of the passage it comes from. */
  passage: number;
  /** Offsets into that passage's text. */
  start: number;
  end: number;
  text: string;
  /** Feature values, in FEATURES order; `cos` is 0 until `withCosines` fills it. */
  features: number[];
  score: number;
}

export const FEATURES = [
  'cos',
  'lexical',
  'retrieval',
  'passageCosine',
  'typeMatch',
  'typeMiss',
  'novelty',
  'heading',
  'first',
  'length',
  'pointer',
  'defines',
  'count',
  'name',
  'reason',
  'rarest',
] as const;
export type Weights = Record<(typeof FEATURES)[number], number>;

/**
 * `pointer` is set by hand, not fitted (SQuAD's paragraphs have no such sentences): a sentence that
 * sends the reader elsewhere for what the question asks ("the two pretraining tasks presented in
 * Section 3.1") restates the question; the sentence it points at names the answer. One that says
 * something and illustrates it ("… is implemented in LabelStudio, as shown in Figure 9") does not.
 */
const POINTER =
  /(?<!\bas\s)\b(?:presented|described|discussed|detailed|defined|introduced|listed|explained|shown|given|outlined|reported)\s+(?:in|at|below|above|later|earlier)\b[^.]{0,20}?(?:\b(?:Section|Sec\.|Table|Figure|Fig\.|Appendix|Chapter)\b|§)|\((?:see\s+)?(?:Section|Sec\.|§|Appendix)\s*[\dA-Z]/;

/**
 * `defines` is set by hand too: when the question asks what a term the library defines is or
 * stands for ("What does MDS stand for?"), the sentence that defines it ("multi-document
 * summarization (MDS)", both forms together) answers it; a sentence that only uses it does not.
 * So does a sentence that defines the name a "What is X?" question asks about ("This paper
 * introduces CiteSee, a paper reading tool …", search/terms.ts `definesName`).
 */
const ASKS_DEFINITION = /\b(?:stand|stands|short|abbreviat\w*|acronym|mean|means|meaning|what\s+(?:is|are))\b/i;
/**
 * Asked what an acronym stands for, the answer is its long form: only a sentence that spells it out
 * is quoted, when one is among the passages ("… the underlying Civil Rights Litigation
 * Clearinghouse data …" rather than "… the CRLC includes cases only if …").
 */
// "Stand for", not "stand": "How does BERT stand up against GPT?" asks for no long form.
const ASKS_LONG_FORM = /\b(?:stands?\s+for|short\s+for|abbreviat\w*|acronym)\b/i;
/**
 * "What does LongEval stand for?" of a name the library defines no long form of: the sentence that
 * says what it is ("we present LONGEVAL, a set of guidelines for …") answers it, as for "What is
 * LongEval?". The words that ask it ("stand for", "mean") are not what a sentence is matched on:
 * "… single sentence stand-alone claims …" was quoted for them.
 */
const MEANING_ASKED = /^\s*what\s+(?:does|do|did)\s+(?:the\s+)?(.+?)\s+(?:stands?\s+for|mean)\s*\?\s*$/i;
const ASKING_WORDS = /\b(?:stands?\s+for|short\s+for|mean\s*(?=\?\s*$))/gi;

/** The name a question asks what it is or stands for (at most four words), or null. */
function nameOf(question: string): string | null {
  const name = MEANING_ASKED.exec(question)?.[1]?.trim();
  // "What does it mean?" names nothing: "it" is the conversation's, not a name to define.
  if (name && /^(?:it|this|that|these|those|they|them)$/i.test(name)) return null;
  return name && name.split(/\s+/).length <= 4 ? name : nameAsked(question);
}

/**
 * `count` is set by hand too: a "how many" question asks for a number of something, and the
 * sentence that states one puts it before that thing's name ("a survey of 162 papers", "9,000
 * expert-written summaries"); a year, a percentage, a citation mark or a number of something else
 * ("three different granularities") is not the count asked for, though it satisfies `typeMatch`.
 */
const COUNTED = /\bhow many\s+([^?]*)/i;
const NOT_COUNTED =
  /^(?:are|were|is|was|do|does|did|have|has|had|can|could|will|would|should|took|take|make|made|in|of|on|for|per|at|from|to|with|by|there|among|across|within|during)$/i;
const COUNT =
  /(?<![\p{L}\p{N}.,])(?:\d[\d,]*(?:\.\d+)?(?:\s?(?:[kKMB]|million|billion|thousand|hundred)\b)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|dozens?|hundreds|thousands|millions)\b)(?!\s?%|[.,]?\d|\s+times\b)/giu;

/** The words of what a "how many" question counts, up to its verb or a preposition (at most three). */
export function countedTerms(question: string): Set<string> {
  const words = COUNTED.exec(question)?.[1]?.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const end = words.findIndex((w) => NOT_COUNTED.test(w));
  return new Set(analyze(words.slice(0, end < 0 ? 3 : Math.min(end, 3)).join(' ')));
}

/**
 * Asked how many people, a count of employees, participants or residents is one: "people" names no
 * kind of person, so any word for people counts it ("The five companies had 1,300 employees" for
 * "How many people work at IBM?", not "19 research facilities"). Matched as written, not stemmed:
 * "researchers" and "annotators" would stem to "research" and "annot", which count things.
 */
const ANY_PEOPLE = new Set(analyze('people persons individuals humans'));
const PERSON =
  /^(?:people|persons?|individuals|humans|employees|staff|workers|workforce|members|participants|users|researchers|scientists|students|annotators|freelancers|crowdworkers|residents|inhabitants|citizens|volunteers|patients|children|adults|men|women|experts|authors|writers|physicians|clinicians|doctors|nurses|teachers|soldiers|troops|players|customers|subscribers|visitors|respondents|readers)$/i;

/** Whether the sentence states a number of the counted thing: a count with its name within five words after it. */
export function statesCount(sentence: string, counted: Set<string>): boolean {
  if (!counted.size) return false;
  const people = [...counted].some((t) => ANY_PEOPLE.has(t));
  const bare = sentence.replace(/\[[\d,\s–-]+\]/g, (x) => ' '.repeat(x.length));
  for (const m of bare.matchAll(COUNT)) {
    // An aside between the count and its name is passed over: "24 Upworkers (9 male, 1 non-binary,
    // and 14 female) participated".
    const after =
      bare
        .slice(m.index + m[0].length)
        .replace(/\s*\([^()]*\)/g, '')
        .split(/[;:()]|[.,](?=\s|$)/)[0] ?? '';
    const next = after.match(/[\p{L}\p{N}'’-]+/gu)?.slice(0, 5) ?? [];
    if (analyze(next.join(' ')).some((t) => counted.has(t)) || (people && next.some((w) => PERSON.test(w))))
      return true;
  }
  return false;
}

/**
 * The question's words for the document itself ("the position paper", "this paper") say which
 * document, not what it says: a sentence is not matched on them ("In this position paper, we
 * argue …" restates the question; "… real-world tasks like scholars writing literature reviews"
 * answers it).
 */
// A lower-case word between ("the position paper"), not a name ("the BERT paper" is about BERT).
const THIS_DOCUMENT = /\b[Tt]h(?:e|is)\s+(?:\p{Ll}[\p{L}-]*\s+)?paper\b(?!s)/gu;

/**
 * A sentence that opens by pointing back ("This is referred as …", "She makes a simple edit …", or
 * past its subject: "We call this setting “PubMed-ngram-block”") is about what the sentence before
 * it names: it is matched with that sentence's words as well as its own. So is one that opens by
 * answering it ("Most research in NLP requires … within Python. Yet, Grobid requires users to
 * manage a separate service process …"). (Only such sentences: matching every sentence with its
 * neighbour's words lost on both sets; with the connectives that add or conclude as well, "Also",
 * "Moreover", "Thus", "Instead", …, a held-out SQuAD question was lost.)
 */
const ANAPHOR =
  /^(?:This|These|That|Those|Such|It|Its|They|Their|He|His|She|Her)\b|^(?:We|They|I|He|She|It)\s+(?:[\p{L}-]+\s+){1,2}(?:this|these|those|such)\b|^(?:Yet|However|But|Still|Nevertheless|Nonetheless),?\s/u;

/**
 * Weights fitted by conditional logistic regression (one choice among each question's sentences)
 * on SQuAD 2.0 dev articles 0–3; articles 4–7 are held out for the figures in README.
 * LEXICAL is used before sentence embeddings exist (ordering passages at once, and while the
 * search model is loading); WITH_COSINE once they do.
 */
export const LEXICAL: Weights = {
  cos: 0,
  lexical: 5.75,
  retrieval: 0.5,
  passageCosine: 6.29,
  typeMatch: 1.11,
  typeMiss: -1.06,
  novelty: -0.77,
  heading: -1.25,
  first: -0.58,
  length: 0.72,
  pointer: -1.5,
  defines: 1.5,
  count: 3,
  // Not in the passages' order nor the shortlist: on words alone a name in quotation marks
  // elsewhere ("… “Confederate Party”, so called because …") reordered SQuAD's passages.
  name: 0,
  reason: 1,
  // Only in the final choice: on words alone it lost a tune question and a SQuAD one.
  rarest: 0,
};
export const WITH_COSINE: Weights = {
  cos: 4.63,
  lexical: 4.53,
  retrieval: 0.59,
  passageCosine: 2.59,
  typeMatch: 0.99,
  typeMiss: -0.95,
  novelty: 1.45,
  heading: -0.83,
  first: -0.49,
  length: 0.45,
  pointer: -1.5,
  defines: 1.5,
  count: 3,
  name: 1,
  reason: 1,
  rarest: 0.5,
};

type QuestionType = 'number' | 'quantity' | 'date' | 'person' | 'place' | 'other';

/**
 * `name` is set by hand too: "What is X called / referred to as / known as?" asks for the name
 * given to X, which a sentence gives with those words ("This is referred as “establishing the
 * working memory”") or in quotation marks ("the 66 “villes de sûreté” that the Edict of 1598
 * granted"); one without ("Reading relevant documents to gather evidence is a crucial early
 * step") restates the question. +1 for a sentence giving a name, −1 for one not. "Called for",
 * "named after" name nothing.
 */
const NAMING = String.raw`\b(?:called|referred\s+(?:to\s+)?as|known\s+as|termed|dubbed|named)`;
const ASKS_NAME = new RegExp(`${NAMING}\\s*\\??\\s*$`, 'i');
const GIVES_NAME = new RegExp(
  `${NAMING}(?!\\s+(?:for|in|after|by|on|to|with|from|off|out|up)\\b)\\b|["“][^"”]{2,60}["”]`,
  'i',
);

/**
 * `reason` is set by hand too: a "why" question asks for a cause, which a sentence gives with a
 * causal word ("because such cases typically last longer", "We attribute our findings to a learning
 * effect") or by being the premise of the sentence after it, which opens with a consequence
 * ("… they currently suffer from hallucination …" before "As such, it is sub-optimal to use LLMs to
 * generate the whole writing piece"). That sentence restates the question; its premise is matched
 * with its words as well as its own. +1 for a sentence giving a reason, −1 for one not.
 */
const ASKS_REASON = /\bwhy\b|\bfor what reason\b|\bwhat (?:is|was|are|were) the reasons? (?:for|why|that)\b/i;
const GIVES_REASON =
  /\b(?:because|since|due to|owing to|thanks to|as a result of|caused by|attribut(?:e|es|ed|ing)\b[^.;]{0,60}?\bto|so that|in order to|reasons?|results? from|resulted from|stems? from|leads? to|led to)\b/i;
const CONSEQUENCE =
  /^(?:Therefore|Thus|Hence|As such|As a result|Consequently|Accordingly|For (?:this|these|that) reasons?|This is why|That is why|So),?\s/;

/**
 * "What accuracy / temperature / threshold …?" asks for a measured value, which is written in
 * digits or number words ("MTurkers scored just 62%", "about four men … for every woman"); a year,
 * a citation ("(Gillick and Liu, 2010)"), a name's digit ("GPT-3"), an ordinal ("2nd grader") or
 * "one of" is not one.
 */
const ASKS_QUANTITY =
  /\bwhat\s+(?:(?:is|was|are|were)\s+(?:the|its|their|his|her)\s+)?(?:[\p{L}\d-]+\s+){0,2}?(?:accuracy|temperature|threshold|score|rate|ratio|size|length|coefficient|correlation|share|fraction|f1|precision|recall|cost|price|speed|duration|frequency|weight|height|width|depth|distance|population|salary|budget|revenue|capacity|density)s?\b/u;
const CITATION = /\([^()]*\b(?:1[5-9]|20)\d{2}[a-z]?\b[^()]*\)|\[[\d,;\s–-]+\]/g;
const QUANTITY =
  /(?<![\p{L}\p{N}][-.]?)(?!(?:1[5-9]|20)\d{2}(?![\d%]|[.,]\d))\d+(?:[.,]\d+)*(?!\d|st\b|nd\b|rd\b|th\b)|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|third|quarter)\b/iu;

export function questionType(question: string): QuestionType {
  const q = question.toLowerCase();
  if (
    /\bhow (?:many|much|long|far|old|large|big|often|tall|high|fast)\b|\bwhat (?:percentage|percent|number|amount|proportion)\b/.test(
      q,
    )
  )
    return 'number';
  if (ASKS_QUANTITY.test(q)) return 'quantity';
  if (
    /\bwhen\b|\b(?:what|which) (?:year|century|decade|date|day|month|time|period)\b|\bin what (?:year|century)\b/.test(
      q,
    )
  )
    return 'date';
  if (/\bwho\b|\bwhose\b|\bwhom\b/.test(q)) return 'person';
  if (/\bwhere\b|\b(?:what|which) (?:country|city|region|place|state|town|continent|island|county)\b/.test(q))
    return 'place';
  return 'other';
}

const MONTH =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/i;
const YEAR = /\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\b\d{1,2}(?:st|nd|rd|th) century\b/i;
const NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|third|quarter)\b/i;
const CAPITALISED = /(?<=\s|^|["“(])\p{Lu}[\p{L}'’-]+/gu;

/** Whether a sentence holds the kind of thing the question asks for. */
function holdsAnswerType(type: QuestionType, sentence: string, questionWords: Set<string>): boolean {
  switch (type) {
    case 'number':
      return NUMBER.test(sentence);
    case 'quantity':
      return QUANTITY.test(sentence.replace(CITATION, ' '));
    case 'date':
      return YEAR.test(sentence) || MONTH.test(sentence);
    case 'person':
    case 'place':
      // A name the question does not already contain (the first word of a sentence is capitalised anyway).
      return [...sentence.matchAll(CAPITALISED)].some((m) => m.index! > 0 && !questionWords.has(m[0].toLowerCase()));
    default:
      return true;
  }
}

/**
 * Every sentence of the passages, with its features (the cosine left at 0). `defined`: the
 * [acronym, long form] pairs the library defines that the question uses (search/terms.ts).
 */
export function candidates(
  question: string,
  passages: ContextPassage[],
  defined: [string, string][] = [],
): Candidate[] {
  const asked = ASKS_DEFINITION.test(question) ? defined : [];
  const name = nameOf(question);
  const defines = (text: string) =>
    asked.some(([short, long]) => text.includes(short) && text.toLowerCase().includes(long.toLowerCase())) ||
    (!!name && definesName(text, name));
  const qTerms = [...new Set(analyze(question.replace(THIS_DOCUMENT, ' ').replace(ASKING_WORDS, ' ')))];
  const qSet = new Set(qTerms);
  const qWords = new Set(question.toLowerCase().match(/[\p{L}\p{N}'’-]+/gu) ?? []);
  const type = questionType(question);
  const counted = countedTerms(question);
  const asksName = ASKS_NAME.test(question);
  const asksReason = ASKS_REASON.test(question);
  const top = passages[0]?.score ?? 0;
  // A passage found by its words alone comes without a cosine: it ranks below the dense list's last
  // hit, so it is taken to be as close as the least close passage shown, not as unrelated (0).
  const cosines = passages.flatMap((p) => (p.dense === undefined ? [] : [p.dense]));
  const unseen = cosines.length ? Math.min(...cosines) : 0;
  const raw: { passage: number; start: number; end: number; text: string; terms: string[]; index: number }[] = [];
  passages.forEach((p, pi) => {
    splitSentences(p.text).forEach((s, index) =>
      raw.push({ passage: pi, start: s.start, end: s.end, text: s.text, terms: analyze(s.text), index }),
    );
  });

  // Rarity among the candidates themselves: a word every sentence shares says little.
  const df = new Map<string, number>();
  for (const r of raw) for (const t of new Set(r.terms)) if (qSet.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = raw.length;
  const idf = (t: string) => Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
  const qWeight = qTerms.reduce((s, t) => s + idf(t), 0) || 1;
  // `rarest` is set by hand too (0.5 of 0.5 / 1 / 1.5 on the papers' tune half, in the final choice
  // only): the question's word that only one or two of the sentences hold ("capped" in "At how many
  // points is a citation's interest score capped?", "created" in "Who created the Multi-LexSum
  // dataset?") tells the answer apart, where the embeddings' cosine favours a sentence sharing the
  // question's topic ("… each paper in the reading history that cites the inline citation
  // contributes 1 point") and overturned the choice on words.
  const fewest = Math.min(...qTerms.map((t) => df.get(t) ?? Infinity));
  const rarest = new Set(fewest <= 2 ? qTerms.filter((t) => df.get(t) === fewest) : []);
  // A heading is never the answer: it names a topic, it does not say anything about it; nor is a
  // table's cells read as text. (Both still count in the words' rarity, as the passage's own text.)
  const heading = raw.map((r) => isHeading(r, passages[r.passage]!));
  const quotable = raw.map((r, i) => !heading[i] && !cellRun(r.text));
  const sentences = quotable.some(Boolean) ? raw.filter((_, i) => quotable[i]) : raw;
  const longForms = ASKS_LONG_FORM.test(question) ? defined.map(([, long]) => long.toLowerCase()) : [];
  const spelled = sentences.filter((r) => longForms.some((long) => r.text.toLowerCase().includes(long)));
  // Asked what a name stands for when no sentence spells out a long form, the sentences that say
  // what it is are the candidates, when there are any ("Figure 1: Overview of research questions
  // considered in LONGEVAL" was quoted over "… we present LONGEVAL, a set of guidelines for …").
  const meaning = name && MEANING_ASKED.test(question) ? sentences.filter((r) => definesName(r.text, name)) : [];
  const keep = spelled.length ? spelled : meaning.length ? meaning : sentences;
  // The sentence before each one in its passage, headings skipped; and, asked why, the premise of
  // each sentence that opens with a consequence.
  const previous = new Map<(typeof raw)[number], (typeof raw)[number]>();
  const premiseOf = new Map<(typeof raw)[number], (typeof raw)[number]>();
  raw.forEach((r, i) => {
    let j = i - 1;
    while (j >= 0 && heading[j]) j--;
    if (j < 0 || raw[j]!.passage !== r.passage) return;
    previous.set(r, raw[j]!);
    if (asksReason && CONSEQUENCE.test(r.text)) premiseOf.set(raw[j]!, r);
  });
  return keep.map((r) => {
    const back = ANAPHOR.test(r.text) ? previous.get(r)?.terms : undefined;
    const consequence = premiseOf.get(r)?.terms;
    const terms = new Set([...r.terms, ...(back ?? []), ...(consequence ?? [])]);
    const lexical = qTerms.reduce((s, t) => s + (terms.has(t) ? idf(t) : 0), 0) / qWeight;
    const novelty = r.terms.length ? r.terms.filter((t) => !qSet.has(t)).length / r.terms.length : 0;
    const holds = holdsAnswerType(type, r.text, qWords);
    const heading = !/[.!?:;)\]"”’]$/.test(r.text) && r.text.split(/\s+/).length < 10 ? 1 : 0;
    const p = passages[r.passage]!;
    const features = [
      0,
      lexical,
      p.score - top,
      p.dense ?? unseen,
      type !== 'other' && holds ? 1 : 0,
      holds ? 0 : 1,
      novelty,
      heading,
      r.index === 0 ? 1 : 0,
      Math.min(r.terms.length, 40) / 40,
      POINTER.test(r.text) ? 1 : 0,
      defines(r.text) ? 1 : 0,
      statesCount(r.text, counted) ? 1 : 0,
      asksName ? (GIVES_NAME.test(r.text) ? 1 : -1) : 0,
      asksReason ? (consequence || GIVES_REASON.test(r.text) ? 1 : -1) : 0,
      [...rarest].some((t) => terms.has(t)) ? 1 : 0,
    ];
    return { passage: r.passage, start: r.start, end: r.end, text: r.text, features, score: 0 };
  });
}

/**
 * A table's cells read into running text, as a PDF's text layer gives them ("… the F-test
 * identified that the β0 βSLE 1 β PDF 2 … 2.0884 0.3750 1.9835 …"): most of its words are numbers,
 * and it says nothing a quote could. A table row the parser recognised (cells joined by " | ", a
 * sheet's "Row 3: …") is quoted under its headers instead, so it is not one of these.
 */
function cellRun(text: string): boolean {
  if (text.includes(' | ') || /^Row \d+: /.test(text)) return false;
  const words = text.split(/\s+/).filter(Boolean);
  const isNumber = words.map((w) => /^[-–(]?[\d.,]+[)%]?$/.test(w) && /\d/.test(w));
  // Cells come in runs ("2.0884 0.3750 1.9835 1.4851"); a sentence of figures has words between
  // them ("grew 12% in 2019, 15% in 2020"), and must stay quotable.
  let run = 0;
  let longest = 0;
  for (const n of isNumber) longest = Math.max(longest, (run = n ? run + 1 : 0));
  return words.length >= 12 && longest >= 4 && isNumber.filter(Boolean).length >= words.length * 0.4;
}

/**
 * A heading inside a passage: one of its section headings, or a block of its own (blank lines
 * around it) without a sentence's end, of a few words.
 */
function isHeading(s: { start: number; end: number; text: string }, p: ContextPassage): boolean {
  if (p.location.headings.includes(s.text)) return true;
  const alone =
    (s.start === 0 || /\n\s*\n\s*$/.test(p.text.slice(Math.max(0, s.start - 4), s.start))) &&
    (s.end === p.text.length || /^\s*\n\s*\n/.test(p.text.slice(s.end, s.end + 4)));
  // A sheet's row ("Row 3: Name: Bram de Vries; Instrument: oboe") is a block without a full stop too.
  const row = s.text.includes(' | ') || /^Row \d+: /.test(s.text);
  return alone && !/[.!?:;)\]"”’]$/.test(s.text) && !row && s.text.split(/\s+/).length <= 14;
}

/**
 * A table row is quoted with its table's first row (its column headers): the rows of a table are
 * lines of cells joined by " | ", one block each, the first of the run being the header row.
 */
export function tableHeader(passageText: string, start: number): string | null {
  const lines = passageText.slice(0, start).split(/\n+/);
  const row = passageText.slice(start).split('\n')[0] ?? '';
  if (!row.includes(' | ')) return null;
  let header: string | null = null;
  // Walk back over the rows above this one (the last line before `start` is this row's own start).
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.includes(' | ')) break;
    header = line;
  }
  return header;
}

export function score(cands: Candidate[], weights: Weights): Candidate[] {
  const w = FEATURES.map((f) => weights[f]);
  for (const c of cands) c.score = c.features.reduce((s, x, i) => s + x * w[i]!, 0);
  return cands;
}

/** Fills in the cosine of each candidate with the question, from vectors the caller embedded. */
export function withCosines(cands: Candidate[], query: Float32Array, vectors: Float32Array): Candidate[] {
  const d = query.length;
  cands.forEach((c, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += query[j]! * vectors[i * d + j]!;
    c.features[0] = s;
  });
  return cands;
}

/**
 * Passages in the order of their best sentence's lexical score (retrieval scores are part of it):
 * the passage that holds the answer comes first. Returns the new order as old indexes.
 */
export function passageOrder(cands: Candidate[], count: number): number[] {
  const best = new Array<number>(count).fill(-Infinity);
  for (const c of cands) best[c.passage] = Math.max(best[c.passage]!, c.score);
  return [...best.keys()].sort((a, b) => best[b]! - best[a]! || a - b);
}

export function best(cands: Candidate[]): Candidate | undefined {
  let top: Candidate | undefined;
  for (const c of cands) if (!top || c.score > top.score) top = c;
  return top;
}
