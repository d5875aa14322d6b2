/**
 * What kind of question it is (issue 21): a lookup (one fact: today's retrieval path), a summary of
 * a document, a section, a collection or the library, a list or a count of everything that matches
 * a condition, or a comparison of named documents. Decided from the words alone, at once, before
 * anything is searched: the kind decides what is read (the top passages, or every passage in scope).
 *
 * A misread lookup costs one more click; a misread summary or list reads a whole document for a
 * one-fact question. So a question is only routed away from lookup on a clear cue, and a weak cue
 * keeps it a lookup with the other reading offered ("Summarise the whole document instead?").
 * `test/fixtures/whole/kinds.jsonl` holds the labelled questions (tune and report halves).
 */
import { analyze } from '../search/analyzer';
import { NAME_NOUN } from '../answer/byline';
import { escapeRegExp } from '../regexp';

export type QuestionKind = 'lookup' | 'summary' | 'list' | 'count' | 'compare';

export type ScopeLevel = 'library' | 'collection' | 'document' | 'section';

export interface QuestionScope {
  level: ScopeLevel;
  /** Names of the documents it is about (one for a document or section, two or more for a comparison). */
  documents: string[];
  collection?: string;
  /** As asked: "chapter 3", "section 2.1", "introduction". */
  section?: string;
}

export interface Classification {
  kind: QuestionKind;
  scope: QuestionScope;
  /**
   * List and count: what an item must match, the question without its cue and scope words
   * ("incident that involved a forklift"). Summary: its topic, when it has one. Compare: the aspect.
   */
  target?: string;
  /** The other reading when the cue was weak: offered beside the lookup's answer. */
  alternative?: { kind: Exclude<QuestionKind, 'lookup'>; prompt: string };
  /**
   * Lookup: it asks what its one document does, which that document says (answer/aim.ts): quoted
   * from there, its contributions as a list when `list`.
   */
  aim?: { list: boolean };
}

export interface ClassifyContext {
  /** Names of the documents in the library (file names as stored). */
  documents: string[];
  collections?: string[];
  /** What the scope picker holds: chosen documents, or a collection. */
  current?: { documents?: string[]; collection?: string };
  /** The document the last answer came from ("summarise it"). */
  lastDocument?: string;
  /** Documents' titles, by name: a paper is named by its title's short name ("the S2ORC paper"). */
  titles?: Record<string, string>;
}

// Words of document names that say what kind of file it is, not which one.
const GENERIC = new Set(
  'a an the of and or in on for to final draft copy version new old v1 v2 v3 doc docs document file files pdf docx html md txt report reports paper papers notes data page pages part'.split(
    ' ',
  ),
);

// Nouns that name records a person lists or counts, as opposed to facts with a number.
const RECORD =
  /^(?:incident|accident|case|event|document|file|contract|report|paper|passage|mention|time|clause|entry|entrie|item|violation|recommendation|failure|complaint|error|issue|defect|finding|risk|deadline|reference|occurrence|instance|record|invoice|breach|injur|injurie|observation|example|section|chapter|article|agreement|proposal|letter|email|ticket|bug|warning|fault|citation|dataset|source|study|studie|trial|quote|requirement|obligation|person|character|companie|company|species|product|tool|step|name|place|date)s?$/;
// Verbs of occurring in text: "how many X mention …", "which files talk about …".
const OCCUR =
  /\b(?:mention(?:s|ed|ing)?|involv(?:e|es|ed|ing)|refer(?:s|red)?\s+to|cite[sd]?|list(?:s|ed)?|name[sd]?|talk(?:s|ed)?\s+about|discuss(?:es|ed)?|describ(?:e|es|ed)|contain(?:s|ed)?|include[sd]?|record(?:s|ed)?|report(?:s|ed)?|make[s]?|use[sd]?|have\s+an?\s|has\s+an?\s|happen(?:s|ed)?|caus(?:e|es|ed)|occur(?:s|red)?|appear(?:s|ed)?|are\s+there|were\s+there|is\s+there)\b/i;

const SUMMARY =
  /\b(?:summar(?:ise|ize|ised|ized|ising|izing)|overview|gist|tl;?\s?dr|recap|synopsis|digest|executive summary|in a nutshell|brief me|outline (?:of|the main))\b|\b(?:main|key|central|core)\s+(?:points?|ideas?|takeaways?|findings?|topics?|themes?|messages?|arguments?|highlights?)\b|\bhighlights\s+of\b|\bwhat\s+topics\b|\bdescribe\s+(?:the|this|that)\s+(?:document|file|report|paper|book|chapter|section|collection)\b/i;
