/**
 * A source guide (issue 21): what a person sees on opening a document — a few-sentence summary
 * (quoted, with places), its main topics (its headings, else its most repeated phrases) and 3–5
 * questions whose answers are really in it. A question is only suggested when searching the
 * document for it finds the passage that holds its answer, so a suggestion is never a dead end.
 */
import { aimOf } from '../answer/aim';
import { splitSentences } from '../answer/sentences';
import type { SourceLocation } from '../types';
import { acronyms, APPARATUS, asLabel, FRONT_MATTER, withoutNumber } from './headings';
import type { WholeDocument, WholeSource } from './source';
import { shortTitle } from './kinds';
import { documentSentences, prose, summarisePassages } from './summarise';

export interface SourceGuide {
  docId: string;
  docName: string;
  /** What the guide was computed from: a guide whose document changed since is recomputed. */
  basis: { chunkCount: number; addedAt?: number; hash?: string };
  summary: { text: string; location: SourceLocation }[];
  topics: string[];
  questions: string[];
}

// Sections any document opens and closes with: none of them says what this one is about.
const EVERY_DOCUMENT =
  /^(?:introduction|conclusions?|concluding remarks|related work|background(?: and related work)?|summary|overview)\s*$/i;
const STOP = new Set(
  'a an the and or but of in on at to for from by with as is are was were be been being it its this that these those their his her our your my we you they he she i not no can could would should will may might must has have had do does did than then there here which who whom whose what when where why how also such into over under about after before during between through more most other some any each all both only very'.split(
    ' ',
  ),
);

export async function computeSourceGuide(
  source: WholeSource,
  doc: WholeDocument & { addedAt?: number; hash?: string },
): Promise<SourceGuide> {
  const chunks = await source.getChunks(doc.id);
  const summary = await summarisePassages(chunks, { words: 60, ...(doc.title ? { title: doc.title } : {}) });
  const found = topics(chunks);
  return {
    docId: doc.id,
    docName: doc.name,
    basis: {
      chunkCount: doc.chunkCount,
      ...(doc.addedAt !== undefined ? { addedAt: doc.addedAt } : {}),
      ...(doc.hash ? { hash: doc.hash } : {}),
    },
    summary: summary.sections.flatMap((s) => s.sentences.map((x) => ({ text: x.text, location: x.location }))),
    topics: found.map((t) => t.label),
    questions: await questions(source, doc, chunks, found),
  };
}

/** A topic as shown ("Related work"), and the heading it was read from ("2 RELATED WORK"), if any. */
interface Topic {
  label: string;
  heading?: string;
}

/**
 * Headings below the title, in order, once each, the sections every document has aside; without
 * enough of them, repeated two-word phrases.
 */
