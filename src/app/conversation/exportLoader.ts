import { importOnce } from '../idle';

/**
 * The Markdown export's code, fetched apart from the page's first download — but as soon as an answer
 * is on screen, so that Copy writes to the clipboard inside the click (Safari allows it nowhere else).
 * A failed fetch is forgotten, so the next click tries again.
 */
export const loadMarkdown = importOnce(() => import('./exportMarkdown'));
