/**
 * "What are the limitations of the CiteSee paper?" asks what a section of the paper says: the paper
 * has one ("7 LIMITATIONS AND FUTURE WORK", and "5.1 Study 1 Limitations"). Searched as a lookup it
 * was "What are the limitations?" inside the paper, a question of one word, and was declined or
 * quoted a sentence of another section; read as a summary of those sections it is answered from
 * every sentence under them, each cited.
 */
import { inSection, isSectionKind } from './source';

// "What are the limitations?", "What is the related work?", "What were the main findings?".
const TOPIC =
  /^\s*(?:what|which)\s+(?:are|is|were|was)\s+(?:the\s+)?(?:main\s+|key\s+)?(\p{L}[\p{L} -]{2,40}?)\s*[?.!]*\s*$/iu;

/** The kind of section a question is shaped as asking for ("What are the limitations?"), headings unread. */
export function askedKind(asked: string): string | undefined {
  const said = TOPIC.exec(asked)?.[1]?.trim().toLowerCase();
  const topic = said && /^future (?:research )?(?:directions?|research)$/.test(said) ? 'future directions' : said;
  return topic && isSectionKind(topic) ? topic : undefined;
}

/**
 * The section a lookup about one document asks for, or undefined. `asked`: the question with the
 * document's names taken out (route.ts `askedOf`); `paths`: its passages' heading paths, the
 * document's title first.
 */
export function sectionAsked(asked: string, paths: string[][]): string | undefined {
  const topic = askedKind(asked);
  if (!topic) return undefined;
  // The summary reads every passage whose headings hold the word (source.ts `inSection`): one whose
  // title holds it would be the whole document, which is not what was asked.
  if (paths.some((p) => p[0] && inSection([p[0]], topic))) return undefined;
  if (sectionsOfKind(topic, paths).length) return topic;
  // "What are the future directions?" of a paper whose section is "7 Limitations and future work".
  return topic === 'future directions' && sectionsOfKind('future work', paths).length ? 'future work' : undefined;
}

/**
 * The headings below the title that start or end with the kind's word, as a word ("7 LIMITATIONS AND
 * FUTURE WORK", "5.1 Study 1 Limitations"), each once, as written: what the summary of the section
 * reads (source.ts `inSection`).
 */
export function sectionsOfKind(kind: string, paths: string[][]): string[] {
  return [...new Set(paths.flatMap((p) => p.slice(1)))].filter((h) => inSection([h], kind));
}
