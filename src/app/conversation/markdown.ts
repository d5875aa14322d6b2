import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { createElement, type ReactNode } from 'react';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Raw HTML in an answer is shown as the text it is, never parsed as markup: a model repeating a
 * hostile document cannot inject elements (DOMPurify below stays as the second line of defence).
 */
const answerMarkdown = new Marked({ gfm: true, breaks: false, renderer: { html: ({ text }) => escapeHtml(text) } });

/**
 * Model output → safe HTML. Markdown is rendered, each [n] becomes a citation button, then
 * DOMPurify removes scripts, event handlers and javascript: URLs; tags that would fetch anything
 * (images, media, frames, styles) are dropped too, so an answer can never make a network request.
 */
function renderAnswer(markdown: string, sourceCount: number, turnId: string): DocumentFragment {
  const html = answerMarkdown.parse(markdown, { async: false });
  const turn = escapeHtml(turnId);
  const withCitations = html.replace(/\[(\d{1,3})\]/g, (m, n: string) =>
    Number(n) >= 1 && Number(n) <= sourceCount
      ? `<button type="button" class="cite" data-cite="${n}" data-turn="${turn}" aria-label="Source ${n}">${n}</button>`
      : m,
  );
  return DOMPurify.sanitize(withCitations, {
    ADD_ATTR: ['data-cite', 'data-turn'],
    FORBID_TAGS: [
      'img',
      'picture',
      'source',
      'video',
      'audio',
      'iframe',
      'frame',
      'object',
      'embed',
      'form',
      'input',
      'style',
      'link',
      'meta',
      'svg',
      'math',
    ],
    FORBID_ATTR: ['style', 'srcset'],
    RETURN_DOM_FRAGMENT: true,
  });
}

/** HTML attribute names whose React prop is spelled differently. */
const PROP: Record<string, string> = {
  class: 'className',
  colspan: 'colSpan',
  rowspan: 'rowSpan',
  tabindex: 'tabIndex',
};

/** The sanitised tree as React elements: React writes it (text escaped), never `innerHTML`. */
function toReact(node: Node): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const props: Record<string, string> = {};
  for (const a of el.attributes) props[PROP[a.name] ?? a.name] = a.value;
  // Children as arguments, as JSX passes them: positional, so they need no keys.
  return createElement(el.localName, props, ...[...el.childNodes].map(toReact));
}

/**
 * A model's answer (Markdown) as React elements with citation chips.
 * @public loaded with import() by WrittenAnswer, which knip does not follow.
 */
export function answerElements(markdown: string, sourceCount: number, turnId: string): ReactNode[] {
  return [...renderAnswer(markdown, sourceCount, turnId).childNodes].map(toReact);
}
