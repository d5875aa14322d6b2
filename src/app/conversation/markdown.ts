import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Raw HTML in an answer is shown as the text it is, never parsed as markup: a model repeating a
 * hostile document cannot inject elements (DOMPurify below stays as the second line of defence).
 */
const answerMarkdown = new Marked({ gfm: true, breaks: false, renderer: { html: ({ text }) => escapeHtml(text) } });

/**
 * Model output → safe HTML. Markdown is rendered, each [n] becomes a citation button, then
 * DOMPurify removes scripts, event handlers and javascript: URLs; tags that would fetch anything
 * (images, media, frames, styles) are dropped too, so an answer can never make a network request.
 * @public loaded with import() by WrittenAnswer, which knip does not follow.
 */
export function renderAnswer(markdown: string, sourceCount: number, turnId: string): string {
  const html = answerMarkdown.parse(markdown, { async: false });
  const turn = escapeHtml(turnId);
  const withCitations = html.replace(/\[(\d{1,3})\]/g, (m, n: string) =>
    Number(n) >= 1 && Number(n) <= sourceCount ? `<button type="button" class="cite" data-cite="${n}" data-turn="${turn}" aria-label="Source ${n}">${n}</button>` : m,
  );
  return DOMPurify.sanitize(withCitations, {
    ADD_ATTR: ['data-cite', 'data-turn'],
    FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'style', 'link', 'meta', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
  });
}
