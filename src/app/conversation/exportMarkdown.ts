import { answerCitations, answerText, type ContextPassage } from '../../core';
import { conversationTitle, isWholeTurn, type Conversation, type Turn } from './conversationStore';
import { bestSentences } from './Passages';
import { where } from './place';
import { tableMarkdown } from './table/tableMarkdown';
import { declinedDetail, declinedTitle } from './declined';

const quoteOf = (p: ContextPassage, query: string) => {
  const r = bestSentences(query, p.text, 1)[0];
  const text = (r ? p.text.slice(r.start, r.end) : p.text.slice(0, 240)).replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
};

/** One turn's answer as Markdown, its [n] renumbered through `cite` (turn-local n → shown number). */
function answerMarkdown(t: Turn, cite: (n: number) => number): string {
  const renumber = (s: string) =>
    s.replace(/\[(\d{1,3})\]/g, (m, n: string) =>
      Number(n) >= 1 && Number(n) <= t.passages.length ? `[${cite(Number(n))}]` : m,
    );
  const tag = (ns: number[]) => ns.map((n) => ` [${cite(n)}]`).join('');
  const parts: string[] = [];
  // A summary, list or comparison: the core's text of it, each quote's [n] renumbered.
  if (isWholeTurn(t)) {
    parts.push(renumber(answerText(t)));
    // A list stopped part-way, or items found before the stop, already say so in the core's text.
    if (t.status === 'stopped' && (t.list ? !t.list.stopped : !t.partialItems?.length))
      parts.push('*(stopped before everything was read)*');
    return parts.join('\n\n');
  }
  if (t.searchedFor) parts.push(`*Searched for: ${t.searchedFor}*`);
  if (t.table) {
    parts.push(tableMarkdown(t.table));
    if (t.table.status === 'computed') return parts.join('\n\n');
  }
  if (t.declined) {
    parts.push(`**${declinedTitle(t.declined.reason)}.** ${declinedDetail(t.declined.reason)}`);
    if (t.passages.length)
      parts.push(`Closest passages, probably not it: ${t.passages.map((_, i) => `[${cite(i + 1)}]`).join(' ')}`);
    return parts.join('\n\n');
  }
  if (t.extract) parts.push(`> ${t.extract.text.replace(/\s*\[\d+\]/g, '')}${tag(t.extract.citations)}`);
  if (t.checked) {
    parts.push(
      t.checked.sentences
        .map(
          (s) =>
            `${s.text.replace(/\s*\[\d+\]/g, '')}${tag(s.citations)}${s.support ? '' : ' *(not found in your documents)*'}`,
        )
        .join(' '),
    );
    parts.push(`*${t.checked.supported} of ${t.checked.total} sentences supported by your documents.*`);
  } else if (t.answer) parts.push(renumber(t.answer.trim()));
  else if (!t.extract && t.passages.length)
    parts.push(`Passages: ${t.passages.map((_, i) => `[${cite(i + 1)}]`).join(' ')}`);
  if (t.status === 'stopped') parts.push('*(stopped)*');
  if (t.status === 'error' && t.error) parts.push(`*(error: ${t.error})*`);
  return parts.join('\n\n');
}

/** A turn's source n as a reader sees it: a whole answer's quote is `answerCitations`' (the sentence it cites). */
function quoted(t: Turn, n: number): { docName: string; place: string; quote: string } {
  const p = t.passages[n - 1]!;
  const q = t.searchedFor ?? t.question;
  const c = isWholeTurn(t) ? answerCitations(t)[n - 1] : undefined;
  return c
    ? { docName: c.docName, place: c.location, quote: c.quote }
    : { docName: p.docName, place: where(p), quote: quoteOf(p, q) };
}

/** A source as a reader sees it: document, place, quoted sentence (without its number). */
function sourceText(t: Turn, n: number): string {
  const { docName, place, quote } = quoted(t, n);
  return `**${docName}**${place ? `, ${place}` : ''} — “${quote}”`;
}

const sourceLine = (shown: number, t: Turn, n: number) => `${shown}. ${sourceText(t, n)}`;

/**
 * A conversation as Markdown: each question and answer, citations numbered once through the whole
 * conversation, and the numbered sources (document, place, quoted sentence) at the end.
 */
export function conversationMarkdown(c: Conversation): string {
  const sources: { key: string; t: Turn; n: number }[] = [];
  // Numbered by what the reader sees: two passages of one document that overlap (a passage and
  // the longer one context joined it into, in another turn) would otherwise print the same line twice.
  const number = (t: Turn, n: number) => {
    const key = `${t.passages[n - 1]!.docId}\n${sourceText(t, n)}`;
    let i = sources.findIndex((s) => s.key === key);
    if (i < 0) i = sources.push({ key, t, n }) - 1;
    return i + 1;
  };
  const body = c.turns.map((t) => `## ${t.question}\n\n${answerMarkdown(t, (n) => number(t, n))}`);
  const date = new Date(c.updatedAt).toISOString().slice(0, 10);
  return `${[
    `# ${conversationTitle(c)}`,
    `*Exported from Folio on ${date}. Answers come from the documents listed under Sources.*`,
    ...body,
    ...(sources.length ? [`## Sources\n\n${sources.map((s, i) => sourceLine(i + 1, s.t, s.n)).join('\n')}`] : []),
  ].join('\n\n')}\n`;
}

/** One answer as Markdown, with its own numbered sources: what Copy puts on the clipboard. */
export function turnMarkdown(t: Turn): string {
  const used: number[] = [];
  const cite = (n: number) => {
    if (!used.includes(n)) used.push(n);
    return n;
  };
  const text = answerMarkdown(t, cite);
  const listed = (used.length ? used.sort((a, b) => a - b) : t.passages.map((_, i) => i + 1)).filter(
    (n) => t.passages[n - 1],
  );
  return `${[text, ...(listed.length ? [listed.map((n) => sourceLine(n, t, n)).join('\n')] : [])].join('\n\n')}\n`;
}

export function exportFileName(c: Conversation): string {
  const slug = conversationTitle(c)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  return `${slug || 'conversation'}.md`;
}

/** Saves the conversation as a .md file. */
export function downloadMarkdown(c: Conversation): void {
  const url = URL.createObjectURL(new Blob([conversationMarkdown(c)], { type: 'text/markdown' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(c);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
