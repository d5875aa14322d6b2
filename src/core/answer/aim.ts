/**
 * "What is the main contribution of the PaperMage paper?", "What does papermage propose?", "What
 * are the contributions of the CiteSee paper?": what a document says it does. Searched like any
 * question, "main contribution" found the Author Contributions section and the question was
 * declined; "propose" found a participant's quote. A paper says what it does in its abstract ("We
 * introduce papermage, an open-source Python toolkit …", "This paper introduces CiteSee, …") and
 * lists its contributions in its introduction ("This paper contributes: (1) …"): quoted from there.
 */
import { DOCUMENT, namesAsIt } from './byline';
import { splitSentences } from './sentences';
import type { SourceLocation } from '../types';

const MAIN = String.raw`(?:(?:main|key|primary|central|core|principal|major|chief|overall)\s+)?`;
// Not "takeaways", "message", "point", "argument": what a paper concludes, which its summary says
// and its statement of what it does ("This paper introduces CiteSee, …") does not.
const NOUN = '(?:contributions?|ideas?|aims?|goals?|purpose|objectives?|novelty|focus)';
const VERB = String.raw`(?:propose|introduce|present|contribute|offer|describe|do|address|solve|tackle|argue|claim|study|investigate|examine|explore|achieve|accomplish|(?:try|aim|set\s+out)\s+to\s+(?:do|solve|achieve|show))`;
// What a paper makes and says it introduces ("What dataset does Multi-LexSum introduce?"); not what
// else it presents ("What baselines does it present?").
const MADE =
  '(?:dataset|corpus|tool|toolkit|system|method|approach|framework|model|interface|library|benchmark|technique|algorithm|guidelines|resource|platform|prototype)s?';
const MAKES = '(?:propose|introduce|present|contribute|release)';
const PROBLEM = '(?:problems?|questions?|gaps?)';
const SOLVES = '(?:address|solve|tackle|answer|study|investigate)';
const ASKED = [
  String.raw`(?:what|which)\s+(?:is|are|was|were)\s+(?:(?:the\s+)?${MAIN}${NOUN}\s+(?:of|in|behind)\s+${DOCUMENT}|(?:its|${DOCUMENT}\s*['’]s)\s+${MAIN}${NOUN})`,
  String.raw`what\s+(?:does|did)\s+${DOCUMENT}\s+${VERB}`,
  String.raw`what\s+(?:new\s+)?${MADE}\s+(?:does|did)\s+${DOCUMENT}\s+${MAKES}`,
  String.raw`what\s+${PROBLEM}\s+(?:does|did)\s+${DOCUMENT}\s+${SOLVES}`,
  String.raw`(?:list\s+|name\s+)?(?:the\s+)?${MAIN}${NOUN}\s+of\s+${DOCUMENT}`,
];
const END = String.raw`\s*[?.!]*\s*$`;
/** The whole question, once the document's names are "it". */
const AIM_ASKED = new RegExp(String.raw`^\s*(?:${ASKED.join('|')})${END}`, 'i');
/** Of the one document in scope, the document unsaid: "What is the main contribution?". */
const AIM_ASKED_BARE = new RegExp(
  String.raw`^\s*(?:what|which)\s+(?:is|are|was|were)\s+the\s+${MAIN}${NOUN}${END}`,
  'i',
);
// Every word one of the patterns needs, for a first look before the documents are listed.
const MAY_ASK = new RegExp(String.raw`\b(?:${NOUN}|${VERB}|${MAKES}|${PROBLEM}|${SOLVES})\b`, 'i');

/** Cheap first look, before the documents are listed. */
export function mayAskAim(question: string): boolean {
  return MAY_ASK.test(question);
}

/**
 * Whether the question asks what the document named by `names` (or "it", "this paper") does, and
 * whether it asks for its contributions as a list. Null when it asks something else ("What is the
 * purpose of the tutorial in the CiteSee study?"). `bare`: the document is the only one in scope,
 * so the question need not name it ("What is the main contribution?").
 */
export function asksAim(question: string, names: string[], bare = false): { list: boolean } | null {
  const q = namesAsIt(question, names);
  return AIM_ASKED.test(q) || (bare && AIM_ASKED_BARE.test(q)) ? { list: /\bcontributions\b/i.test(q) } : null;
}