const SUMMARY_NOUN = 'summar(?:y|ies)';
const SUMMARY_ASKED = [
  // "… a summary of X", "summary for the board".
  new RegExp(String.raw`\b${SUMMARY_NOUN}\s+(?:of|for|about|on)\b`, 'i'),
  // "Summary?", "summary please", "a short summary", "What is the summary?".
  new RegExp(
    String.raw`^\s*(?:(?:what(?:['’]s|\s+is|\s+are|\s+was)\s+)?(?:the\s+|a\s+|an\s+|its\s+|this\s+)?(?:\w+\s+)?${SUMMARY_NOUN}|\S+\s+${SUMMARY_NOUN})\s*(?:,?\s*please)?\s*[?.!]*\s*$`,
    'i',
  ),
  // "Give me a short summary in bullets", "I would like a summary …".
  new RegExp(
    String.raw`^\s*(?:please\s+|how\s+about\s+)?(?:give|write|make|provide|create|generate|produce|show|get|need|want|(?:can|could|would)\s+(?:you|i)|i\s+(?:need|want|would\s+like|['’]d\s+like)|an?\s)\b.*\b${SUMMARY_NOUN}(?=\s*(?:[,.;:!?]|$)|\s+(?:of|for|about|on|please|with|that|which|in\s+(?:\d+|one|two|three|five|bullets?|bullet\s+points|a\s+paragraph|plain|simple|short))\b)`,
    'i',
  ),
];
// A question about summaries rather than for one: "How many summaries …", "Who wrote the summaries
// …", "What did participants think of the summaries?".
const ABOUT_SUMMARIES =
  /^\s*(?:how\s+(?:many|much|long|often|is|are|was|were|do|does|did|can|could|should|would)|who|whom|whose|when|where|why|which|what\s+(?:do|does|did|can|could|should|would|will|might)\b|what\s+(?:is|are|was|were)\s+the\s+(?:number|average|mean|median|length|size|count|total))\b/i;
/**
 * The noun "summary" asks for one when it is what is asked for, not when it is what the documents
 * are about: "How many summaries are in Multi-LexSum?" had summarised the whole library.
 */
const asksSummary = (q: string) =>
  SUMMARY.test(q) || (SUMMARY_ASKED.some((r) => r.test(q)) && !ABOUT_SUMMARIES.test(q));