function topics(chunks: { text: string; location: SourceLocation }[]): Topic[] {
  const title = chunks.find((c) => c.location.headings.length > 1)?.location.headings[0];
  const capitals = acronyms(chunks.map((c) => c.text));
  const seen = new Set<string>();
  const heads: Topic[] = [];
  // The passages' paths, as the reader found the headings (a line that only looks like one, "Yes" in
  // a table, is none).
  for (const c of chunks)
    for (const h of c.location.headings) {
      const clean = withoutNumber(h);
      const key = clean.toLowerCase();
      if (!clean || h === title || seen.has(key) || clean.length > 70) continue;
      if (APPARATUS.test(clean) || FRONT_MATTER.test(clean) || EVERY_DOCUMENT.test(clean)) continue;
      seen.add(key);
      heads.push({ label: asLabel(clean, capitals), heading: h });
    }
  if (heads.length >= 3) return heads.slice(0, 6);
  // Each phrase counted whatever its case, and shown as the document writes it most ("New York").
  const counts = new Map<string, { n: number; forms: Map<string, number> }>();
  const add = (words: string[]) => {
    const key = words.join(' ').toLowerCase();
    const e = counts.get(key) ?? { n: 0, forms: new Map<string, number>() };
    e.n++;
    e.forms.set(words.join(' '), (e.forms.get(words.join(' ')) ?? 0) + 1);
    counts.set(key, e);
  };
  const content = (w: string) => w.length >= 3 && !STOP.has(w.toLowerCase());
  // A reference list repeats "arXiv preprint", "In Proceedings": not what the document is about.
  // A phrase never spans punctuation: "Company (CTR)" is no phrase.
  for (const c of chunks.filter((c) => !c.location.headings.some((h) => APPARATUS.test(withoutNumber(h)))))
    for (const run of c.text.split(/[^\p{L}\p{N}'’\s-]+/u)) {
      const words = run.match(/[\p{L}][\p{L}'-]+/gu) ?? [];
      for (let i = 0; i + 1 < words.length; i++) {
        if (!content(words[i]!) || !content(words[i + 1]!)) continue;
        add(words.slice(i, i + 2));
        if (i + 2 < words.length && content(words[i + 2]!)) add(words.slice(i, i + 3));
      }
    }
  // A three-word name whose two halves occur only inside it is one topic ("International Business
  // Machines"), not two; decided on the counts as read, and a name sharing a half with one already
  // kept ("Business Machines Corporation") is not a second topic.
  const merged = new Set<string>();
  const absorbed = new Set<string>();
  for (const [key, e] of counts) {
    const w = key.split(' ');
    if (w.length !== 3) continue;
    const halves = [`${w[0]} ${w[1]}`, `${w[1]} ${w[2]}`];
    if (e.n >= 2 && halves.every((h) => (counts.get(h)?.n ?? 0) <= e.n && !absorbed.has(h))) {
      merged.add(key);
      for (const h of halves) absorbed.add(h);
    }
  }
  for (const key of [...counts.keys()])
    if (absorbed.has(key) || (key.split(' ').length === 3 && !merged.has(key))) counts.delete(key);
  const phrases = [...counts]
    .filter(([, e]) => e.n >= 2)
    .sort((x, y) => y[1].n - x[1].n)
    .filter(([p]) => !heads.some((h) => h.label.toLowerCase().includes(p)))
    .map(([, e]) => [...e.forms].sort((x, y) => y[1] - x[1])[0]![0]);
  return [...heads, ...phrases.map((label) => ({ label }))].slice(0, 6);
}

interface Suggestion {
  question: string;
  /** The sentence that answers it. */
  answer: string;
  /** Or the heading whose section does. */
  heading?: string;
}

/**
 * Questions made from the document's own sentences ("X is a …" → "What is X?"; "X was founded in
 * 1911" → "When was X founded?"), kept when the document's search finds the passage they came from.
 */
async function questions(
  source: WholeSource,
  doc: WholeDocument,
  chunks: { index: number; text: string; location: SourceLocation }[],
  topicList: Topic[],
): Promise<string[]> {
  // A paper that says what it does is asked that first, by the name people call it; the answer is
  // that statement (answer/aim.ts), or the list of contributions its introduction gives.
  const name = (doc.title && shortTitle(doc.title)) || doc.name;
  const stated = aimOf(chunks, false);
  const listed = stated && aimOf(chunks, true);
  const first = !stated
    ? []
    : [
        listed && listed.text !== stated.text
          ? `What are the contributions of ${name}?`
          : `What is the main contribution of ${name}?`,
      ];
  const made: Suggestion[] = [];
  const seen = new Set<string>();
  const ordered = [...chunks].sort((a, b) => a.location.start - b.location.start);
  for (const s of documentSentences(ordered)) {
    if (!prose(s.text)) continue;
    const q = questionFrom(s.text);
    if (!q || seen.has(q.toLowerCase())) continue;
    seen.add(q.toLowerCase());
    made.push({ question: q, answer: s.text });
    if (made.length >= 8) break;
  }
  const kept: string[] = [...first];
  // Too few sentences make a question of their own: a heading does, its section being the answer.
  for (const t of topicList)
    if (t.heading)
      made.push({
        question: `What does ${doc.name} say about ${inSentence(t.label)}?`,
        answer: '',
        heading: t.heading,
      });
  for (const m of made) {
    if (m.heading && kept.length >= 3) break;
    const hits = await source.search(m.question, { documents: [doc.id], k: 3 });
    const found = m.heading
      ? hits.some((h) => h.location.headings.includes(m.heading!))
      : hits.some((h) => h.text.includes(m.answer));
    if (found) kept.push(m.question);
    if (kept.length >= 5) break;
  }
  return kept;
}

const DEFINITION =
  /^((?:The |An? )?[\p{Lu}][\p{L}\p{N}'’&.-]*(?: [\p{Lu}\p{N}][\p{L}\p{N}'’&.-]*){0,4}) (is|was|are|were) (?:an?|the|one of) /u;
const DATED =
  /^((?:The |An? )?[\p{Lu}][\p{L}\p{N}'’&.-]*(?: [\p{L}\p{N}][\p{L}\p{N}'’&.-]*){0,5}) (was|were) ([a-z]+ed) (?:[a-z]+ )?(?:in|on) ((?:[A-Z][a-z]+ )?\d{4})\b/u;
const INTRODUCED =
  /^(?:In|By) (\d{4}), ([\p{Lu}][\p{L}\p{N}'’&.-]*(?: [\p{Lu}][\p{L}\p{N}'’&.-]*){0,3}) (introduced|launched|released|founded|developed|published|acquired|built|opened) ([^,.;]{3,60})/u;

const BASE_FORM: Record<string, string> = {
  introduced: 'introduce',
  launched: 'launch',
  released: 'release',
  founded: 'found',
  developed: 'develop',
  published: 'publish',
  acquired: 'acquire',
  built: 'build',
  opened: 'open',
  patented: 'patent',
  invented: 'invent',
};

const DID =
  /^([\p{Lu}][\p{L}\p{N}'’&.-]*(?: [\p{Lu}][\p{L}\p{N}'’&.-]*){0,3}) (introduced|launched|released|founded|developed|published|acquired|built|opened|patented|invented) ([^,;]{3,60}?) in (\d{4})\b/u;