export interface AimChunk {
  index: number;
  text: string;
  location: SourceLocation;
}
export interface AimQuote {
  chunk: AimChunk;
  /** Offsets of the quote in the chunk's text. */
  start: number;
  end: number;
  text: string;
}

// What a paper says it does, in its own words; the first verbs say what it is ("we introduce
// papermage"), the second what it also does ("we argue that …", "this paper addresses …").
const SUBJECT = String.raw`\b(?:we|(?:this|our)\s+(?:\w+\s+)?(?:paper|work|article|report|study|document|thesis|note))\s+(?:(?:also|first|further|here|then)\s+)?`;
const STATES = new RegExp(
  `${SUBJECT}(?:propose|present|introduce|describe|contribute|develop|release|offer|design|build|create)s?\\b`,
  'i',
);
const STATES_WEAKLY = new RegExp(
  `${SUBJECT}(?:investigate|explore|study|studies|examine|address|argue|report|outline|demonstrate|show|provide|focus)(?:e?s)?\\b`,
  'i',
);
// "This paper contributes:", "Overall, our contributions are: (1) …", "Its contributions include (1)
// …", "The contributions of this paper are threefold:"; not "Prior contributions are limited to …".
const LISTS =
  /\b(?:(?:this|our)\s+(?:paper|work)\s+contributes\b[^.:]{0,40}:|(?:our|its|(?:this|the)\s+(?:paper|work)['’]s)\s+(?:\w+\s+)?contributions\s+(?:are|include)\b|(?:the\s+)?contributions\s+of\s+(?:this|our)\s+(?:paper|work)\s+(?:are|include)\b|\bthe\s+following\s+contributions\s*:)/i;
// A list item's first characters: "(1)", "1.", "2)", "•", "-", "(a)".
const ITEM = /^\s*(?:\(?\d{1,2}[.)]|\([a-z]\)|[•\-–*])\s/;

const heading = (c: AimChunk) => c.location.headings.at(-1)?.replace(/^\s*(?:[\dIVX]+(?:\.\d+)*\.?\s+)/, '') ?? '';
const isAbstract = (c: AimChunk) => /^(?:abstract|summary|executive summary)$/i.test(heading(c).trim());
const isIntroduction = (c: AimChunk) => /^introduction$/i.test(heading(c).trim());

/**
 * Where a document says what it does: its abstract, then its introduction, then (a document without
 * them) its first chunks. With `list`, the contributions its introduction lists first, with the list.
 */
export function aimOf(chunks: AimChunk[], list: boolean): AimQuote | null {
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  const groups = [ordered.filter(isAbstract), ordered.filter(isIntroduction), ordered.slice(0, 3)];
  if (list)
    for (const group of groups.slice(1)) {
      const found = listed(group);
      if (found) return found;
    }
  for (const group of groups)
    for (const pattern of [STATES, STATES_WEAKLY])
      for (const chunk of group)
        for (const s of splitSentences(chunk.text))
          if (pattern.test(s.text)) return { chunk, start: s.start, end: s.end, text: s.text };
  return null;
}

/**
 * The sentence that introduces a list of contributions, through the end of its paragraph and of the
 * list's items after it ("This paper contributes:" alone in its paragraph, then "(1) …", "(2) …").
 */
function listed(group: AimChunk[]): AimQuote | null {
  for (const chunk of group)
    for (const s of splitSentences(chunk.text)) {
      if (!LISTS.test(s.text)) continue;
      let end = paragraphEnd(chunk.text, s.end);
      const leadIn = chunk.text.slice(s.start, end).trimEnd().endsWith(':');
      let items = 0;
      for (;;) {
        const next = chunk.text.slice(end).search(/\S/);
        if (next < 0) break;
        const at = end + next;
        // After a lead-in the next paragraph is the list, whatever it starts with; then items only.
        if (!(leadIn && items === 0) && !ITEM.test(chunk.text.slice(at, at + 8))) break;
        end = paragraphEnd(chunk.text, at);
        items++;
      }
      // A lead-in whose list is in the next chunk, which repeats it.
      if (leadIn && !items) continue;
      return { chunk, start: s.start, end, text: chunk.text.slice(s.start, end) };
    }
  return null;
}

function paragraphEnd(text: string, from: number): number {
  const at = text.indexOf('\n\n', from);
  return (at < 0 ? text : text.slice(0, at)).trimEnd().length;
}
