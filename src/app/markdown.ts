import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Model output → safe HTML. Markdown is rendered, each [n] becomes a citation button, then
 * DOMPurify removes scripts, event handlers and javascript: URLs; tags that would fetch anything
 * (images, media, frames, styles) are dropped too, so an answer can never make a network request.
 */
export function renderAnswer(markdown: string, sourceCount: number): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
  const withCitations = html.replace(/\[(\d{1,3})\]/g, (m, n: string) =>
    Number(n) >= 1 && Number(n) <= sourceCount ? `<button type="button" class="cite" data-cite="${n}" aria-label="Source ${n}">[${n}]</button>` : m,
  );
  return DOMPurify.sanitize(withCitations, {
    ADD_ATTR: ['data-cite'],
    FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'style', 'link', 'meta', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
  });
}
