/**
 * "What are the limitations of the CiteSee paper?" asks what a section of the paper says: the paper
 * has one ("7 LIMITATIONS AND FUTURE WORK", and "5.1 Study 1 Limitations"). Searched as a lookup it
 * was "What are the limitations?" inside the paper, a question of one word, and was declined or
 * quoted a sentence of another section; read as a summary of those sections it is answered from
 * every sentence under them, each cited.
 */
import { inSection } from './source';

// "What are the limitations?", "What is the related work?", "What were the main findings?".
const TOPIC =
  /^\s*(?:what|which)\s+(?:are|is|were|was)\s+(?:the\s+)?(?:main\s+|key\s+)?(\p{L}[\p{L} -]{2,40}?)\s*[?.!]*\s*$/iu;
/**
 * The kinds of section a paper or report is read by. Other words a heading may hold ask for a fact
 * ("What is the corpus size?" is not "E Training corpus sizes for other language models"; "What is
 * the model?" not "2.2 Models for scientific document processing", which is related work).
 */
const SECTION_KIND =
  /^(?:limitations?|future work|related work|background|introduction|conclusions?|discussion|results|findings|abstract|methods?|methodology|evaluation|experiments|implications|recommendations)$/;

/**
 * The section a lookup about one document asks for, or undefined. `asked`: the question with the
 * document's name taken out (kinds.ts `lookupQuery`); `paths`: its passages' heading paths, the
 * document's title first. `shapeOnly`: the kind if the question is shaped as one, headings unread.
 */
export function sectionAsked(asked: string, paths: string[][], shapeOnly = false): string | undefined {
  const topic = TOPIC.exec(asked)?.[1]?.trim().toLowerCase();
  if (!topic || !SECTION_KIND.test(topic)) return undefined;
  if (shapeOnly) return topic;
  // The summary reads every passage whose headings hold the word (source.ts `inSection`): one whose
  // title holds it would be the whole document, which is not what was asked.
  if (paths.some((p) => p[0] && inSection([p[0]], topic))) return undefined;
  return sectionsOfKind(topic, paths).length ? topic : undefined;
}

/** Whether a word names a kind of section ("limitations", "related work"). */
export function isSectionKind(word: string): boolean {
  return SECTION_KIND.test(word.trim().toLowerCase());
}

/**
 * The headings below the title that start or end with the kind's word, as a word ("7 LIMITATIONS AND
 * FUTURE WORK", "5.1 Study 1 Limitations"), each once, as written.
 */
export function sectionsOfKind(kind: string, paths: string[][]): string[] {
  const word = kind.trim().toLowerCase().replace(/s$/, '');
  const says = new RegExp(`^(?:${word}s?\\b.*|.*\\b${word}s?)$`, 'i');
  const heads = new Set(paths.flatMap((p) => p.slice(1)));
  return [...heads].filter((h) => says.test(h.replace(/^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\.?\s+/, '').trim()));
}