export function questionFrom(sentence: string): string | null {
  // "Microsoft Word (1983): Microsoft launched …": the label before a colon is not the sentence's subject.
  const text = (splitSentences(sentence)[0]?.text ?? sentence).replace(/^[•\s]*[^:.]{2,50}:\s+(?=\p{Lu})/u, '');
  const did = text.match(DID);
  if (did) return `What did ${did[1]} ${BASE_FORM[did[2]!]} in ${did[4]}?`;
  const dated = text.match(DATED);
  if (dated) return `When ${dated[2]} ${lowerArticle(dated[1]!)} ${dated[3]}?`;
  const intro = text.match(INTRODUCED);
  if (intro) return `What did ${intro[2]} ${BASE_FORM[intro[3]!]} in ${intro[1]}?`;
  const def = text.match(DEFINITION);
  if (!def) return null;
  // "While SCIBERT is a…", "As PDFs are the…", "Each Layer is a…": a sentence's capitalised first word
  // that is no name is not the subject.
  const subject = def[1]!;
  const opener = subject.split(' ')[0]!.toLowerCase();
  if (/^(?:it|this|that|these|there|they|he|she)$/.test(subject.toLowerCase()) || OPENERS.has(opener)) return null;
  return `What ${def[2]} ${lowerArticle(subject)}?`;
}

/** A label in sentence case as words of a question: "Constructing the corpus" → "constructing the corpus"; a name or Title Case as it is. */
function inSentence(label: string): string {
  const [first, ...rest] = label.split(' ');
  const sentenceCase = rest.length > 0 && rest.every((w) => !/^\p{Lu}\p{Ll}/u.test(w));
  return sentenceCase && /^\p{Lu}\p{Ll}+$/u.test(first!) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

const OPENERS = new Set([
  ...[...STOP].filter((w) => !['the', 'a', 'an'].includes(w)),
  ...'while although though because since if unless whereas once so yet thus hence however therefore instead like unlike given despite'.split(
    ' ',
  ),
]);

function lowerArticle(s: string): string {
  return s.replace(/^(The|An?) /, (m) => m.toLowerCase());
}
