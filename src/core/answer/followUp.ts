/**
 * Follow-up questions: when a question cannot stand alone ("When was it passed?"), retrieval
 * should search for what it means in the conversation; when it can ("What is the term for a
 * model that represents a computer?"), it must be searched exactly as typed. Deciding which is
 * which from words alone goes wrong both ways, so words only say whether a question *might* lean
 * on the conversation; retrieval evidence decides (`standaloneQuery`).
 */
import type { ChatMessage } from '../generate/generator';
import { rewriteMessages } from '../generate/prompt';
import { analyze } from '../search/analyzer';

const PERSONAL = new Set(['it', 'its', 'they', 'them', 'their', 'theirs', 'he', 'him', 'his', 'she', 'her', 'hers']);
const DEMONSTRATIVE = new Set(['this', 'that', 'these', 'those']);
// Words that can stand before a pronoun without being what it refers to.
const FUNCTION = new Set(
  'what which who whom whose when where why how is are was were be been being do does did done can could should would will shall may might must has have had the a an and or but so of in on at to for from by with about as than then into onto over under after before during since until per via not no yes also too very much many more most less least one ones there here some any each every all both either neither'.split(
    ' ',
  ),
);
// "It" that refers to nothing: "What is it called when…", "How long does it take…", "Is it safe to…".
const EXPLETIVE_IT =
  /\b(?:is|was|does|did|would|will|can|could)\s+it\s+(?:called\s+(?:when|if|where)|take|took|cost|mean|safe|worth|possible|true|better|best|necessary|normal|ok|okay|legal|hard|easy|bad|good|likely)\b|\bit\s+(?:is|was)\s+(?:said|believed|thought|possible|true)\b|\bhow\s+(?:long|much|far)\s+(?:does|did|will|would)\s+it\s+take\b/i;
