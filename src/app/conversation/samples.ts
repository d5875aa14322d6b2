import { useEffect, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import { type DocumentRecord, meaningfulTitle, withoutNumber } from '../../core';

const GENERIC =
  /^(contents|table of contents|introduction|abstract|references|bibliography|index|appendix|notes|acknowledg(e)?ments|see also|external links|further reading|summary)$/i;

/** Questions built from headings: short, distinct, not boilerplate sections. */
export function questionsFromHeadings(headings: string[], title: string, max = 3): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of headings) {
    // A section number goes ("3.1 Pre-training"), a heading that starts with a year stays ("1910s–1950s").
    const h = withoutNumber(raw.replace(/\s+/g, ' '));
    const key = h.toLowerCase();
    if (h.length < 3 || h.length > 70 || GENERIC.test(h) || seen.has(key) || key === title.toLowerCase()) continue;
    seen.add(key);
    out.push(/\?$/.test(h) ? h : `What does it say about ${h}?`);
    if (out.length === max) break;
  }
  if (out.length < max && title) out.push(`What is ${title} about?`);
  return out.slice(0, max);
}

/**
 * Three sample questions for the first document added (read once per document): a summary of it,
 * then its source guide's questions (each one the document's search really answers), else
 * questions from its headings.
 */
export function useSampleQuestions(
  library: () => Promise<RemoteLibrary | null>,
  documents: DocumentRecord[],
): string[] {
  const first = [...documents].sort((a, b) => a.addedAt - b.addedAt)[0];
  const [samples, setSamples] = useState<{ id: string; questions: string[] } | null>(null);
  useEffect(() => {
    if (!first || samples?.id === first.id) return;
    let live = true;
    void library().then(async (lib) => {
      const guide = await lib?.sourceGuide(first.id).catch(() => undefined);
      let questions = guide?.questions ?? [];
      if (!questions.length) {
        // Headings come with each passage's place; a very long document is not read just for this.
        const chunks = lib && first.chunkCount <= 3000 ? await lib.getChunks(first.id) : [];
        const headings = chunks.flatMap((c) => c.location.headings);
        // Only a title the document gives itself: "What is glxz-10k_20211231 about?" asks nobody's question.
        const title = meaningfulTitle(first.title ?? '') ?? '';
        questions = questionsFromHeadings(headings, title);
      }
      if (live) setSamples({ id: first.id, questions: [`Summarise ${first.name}`, ...questions].slice(0, 3) });
    });
    return () => {
      live = false;
    };
  }, [first, samples, library]);
  return first && samples?.id === first.id ? samples.questions : [];
}
