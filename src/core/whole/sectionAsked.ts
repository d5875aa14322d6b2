/**
 * "What are the limitations of the CiteSee paper?" asks what a section of the paper says: the paper
 * has one ("7 LIMITATIONS AND FUTURE WORK", and "5.1 Study 1 Limitations"). Searched as a lookup it
 * was "What are the limitations?" inside the paper, a question of one word, and was declined or
 * quoted a sentence of another section; read as a summary of those sections it is answered from
 * every sentence under them, each cited.
 */
import { inSection } from './source';

// "What are the limitations?", "What is the related work?", "What were the main findings?".
const TOPIC = /^\s*(?:what|which)\s+(?:are|is|were|was)\s+(?:the\s+)?(\p{L}[\p{L} -]{2,40}?)\s*[?.!]*\s*$/iu;
// Sections about the paper's making, not its content: "contributions" does not ask for these.
const NOT_CONTENT =
  /^(?:[\dA-Z]+(?:\.\d+)*\.?\s+)?(?:authors?['’]?\s+contributions?|acknowledge?ments?|references|bibliography|funding|ethics statement|conflicts? of interest|competing interests?)$/i;

/**
 * The section a lookup about one document asks for, or undefined. `asked`: the question with the
 * document's name taken out (kinds.ts `lookupQuery`); `paths`: its passages' heading paths, the
 * document's title first. `shapeOnly`: the topic if the question is shaped as one, headings unread.
 */
export function sectionAsked(asked: string, paths: string[][], shapeOnly = false): string | undefined {
  const topic = TOPIC.exec(asked)?.[1]?.trim().toLowerCase();
  if (!topic || topic.split(/\s+/).length > 3) return undefined;
  if (shapeOnly) return topic;
  // A word of the title would take in every passage: that is a summary of the whole, not asked.
  if (paths.some((p) => p[0] && inSection([p[0]], topic))) return undefined;
  const sections = paths.some((p) => p.slice(1).some((h) => !NOT_CONTENT.test(h.trim()) && inSection([h], topic)));
  return sections ? topic : undefined;
}