const EXISTENTIAL_THERE =
  /\b(?:is|are|was|were|be|been|isn't|aren't|wasn't|weren't)\s+there\b|\bthere\s+(?:is|are|was|were|be|been|isn't|aren't|'s|exist|exists|existed|remain|remains)\b/i;
const CONTINUATION = /^\s*(?:and|but|so|or|also|then|what about|how about|as for|same for|why not|what else)\b/i;
const ANAPHOR =
  /\b(?:which one|the(?: [\p{L}\p{N}-]+){1,2} one|of (?:one|them|those|these)|the latter|the former|the same(?! [\p{L}\s]*\b(?:that|as)\b)|such(?:\s+\w+)?|the (?:other|others)|else)\b/iu;
// A relative or complement "that" is followed by a verb or a clause; a demonstrative one by a noun or nothing.
const THAT_CLAUSE =
  /\bthat\s+(?:is|are|was|were|be|been|has|have|had|do|does|did|can|could|should|would|will|may|might|must|not|the|a|an|he|she|it|they|we|you|i|there|this|these|those|his|her|their|its|our|my|your|some|any|no|each|every|[a-z]+(?:s|ed|es))\b/i;
const WH = new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how']);
const AUX = new Set(
  'is are was were be been do does did has have had can could should would will shall may might must'.split(' '),
);
const PREPOSITION = new Set(
  'in on at to for from by with about of under over after before during since into through against among between'.split(
    ' ',
  ),
);
// Pronouns at the very end point outside the question ("Who commissioned it?", "…settled there?").
const FINAL = new Set(['it', 'them', 'him', 'her', 'that', 'this', 'these', 'those', 'there', 'one']);

export interface ReferenceCue {
  /** Whether the question may lean on what was said before. */
  cue: boolean;
  /** The words that make it so, for the record. */
  words: string[];
}

/**
 * Whether a question has words that point outside itself: a pronoun with nothing before it that it
 * could stand for ("When was it passed?"), a demonstrative ("this edict", "when did that happen"),
 * "there" as a place, "which one", a continuation ("And the female?"), or almost no words at all.
 * A pronoun whose referent is in the question ("Why did OPEC raise its prices?"), "that" opening
 * a clause ("the model that represents…"), "is there" and "is it safe to" do not count.
 */
export function referenceCue(question: string): ReferenceCue {
  const words: string[] = [];
  const q = question.trim();
  const raw = q.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
  const tokens = raw.map((t) => t.toLowerCase());
  // The question phrase ("On what railroad", "Which French king") names what is asked for, not
  // what a pronoun stands for: it runs from the question word to the first auxiliary verb.
  let lead = 0;
  while (lead < tokens.length && PREPOSITION.has(tokens[lead]!)) lead++;
  let whEnd = 0;
  if (WH.has(tokens[lead] ?? '')) {
    whEnd = lead + 1;
    while (
      whEnd < tokens.length &&
      !AUX.has(tokens[whEnd]!) &&
      !PERSONAL.has(tokens[whEnd]!) &&
      !DEMONSTRATIVE.has(tokens[whEnd]!)
    )
      whEnd++;
  }
  if (CONTINUATION.test(q)) words.push(q.match(CONTINUATION)![0].trim().toLowerCase());
  const anaphor = q.match(ANAPHOR);
  if (anaphor) words.push(anaphor[0].toLowerCase());
  const expletive = EXPLETIVE_IT.test(q);
  tokens.forEach((token, i) => {
    const w = token.replace(/['’].*$/, '');
    if (PERSONAL.has(w)) {
      if ((w === 'it' || w === 'its') && expletive) return;
      // Something before it that it could stand for: a content word of the question itself,
      // outside the question phrase. A pronoun that ends the question refers outside it.
      const before = tokens
        .slice(whEnd, i)
        .filter((t) => !FUNCTION.has(t) && !PERSONAL.has(t) && !DEMONSTRATIVE.has(t));
      if (!before.length || (i === tokens.length - 1 && FINAL.has(w))) words.push(w);
    } else if (DEMONSTRATIVE.has(w)) {
      // After a noun or a verb, "that" opens a clause ("the model that represents…", "claimed that…").
      const prev = tokens[i - 1]?.replace(/['’].*$/, '');
      if (w === 'that' && prev && !FUNCTION.has(prev) && !PREPOSITION.has(prev)) return;
      if (w === 'that' && THAT_CLAUSE.test(tokens.slice(i).join(' '))) return;
      words.push(w);
    } else if (w === 'there') {
      if (!EXISTENTIAL_THERE.test(q)) words.push(w);
    }
  });
  if (tokens.length <= 3 && tokens.length > 0) words.push('(short)');
  return { cue: words.length > 0, words: [...new Set(words)] };
}

/** What the follow-up decision needs from the library. */
export interface FollowUpRetriever {
  search(
    query: string,
    opts?: { k?: number; mode?: 'dense' | 'keyword' | 'hybrid' },
  ): Promise<{ text: string; dense?: number }[]>;
}

/** What the follow-up decision needs from an answer model. */
export interface FollowUpGenerator {
  generate(messages: ChatMessage[], opts?: { maxNewTokens?: number; signal?: AbortSignal }): Promise<{ text: string }>;
}

/** A question asked before, with what was searched for it and the answer (when written). */
export interface PreviousTurn {
  question: string;
  /** The query searched for it, when it was rewritten. */
  query?: string;
  answer?: string;
}

export interface StandaloneQuery {
  query: string;
  rewritten: boolean;
  /** The query is the previous query and the question joined (no model rewrote it). */
  joined: boolean;
  /** Why, in a few words (for the record, the eval and the tests). */
  why: string;
}

/**
 * How much closer (raw cosine of the best passage) the question joined to the previous one must
 * get than the question alone before the joined one is searched. Tuned on the "tune" half of
 * test/fixtures/answer/followups.jsonl (README, "Answer quality"): once reference words and words
 * the library lacks have had their say, a clear gain is all that is left to ask; 0.05 missed
 * follow-ups that gained 0.02–0.03 and kept no fresh question more.
 */
export const FOLLOW_UP_GAIN = 0.02;

/**
 * The query to search for `question`, given the conversation before it.
 * - No reference words (`referenceCue`): searched as typed.
 * - A word the library does not have at all (no keyword hit contains it): a new subject, searched
 *   as typed ("How do I reset this router?" after a question about networks).
 * - With a model: it rewrites the question; the rewrite is kept only if it stays on topic (keeps
 *   the question's words, adds only words from the conversation) and retrieves at least as well
 *   as the question alone. Otherwise, as without a model:
 * - the question joined to the previous query is searched only when its best passage is clearly
 *   closer than the question's own best passage.
 */
export async function standaloneQuery(
  question: string,
  history: PreviousTurn[],
  retriever: FollowUpRetriever,
  generator?: FollowUpGenerator | null,
  signal?: AbortSignal,
): Promise<StandaloneQuery> {
  const previous = history.at(-1);
  const asTyped = (why: string): StandaloneQuery => ({ query: question, rewritten: false, joined: false, why });
  if (!previous) return asTyped('first question');
  const cue = referenceCue(question);
  if (!cue.cue) return asTyped('stands alone');
  const terms = [...new Set(analyze(question))];
  const bestCosine = async (q: string) =>
    Math.max(0, ...(await retriever.search(q, { k: 10 })).map((h) => h.dense ?? 0));
  const joined = `${previous.query ?? previous.question} ${question}`;
  const substituted = substitute(question, previous.query ?? previous.question, cue.words);
  // Side by side: the worker answers them in turn, but none waits for a round trip of the others.
  const [keywordHits, alone, together, replaced] = await Promise.all([
    retriever.search(question, { mode: 'keyword', k: 20 }),
    bestCosine(question),
    generator ? Promise.resolve(NaN) : bestCosine(joined),
    substituted && !generator ? bestCosine(substituted.query) : Promise.resolve(NaN),
  ]);
  signal?.throwIfAborted();
  const known = new Set(keywordHits.flatMap((h) => analyze(h.text)));
  const unknown = terms.filter((t) => !known.has(t));
  if (unknown.length) return asTyped(`new subject (${unknown.join(', ')})`);
  if (generator) {
    const conversation = history
      .slice(-3)
      .flatMap((t) => [
        { role: 'user' as const, content: t.question },
        ...(t.answer ? [{ role: 'assistant' as const, content: t.answer }] : []),
      ]);
    const reply = await generator.generate(rewriteMessages(question, conversation), {
      maxNewTokens: 64,
      ...(signal ? { signal } : {}),
    });
    signal?.throwIfAborted();
    const rewrite = cleanRewrite(reply.text);
    if (rewrite && rewrite !== question && onTopic(rewrite, question, history)) {
      if ((await bestCosine(rewrite)) >= alone)
        return { query: rewrite, rewritten: true, joined: false, why: 'rewritten by the model' };
    }
  }
  // The previous question's subject in place of the pronoun reads as the question meant ("How
  // many parameters does BERT have?"); gluing the two questions together pulls in the old one's words.
  if (substituted) {
    const cosine = Number.isNaN(replaced) ? await bestCosine(substituted.query) : replaced;
    if (cosine - alone >= FOLLOW_UP_GAIN)
      return {
        query: substituted.query,
        rewritten: true,
        joined: false,
        why: `"${substituted.pronoun}" read as ${substituted.subject} (${alone.toFixed(2)} → ${cosine.toFixed(2)})`,
      };
  }
  const gain = (Number.isNaN(together) ? await bestCosine(joined) : together) - alone;
  if (gain >= FOLLOW_UP_GAIN)
    return {
      query: joined,
      rewritten: true,
      joined: true,
      why: `joined to the previous question (${alone.toFixed(2)} → ${(alone + gain).toFixed(2)})`,
    };
  return asTyped(`searched alone (${alone.toFixed(2)}; joined ${(alone + gain).toFixed(2)})`);
}

const SUBSTITUTABLE = new Set(['it', 'its', 'they', 'them', 'their']);
/** A name: capitalised words (with "of", "de", "and" between them), or an acronym, optionally after "the". */
const NAME =
  /(?:\b([Tt]he)\s+)?((?:\p{Lu}[\p{L}\p{N}'’-]*|[\p{Lu}\p{N}-]*\p{Lu}[\p{Lu}\p{N}-]*)(?:\s+(?:(?:of|de|and|the)\s+)?\p{Lu}[\p{L}\p{N}'’-]*)*)/gu;

/**
 * The question with its pronoun ("it", "its", "they", "them", "their" that `referenceCue` found
 * pointing outside it) replaced by the previous question's subject: the first name in it that is
 * not the question's first word nor the object of a preposition ("What are the two main tasks
 * BERT is pre-trained on?" → BERT). Null when it has no such name or the question no such pronoun.
 */
export function substitute(
  question: string,
  previous: string,
  cueWords: string[],
): { query: string; pronoun: string; subject: string } | null {
  const pronoun = cueWords.find((w) => SUBSTITUTABLE.has(w));
  if (!pronoun) return null;
  // "Which company is nicknamed Big Blue?" asks for a thing by what names it: "it" is the answer
  // (IBM), and the name in the question is only its description; the questions are joined instead.
  if (/^(?:(?:which|what)\s+\p{Ll}+|who)\s+(?:is|was|are|were)\b/iu.test(previous.trim())) return null;
  let subject: string | null = null;
  for (const m of previous.matchAll(NAME)) {
    const name = m[2]!;
    const before = previous.slice(0, m.index).trim().split(/\s+/).at(-1)?.toLowerCase() ?? '';
    if (m.index === 0 && !m[1]) continue;
    if (WH.has(name.toLowerCase()) || PREPOSITION.has(before)) continue;
    subject = m[1] ? `the ${name}` : name;
    break;
  }
  if (!subject) return null;
  const possessive = /s$/i.test(subject) ? `${subject}’` : `${subject}’s`;
  const query = question.replace(new RegExp(`\\b${pronoun}\\b`, 'i'), (w) =>
    w.toLowerCase() === 'its' || w.toLowerCase() === 'their' ? possessive : subject!,
  );
  return query === question ? null : { query, pronoun, subject };
}

/** The first line of a model's reply, without the labels and quotes small models add. */
function cleanRewrite(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line
    .replace(/^(?:rewritten question|question|standalone question|rewrite)\s*:\s*/i, '')
    .replace(/^["“'‘]+|["”'’]+$/g, '')
    .trim();
}

/**
 * A rewrite stays on topic when it keeps at least two thirds of the question's own words and
 * (nearly) everything it adds comes from the conversation: a model that answers, rambles, asks
 * the previous question again or changes the subject fails.
 */
export function onTopic(rewrite: string, question: string, history: PreviousTurn[]): boolean {
  if (rewrite.length > 300) return false;
  const own = new Set(analyze(question));
  const said = new Set(history.slice(-3).flatMap((t) => analyze(`${t.question} ${t.query ?? ''} ${t.answer ?? ''}`)));
  const words = [...new Set(analyze(rewrite))];
  if (!words.length) return false;
  const kept = own.size ? [...own].filter((t) => words.includes(t)).length / own.size : 1;
  const added = words.filter((t) => !own.has(t));
  const fromConversation = added.length ? added.filter((t) => said.has(t)).length / added.length : 1;
  return kept >= 2 / 3 && fromConversation >= 0.75;
}