const ABOUT = /^\s*what(?:'s|\s+is|\s+are|\s+was)\s+(.+?)\s+about\s*\??\s*$/i;
const PRONOUN_TARGET =
  /^(?:it|this|that|this one|that one|the (?:document|file|paper|report|book|text)|this (?:document|file|paper|report|book|text)|that (?:document|file|paper|report|book))$/i;
const LIBRARY =
  /\b(?:(?:my|the whole|the entire|all (?:of )?(?:my|the)?)\s*(?:library|documents|files|sources)|everything|all my (?:documents|files)|the library)\b/i;

const COMPARE =
  /\b(?:compare[sd]?|comparing|comparison|contrast|versus|vs\.?|side by side|differ(?:s|ence|ences)?|similarities|similar to|which is (?:better|cheaper|faster|longer|shorter|larger|smaller|more|less))\b/i;

const LIST_STRONG =
  /^\s*(?:please\s+)?(?:enumerate|itemi[sz]e)\b|^\s*(?:please\s+)?list\s+(?:all|every|each)\b|^\s*(?:please\s+)?(?:find|show(?: me)?|give me|name|get|collect|gather)\s+(?:a list of\s+)?(?:all|every|each)\b|\bgive me a list of\b|\bwhat are all (?:the )?\b|^\s*(?:all|every|each)\b|\bevery\s+(?:mention|reference|instance|occurrence|time|case|incident|place)\b|\blist (?:of )?(?:all|every)\b/i;
const LIST_THE = /^\s*(?:please\s+)?list\s+(?:the\s+)?([\p{L}-]+)/iu;
const WHICH_PLURAL = /^\s*(?:which|what)\s+(?:of\s+(?:my|the|these)\s+)?([\p{L}-]+s)\b(?!\s+(?:is|was)\b)/iu;
const HOW_MANY = /^\s*(?:so\s+)?how\s+many\s+(?:of\s+the\s+)?([\p{L}-]+)(?:\s+([\p{L}-]+))?/iu;
// "how many <noun…> does <doer> <verb>?"
const HOW_MANY_DOES =
  /^\s*(?:so\s+)?how\s+many\s+(?:of\s+the\s+)?(?:[\p{L}\p{N}-]+\s+){1,5}?(?:does|do|did)\s+(.+?)\s+[\p{L}-]+\s*\??\s*$/iu;
// The documents themselves as the doer: a word for a document ending it ("the S2ORC paper", "my
// files"), or a pronoun standing for them alone ("does it list"; "that model" is no document).
const DOCUMENT_DOER =
  /(?:^|\s)(?:documents?|files?|reports?|papers?|studies|study|articles?|preprints?|pdfs?|library|collections?|sources?|passages?)$|^(?:it|they|these|those|them|this|that)$/i;
/** One document, by what it is ("the AMT handbook"); a plural names a kind of file ("the NLP papers"). */
const DOCUMENT_NOUN = new Set(
  'article handbook manual guide report paper document file pdf page book booklet brochure memo letter contract proposal deck sheet spreadsheet'.split(
    ' ',
  ),
);
const COUNT =
  /^\s*(?:please\s+)?count\b|\b(?:the|what is the|what's the)\s+number\s+of\s+([\p{L}-]+)|\bhow many times\b/iu;

const SECTION_NUMBERED = /\b(chapter|section|part|appendix|annex|schedule)\s+([0-9]+(?:\.[0-9]+)*|[ivxlc]+|[a-z])\b/i;
const SECTION_NAMED =
  /\b(?:the\s+)?(introduction|conclusions?|methods?|methodology|results|discussion|background|related work|abstract|appendix|preface|foreword|limitations|evaluation|experiments)(?:\s+section)?\b/i;
const SECTION_WORD = /\bthe\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)\s+section\b/iu;

/** Decides the kind of a question and what it is about. */
export function classifyQuestion(question: string, ctx: ClassifyContext): Classification {
  const q = question.trim();
  const collection = namedCollection(q, ctx.collections ?? []) ?? undefined;
  // "Which papers in Research papers use BERT?": with a collection named, a bare word that is also a
  // document's name ("BERT") is what the question is about, not where to look.
  const named = namedDocuments(q, ctx.documents, ctx.titles).filter(
    (d) => !collection || q.toLowerCase().includes(d.toLowerCase()),
  );
  const pronounDoc = ctx.lastDocument && refersBack(q) ? ctx.lastDocument : undefined;
  const current = ctx.current?.documents ?? [];
  // A list or count reads every passage in scope: "What datasets does LongEval use?" reads the
  // LongEval paper for datasets, not the library for both words.
  const doer = named.length || pronounDoc || collection ? undefined : titleDoer(q, ctx.documents, ctx.titles ?? {});

  const base = (level: ScopeLevel, documents: string[], section?: string): QuestionScope => ({
    level,
    documents,
    ...(collection
      ? { collection }
      : level === 'collection' && ctx.current?.collection
        ? { collection: ctx.current.collection }
        : {}),
    ...(section ? { section } : {}),
  });
  // Where a question about one thing is, when the question does not say: the document it names,
  // the one "it" points at, the collection it names, the scope picker, or the whole library.
  const defaultScope = (section?: string): QuestionScope => {
    const docs = named.length ? named : pronounDoc ? [pronounDoc] : [];
    if (docs.length === 1) return base(section ? 'section' : 'document', docs, section);
    if (docs.length > 1) return base('document', docs, section);
    if (collection) return base('collection', []);
    if (LIBRARY.test(q)) return base('library', []);
    if (current.length === 1) return base(section ? 'section' : 'document', current, section);
    if (section) return base('section', current, section);
    if (ctx.current?.collection) return { level: 'collection', documents: [], collection: ctx.current.collection };
    return base('library', current);
  };
  const listScope = (section?: string): QuestionScope =>
    doer ? base(section ? 'section' : 'document', [doer.document], section) : defaultScope(section);
  const listTarget = () => target(doer ? doer.question : q, ctx.documents, ctx.titles);

  // Comparison: two or more documents, named or in the picker ("compare the two proposals", "compare them").
  if (COMPARE.test(q)) {
    // "Compare Paper Plain and CiteSee": what a comparison sets side by side are documents, so a
    // paper's short name counts alone here, without "paper" after it.
    // Only while fewer than two are named, and not in what they are compared on ("Compare BERT and
    // RoBERTa on GLUE" does not add the GLUE paper).
    const aspect = aspectOf(q, ctx.documents, ctx.titles ?? {});
    // The aspect blanked out where it stands, the rest kept in place: "Compare the word counts of
    // acme and globex" does not name word_sample.docx.
    const outside = aspect.target
      ? q.slice(0, aspect.at) + ' '.repeat(aspect.target.length) + q.slice(aspect.at! + aspect.target.length)
      : q;
    const inside = aspect.target
      ? namedDocuments(outside, ctx.documents, ctx.titles).filter((d) => named.includes(d))
      : named;
    const titled = inside.length >= 2 ? inside : namedWithShortTitles(outside, inside, ctx.documents, ctx.titles ?? {});
    const docs = titled.length >= 2 ? titled : current.length >= 2 ? current : [];
    if (docs.length >= 2)
      return {
        kind: 'compare',
        scope: base('document', docs),
        ...(aspect.target ? { target: aspect.target } : {}),
      };
  }

  const section = sectionOf(q);
  if (asksSummary(q) || aboutDocument(q, named, pronounDoc, section, ctx.titles)) {
    const topic = summaryTopic(q);
    // "What is the main finding of the CiteSee lab study?": a paper called by its short name alone
    // is what is summarised (the library was), unless the summary is of what is said about it.
    // Not of others that say it: "What are the key findings of papers citing S2ORC?".
    const titled =
      named.length || pronounDoc || topic || /\b(?:papers|documents|articles|files|reports|studies|works)\b/i.test(q)
        ? []
        : namedWithShortTitles(q, [], ctx.documents, ctx.titles ?? {});
    const scope = titled.length === 1 ? base(section ? 'section' : 'document', titled, section) : defaultScope(section);
    return { kind: 'summary', scope, ...(topic ? { target: topic } : {}) };
  }

  const howMany = q.match(HOW_MANY);
  if (howMany) {
    const noun = howMany[1]!.toLowerCase();
    // "how many brake failures": the counted noun may be the second word. A thing that is no
    // record is not counted for being "in" a document: "How many participants were in the CiteSee
    // study?" asks for the figure the paper states, not the 53 sentences that say "participants".
    const second = howMany[2]?.toLowerCase() ?? '';
    const counted =
      noun === 'times' ||
      RECORD.test(noun) ||
      RECORD.test(second) ||
      /\bacross\b|\bin (?:the|my|all) (?:documents|files|library)\b/i.test(q);
    const occurs = OCCUR.test(q.slice(howMany[0].length)) && !/\b(?:have|has|had)\s*\??$/.test(q);
    // "How many papers does S2ORC contain?" asks for a figure the text states about S2ORC; "how many
    // incidents does audit-2023.pdf record?" counts records of the documents: who does the verb decides.
    const verbDoer = q.match(HOW_MANY_DOES)?.[1];
    // So does one "in" a paper called by its short name alone: "How many papers are in S2ORC?", "How
    // many cases are in Multi-LexSum?" (counted: 1 and 0, the sentences saying "papers are").
    const inPaper =
      doer?.by === 'in' &&
      noun !== 'times' &&
      !/\b(?:mention\w*|cite[sd]?|refer(?:s|red)?\s+to|appear\w*|talk\w*)\b/i.test(q);
    const statedFigure =
      inPaper ||
      (verbDoer !== undefined &&
        noun !== 'times' &&
        !DOCUMENT_DOER.test(verbDoer) &&
        !namedDocuments(verbDoer, ctx.documents, ctx.titles).length &&
        !namedCollection(verbDoer, ctx.collections ?? []));
    if ((counted || occurs) && !statedFigure) return { kind: 'count', scope: listScope(section), target: listTarget() };
    return {
      kind: 'lookup',
      // Searched in the paper it is "in".
      scope: inPaper && doer ? base('document', [doer.document]) : defaultScope(section),
      alternative: { kind: 'count', prompt: 'Count every mention in the documents instead?' },
    };
  }
  if (COUNT.test(q)) return { kind: 'count', scope: listScope(section), target: listTarget() };

  if (LIST_STRONG.test(q)) return { kind: 'list', scope: listScope(section), target: listTarget() };
  const which = q.match(WHICH_PLURAL);
  if (which && RECORD.test(which[1]!.toLowerCase()) && OCCUR.test(q))
    return { kind: 'list', scope: listScope(section), target: listTarget() };
  const listThe = q.match(LIST_THE);
  if (listThe) {
    if (RECORD.test(listThe[1]!.toLowerCase()) && !/^steps?$/i.test(listThe[1]!))
      return { kind: 'list', scope: listScope(section), target: listTarget() };
    return {
      kind: 'lookup',
      scope: defaultScope(section),
      alternative: { kind: 'list', prompt: 'List every match in the documents instead?' },
    };
  }

  const scope = defaultScope(SECTION_NUMBERED.test(q) ? section : undefined);
  const about = q.match(ABOUT);
  if (about)
    return { kind: 'lookup', scope, alternative: { kind: 'summary', prompt: 'Summarise the whole document instead?' } };
  return { kind: 'lookup', scope };
}

/** Lower-cased word tokens of a name or a question, punctuation and extensions aside. */
function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A file's name without its folder and extension: "reports/audit-2023.pdf" → "audit-2023". */
export function stem(name: string): string {
  return name
    .split('/')
    .pop()!
    .replace(/\.[a-z0-9]{1,5}$/i, '');
}

/** A title's short name: the part before a colon, of one to three words ("S2ORC", "Paper Plain"). */
export function shortTitle(title: string): string | undefined {
  const short = /^([^:]{3,40}):\s*\S/.exec(title)?.[1]?.trim();
  return short && tokens(short).length <= 3 ? short : undefined;
}

/**
 * How a question names a document by its title: a paper is called by its short name, the part of its
 * title before a colon ("S2ORC: The Semantic Scholar…"), as "the S2ORC paper". The name alone is
 * what the paper is about ("How many papers does S2ORC contain?"), not where to look.
 */
function titleReference(title: string): RegExp | undefined {
  const short = shortTitle(title);
  if (!short) return undefined;
  return new RegExp(`(?:\\bthe\\s+)?(?<![\\p{L}\\p{N}])${escapeRegExp(short)}\\s+${NAME_NOUN}\\b`, 'iu');
}

/**
 * The documents named, with those whose title's short name the question holds as a word of its own,
 * in the order the question names them ("Compare LongEval and PaperMage").
 */
function namedWithShortTitles(
  question: string,
  named: string[],
  documents: string[],
  titles: Record<string, string>,
): string[] {
  const lower = question.toLowerCase();
  const found = namedAt(question, documents, titles).filter((f) => named.includes(f.name));
  for (const d of documents) {
    const short = titles[d] && shortTitle(titles[d]);
    const at = short
      ? lower.search(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(short.toLowerCase())}(?![\\p{L}\\p{N}])`, 'u'))
      : -1;
    if (at >= 0) found.push({ name: d, at });
  }
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.name)
    .filter((n, i, all) => all.indexOf(n) === i);
}

/**
 * A paper a list or count question names by its short name alone as the one that does something:
 * "What datasets does LongEval use?", "List every metric in PaperMage". The question without that
 * name is what the items must say. The name as what is done or said is no place to look: "Which
 * papers mention LongEval?", "How many times does LongEval appear?", "List every paper derived from
 * S2ORC".
 */
function titleDoer(
  q: string,
  documents: string[],
  titles: Record<string, string>,
): { document: string; question: string; by: 'verb' | 'in' } | undefined {
  const m =
    /\b(?:does|do|did)\s+(?:the\s+)?(?<name>[^?]+?)\s+(?<verb>[\p{L}-]+)\s*\??\s*$/iu.exec(q) ??
    /\sin\s+(?:the\s+)?(?<name>[^?]+?)\s*\??\s*$/iu.exec(q);
  const name = m?.groups?.name;
  if (!m || !name || (m.groups?.verb && OCCURRING.test(m.groups.verb))) return undefined;
  const document = documents.find((d) => {
    const short = titles[d] && shortTitle(titles[d]);
    return short && tokens(short).join(' ') === tokens(name).join(' ');
  });
  if (!document) return undefined;
  // "… does LongEval use?" keeps its verb; "… in PaperMage" goes with its preposition.
  const rest = m.groups?.verb ? q.slice(m.index).replace(name, ' ') : '';
  return { document, question: q.slice(0, m.index) + rest, by: m.groups?.verb ? 'verb' : 'in' };
}
// Verbs of being found in the text, whose doer is what is found.
const OCCURRING = /^(?:appears?|appeared|occurs?|occurred|shows?|showed|comes?|came|features?|featured|gets?|got)$/i;

/**
 * Documents the question names: by file name, by file name without its extension, by all the words
 * of that name ("the 2022 annual report" → annual_report_2022.pdf), or by a word of it no other
 * document's name has ("the Acme proposal" → proposal-acme.docx). In the order they are named.
 */
export function namedDocuments(question: string, documents: string[], titles: Record<string, string> = {}): string[] {
  // Each document once, where it is first named.
  return namedAt(question, documents, titles)
    .map((f) => f.name)
    .filter((n, i, all) => all.indexOf(n) === i);
}

/**
 * After "of", a word of a document's name followed straight by another word of content is that
 * word's modifier: "the history of word processors" names no word_sample.docx. Before anything else —
 * the end, a stop, "'s", a number, a bracket, a word for a document, a word that joins or relates
 * ("the price of acme in 2024", "of acme per unit", "of acme (v2)") — it is the name.
 */
function namedAfterOf(lower: string, word: string): boolean {
  const after = new RegExp(`\\bof\\s+${escapeRegExp(word)}(?![\\p{L}])([^\\p{L}]*)(\\p{L}[\\p{L}'’-]*)?`, 'gu');
  return [...lower.matchAll(after)].some(([, between, next]) => !next || /\S/.test(between!) || !modifies(next));
}
const NAME_FOLLOWERS =
  /^(?:and|or|vs|versus|with|about|on|regarding|concerning|for|in|of|to|from|at|by|than|per|under|over|within|without|after|before|during|since|until|into|is|are|was|were|do|does|did|has|have|had|say|says|said|mention|mentions|mentioned|state|states|list|lists|describe|describes|show|shows|contain|contains|include|includes|differ|differs|compare|compared)$/;
const modifies = (next: string) =>
  analyze(next).length > 0 && !DOCUMENT_NOUN.has(next.replace(/s$/, '')) && !NAME_FOLLOWERS.test(next);

/** The documents named, each with where in the question it is named, in that order. */
function namedAt(
  question: string,
  documents: string[],
  titles: Record<string, string>,
): { name: string; at: number }[] {
  const lower = question.toLowerCase();
  const words = tokens(question);
  const has = (t: string) => words.includes(t) || words.includes(`${t}s`);
  const counts = new Map<string, number>();
  for (const d of documents) for (const t of new Set(tokens(stem(d)))) counts.set(t, (counts.get(t) ?? 0) + 1);
  const found: { name: string; at: number }[] = [];
  for (const d of documents) {
    // A file indexed from a folder is named by its path ("pdf/multi_page.pdf"); people say its base name.
    const base = d.split('/').pop()!.toLowerCase();
    const full = lower.indexOf(d.toLowerCase()) >= 0 ? lower.indexOf(d.toLowerCase()) : lower.indexOf(base);
    if (full >= 0) {
      found.push({ name: d, at: full });
      continue;
    }
    const s = stem(d).toLowerCase();
    const bare =
      s.length >= 3 ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`, 'u').exec(lower) : null;
    if (bare) {
      found.push({ name: d, at: bare.index });
      continue;
    }
    const ts = tokens(s).filter((t) => !GENERIC.has(t));
    if (ts.length >= 2 && ts.every(has)) {
      found.push({
        name: d,
        at: Math.min(...ts.map((t) => (words.indexOf(t) >= 0 ? lower.indexOf(t) : lower.indexOf(`${t}s`)))),
      });
      continue;
    }
    // A word of one name only ("acme") names it where a name stands: "the Acme proposal", "in acme",
    // "Acme's"; "list every word processor" does not name word_sample.docx.
    // A short word counts written in capitals before a word for a document ("the AMT handbook", "the
    // IBM article"); "the revenue of IBM" is about IBM, wherever it is written.
    const own = ts.find(
      (t) =>
        counts.get(t) === 1 &&
        (/^\p{L}{4,}$/u.test(t) ||
          (/^\p{L}{2,3}$/u.test(t) &&
            [...question.matchAll(new RegExp(`(?<![\\p{L}])${escapeRegExp(t.toUpperCase())}\\s+(\\p{L}+)`, 'gu'))].some(
              (m) => DOCUMENT_NOUN.has(m[1]!.toLowerCase()),
            ))) &&
        (new RegExp(`\\b(?:the|in|from|and|to|with|vs\\.?|versus)\\s+${escapeRegExp(t)}(?![\\p{L}])`, 'u').test(
          lower,
        ) ||
          namedAfterOf(lower, t)),
    );
    if (own) {
      found.push({ name: d, at: lower.search(new RegExp(`(?<![\\p{L}])${escapeRegExp(own)}(?![\\p{L}])`, 'u')) });
      continue;
    }
    const called = titles[d] ? titleReference(titles[d]) : undefined;
    const at = called ? question.search(called) : -1;
    if (at >= 0) found.push({ name: d, at });
  }
  return found.sort((a, b) => a.at - b.at);
}

function namedCollection(question: string, collections: string[]): string | null {
  const lower = question.toLowerCase();
  // The longest name first: "Incidents 2023" before "Incidents".
  for (const c of [...collections].sort((a, b) => b.length - a.length))
    if (new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(c.toLowerCase())}(?![\\p{L}\\p{N}])`, 'u').test(lower)) {
      // "the contracts" is a word, "the Contracts collection" a name: a lower-case plain word needs "collection" after it.
      if (c.toLowerCase() === c && !new RegExp(`${escapeRegExp(c)}\\s+collection`, 'i').test(question)) continue;
      if (!question.includes(c) && !new RegExp(`${escapeRegExp(c)}\\s+collection`, 'i').test(question)) continue;
      return c;
    }
  return null;
}

/** "it", "this", "that document": the question points at the last answer's document. */
function refersBack(q: string): boolean {
  const summary = q.match(
    /\b(?:summar\w*|overview of|gist of|describe|compare)\s+(it|this|that|them|this one|that one|the (?:document|file|paper|report)|this (?:document|file|paper|report))\s*[?.!]*\s*$/i,
  );
  if (summary) return true;
  const about = q.match(ABOUT);
  if (about && PRONOUN_TARGET.test(about[1]!.trim())) return true;
  return /\b(?:does|did)\s+it\s+say\b|\b(?:in|of|from)\s+(?:it|this document|that document|this file|that file)\b/i.test(
    q,
  );
}

/** "What is X about?" where X is a named document, a section, or "it". */
function aboutDocument(
  q: string,
  named: string[],
  pronounDoc: string | undefined,
  section: string | undefined,
  titles: Record<string, string> = {},
): boolean {
  // "What does word_sample.docx contain?" and "What is in multi_page.pdf?" ask what it is about too
  // (searched as "What does contain?" inside it, both were declined), when the subject is only the
  // document: "What is in Figure 3 of papermage.pdf?" asks about the figure.
  const inside =
    q.match(/^\s*what(?:'s|\s+is)\s+in(?:side)?\s+(.+?)\s*\??$/i) ??
    q.match(/^\s*what\s+(?:does|do)\s+(.+?)\s+(?:contain|cover|include|hold)\s*\??$/i);
  if (inside) {
    const subject = inside[1]!.trim();
    if (PRONOUN_TARGET.test(subject) || (pronounDoc && /^(?:it|this|that)$/i.test(subject))) return true;
    const nameWords = new Set(
      named.flatMap((n) => [...tokens(n), ...tokens(stem(n)), ...tokens((titles[n] && shortTitle(titles[n])) || '')]),
    );
    return named.length > 0 && tokens(subject).every((t) => nameWords.has(t) || GENERIC.has(t) || t === 'the');
  }
  const m = q.match(ABOUT) ?? q.match(/^\s*what(?:'s|\s+is)\s+the\s+main\s+point\s+of\s+(.+?)\s*\??$/i);
  if (!m) return false;
  const subject = m[1]!.trim();
  if (PRONOUN_TARGET.test(subject)) return true;
  if (pronounDoc && /^(?:it|this|that)\b/i.test(subject)) return true;
  if (section) return true;
  // The subject must be the name, not a thing the document mentions ("What is the Treaty about?").
  return named.length > 0 && tokens(subject).filter((t) => !GENERIC.has(t) && t !== 'the').length <= 4;
}

function sectionOf(q: string): string | undefined {
  const numbered = q.match(SECTION_NUMBERED);
  if (numbered) return `${numbered[1]!.toLowerCase()} ${numbered[2]!.toLowerCase()}`;
  const named = q.match(SECTION_NAMED);
  if (named && /\bsection\b|\bchapter\b|\bof\b|\bsummar|\bmain point/i.test(q)) return named[1]!.toLowerCase();
  const word = q.match(SECTION_WORD);
  if (word) return word[1]!.toLowerCase();
  return undefined;
}

/** "Summarise the findings about forklifts" → "forklifts". */
function summaryTopic(q: string): string | undefined {
  const m = q.match(/\b(?:about|on|regarding|concerning)\s+(.+?)\s*[?.!]*$/i);
  if (!m || /^(?:it|this|that|them)$/i.test(m[1]!)) return undefined;
  return m[1];
}

/** The aspect of a comparison: "on price", "in terms of delivery time", "about support". */
function aspectOf(
  q: string,
  documents: string[],
  titles: Record<string, string> = {},
): { target?: string; at?: number } {
  const end = /\b(?:on|in terms of|regarding|about|for|over)\s+([^,?]+?)(?:,\s*side by side)?\s*[?.!]*$/i.exec(q);
  // "Compare the limitations of LongEval and CiteSee" ("main", "key" aside); not "Compare the two
  // proposals of …" or "the documents in …", which say what is compared, not on what.
  const start = end
    ? null
    : /^\s*(?:compare|contrast)\s+the\s+(?:main\s+|key\s+)?([\p{L}][\p{L} -]{2,40}?)\s+(?:of|between)\s+/iu.exec(q);
  const m = end ?? start;
  if (!m) return {};
  const aspect = m[1]!.trim();
  const at = m.index + m[0].indexOf(m[1]!);
  if (documents.some((d) => aspect.toLowerCase().includes(stem(d).toLowerCase())) || /^(?:it|them)$/i.test(aspect))
    return {};
  if (
    start &&
    (/^(?:two|three|four|both|all|these|those|my|our|other|first|second)\b/i.test(aspect) ||
      /\b(?:ones|documents?|files?|papers?|reports?|proposals?|articles?|contracts?|versions?|drafts?)$/i.test(
        aspect,
      ) ||
      namedDocuments(aspect, documents, titles).length)
  )
    return {};
  return { target: aspect, at };
}

/**
 * What a list or count looks for: the question without its cue words and its scope, e.g. "List every
 * incident that involved a forklift in audit.pdf" → "incident that involved a forklift".
 */
export function target(q: string, documents: string[], titles: Record<string, string> = {}): string {
  let t = namesOut(q.trim().replace(/[?.!]+$/, ''), documents, titles);
  t = t.replace(/\b(?:does|do|did)\b/gi, ' ');
  t = t
    .replace(
      /^\s*(?:please\s+)?(?:list|enumerate|itemi[sz]e|find|show(?: me)?|give me(?: a list of)?|name|get|collect|gather|count|what are|which(?: of)?|what is the number of|how many(?: times)?(?: of)?)\s+/i,
      '',
    )
    .replace(/^(?:all|every|each|the|my|these|those|of)\s+/i, '')
    .replace(/^(?:all|every|each|the|my|these|those|of)\s+/i, '')
    // Where to look, said of the whole library ("in the papers"), is not what an item must say.
    .replace(
      /\s+(?:in|across|from)\s+(?:the|my|all|these|those|all (?:of )?(?:the|my))?\s*(?:documents|files|library|sources|incidents|papers|reports|articles|pdfs|texts)\s*$/i,
      '',
    )
    .replace(/\s+in the\s+[\p{L}\s0-9-]+\s+collection\s*$/iu, '')
    .replace(/,?\s*please\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return t || q;
}

/** How the question may name each document: its name, its base name, its title's short name (regex sources). */
function nameSources(documents: string[], titles: Record<string, string>): string[] {
  return [
    ...documents.flatMap((d) => [...new Set([d, d.split('/').pop()!])].map(escapeRegExp)),
    ...Object.values(titles).flatMap((t) => titleReference(t)?.source ?? []),
  ];
}

/** The question with the documents' names (and "in", "of", "from" before them) taken out. */
function namesOut(q: string, documents: string[], titles: Record<string, string>): string {
  let t = q;
  for (const name of nameSources(documents, titles))
    t = t.replace(new RegExp(`(?:\\b(?:in|of|from)\\s+)?${name}`, 'giu'), ' ');
  return t;
}

/**
 * What a lookup that names its documents searches for in them, where the name only says where to
 * look: searched in wiki_duck.html, the words of "wiki_duck.html" match every passage and had the
 * question counted as covered ("What does wiki_duck.html say about Big Blue?" was answered with a
 * sentence about ducks). "What does X say about Y?" is searched as "Y?" ("What about" would be
 * searched as a word too), "… in X" without "in X", "the limitations of X" as "the limitations". A name that is what the question is about stays ("What is wiki-ibm.md?", "Who wrote the
 * S2ORC paper?"), and so does a question left with no word of its own.
 */
export function lookupQuery(q: string, documents: string[], titles: Record<string, string> = {}): string {
  const names = nameSources(documents, titles);
  if (!names.length) return q;
  const name = `(?:the\\s+)?(?:${names.join('|')})`;
  const about = new RegExp(
    `^\\s*(?:what|how)\\s+(?:does|do|did)\\s+${name}\\s+(?:say|says|tell(?:\\s+(?:me|us))?|mention|write|state|report)\\s+(?:about|on|regarding)\\s+(.+)$`,
    'iu',
  ).exec(q);
  const rest = about
    ? about[1]!
    : q
        // "In the CiteSee study" is where the participants were, not only where to look.
        .replace(new RegExp(`,?\\s*\\b(in|from|of|according to)\\s+${name}`, 'giu'), (m, by: string) =>
          /\bstudy$/i.test(m) ? ` ${by} the study` : ' ',
        )
        .replace(/\s+/g, ' ')
        .replace(/\s+([?.!,])/g, '$1')
        .replace(/^[\s,;:]+/, '')
        .trim();
  return analyze(rest).length ? rest : q;
}
