/**
 * `npm run eval -- --lists [--split tune|report] [--entries 240] [--no-embed]`: lists and counts
 * from every passage, measured on a generated incident log (entries under monthly headings) with
 * planted items phrased several ways and hard negatives, and on a real document (multi_page.pdf)
 * with hand-labelled mentions. The tune and report logs use different phrasings and seeds: the
 * thresholds were set on the first. Prints one row per question, then one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  chunkDocument,
  countItems,
  createTransformersEmbedder,
  distinctItems,
  DocumentBuilder,
  listCondition,
  parseBytes,
  scanPassages,
  type Embedder,
  type ListItem,
  type ParsedDocument,
  type ScanPassage,
} from '../../src/core';

interface Planted {
  /** The question asked. */
  question: string;
  /** What `target` the classifier gives for it (the condition). */
  target: string;
  /** Text of the sentences that must be found (one per planted item). */
  positives: string[];
}

const PHRASINGS = {
  tune: {
    forklift: [
      'A forklift reversed into a racking upright and bent it.',
      'The fork-lift truck dropped a pallet of tiles in aisle {n}.',
      'An operator drove a forklift over a colleague’s foot.',
      'Two forklifts collided at loading dock {n}.',
      'A pallet slid off the raised forks of a forklift near bay {n}.',
    ],
    forkliftNegative: [
      'No forklift was involved; a box fell from a shelf in aisle {n}.',
      'The forklift parked nearby was not involved when the ladder slipped.',
      'A hand pallet truck was used instead of a forklift and a wrist was sprained.',
    ],
    brake: [
      'The brakes failed on van {n} while it was parked on the slope.',
      'Brake failure on truck {n} caused a low-speed collision with a bollard.',
      'The braking system of the yard tractor failed during the descent.',
      'Van {n} had a brake failure at the gate.',
    ],
    brakeNegative: [
      'The brakes were tested and found sound after van {n} skidded on ice.',
      'A brake check on truck {n} found no fault; the driver misjudged the turn.',
    ],
  },
  report: {
    forklift: [
      'While reversing, the forklift struck a parked van in yard {n}.',
      'A fork lift tipped over on the ramp to mezzanine {n}.',
      'The driver of forklift FL-{n} clipped a door frame.',
      'Forklift FL-{n} lost its load when turning into aisle 7.',
      'A worker was pinned against a wall by a reversing forklift.',
    ],
    forkliftNegative: [
      'Without any forklift nearby, a stack of crates collapsed in bay {n}.',
      'The incident did not involve a forklift: a trolley wheel broke.',
      'Forklifts were not involved; the spill came from a drum in store {n}.',
    ],
    brake: [
      'Truck {n} suffered a brake failure on the access road.',
      'The van’s brakes failed as it left bay {n}.',
      'Brakes on trailer {n} failed under load and it rolled into a fence.',
      'The handbrake failed on van {n} and it rolled into a skip.',
    ],
    brakeNegative: [
      'The brakes on truck {n} were inspected and worked normally after the bump.',
      'The brakes did not fail; the tyres of van {n} lost grip on oil.',
    ],
  },
};

const FILLER = [
  'A visitor slipped on a wet floor near reception and bruised a knee.',
  'A ladder in store {n} was found with a cracked rung and taken out of use.',
  'A chemical drum leaked in bay {n}; the spill kit was used.',
  'An employee cut a finger on packaging tape at bench {n}.',
  'A fire alarm was set off by burnt toast in the canteen.',
  'A delivery driver reported a near miss with a cyclist at gate {n}.',
  'A box fell from a high shelf in aisle {n} and missed a picker.',
  'Lighting in corridor {n} failed and was repaired the same day.',
  'A worker strained a back lifting a crate without help.',
  'Water dripped through the roof above dock {n} during heavy rain.',
  'An extension cable overheated at desk {n} and was replaced.',
  'A door closer broke on the north entrance and trapped a hand briefly.',
];
const MONTHS = 'January February March April May June July August September October November December'.split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A log of `entries` incidents under monthly headings, and the planted items with their questions. */
export function incidentLog(split: 'tune' | 'report', entries: number): { doc: ParsedDocument; planted: Planted[] } {
  const random = rng(split === 'tune' ? 7 : 1234);
  const p = PHRASINGS[split];
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const fill = (t: string) => t.replace(/\{n\}/g, String(1 + Math.floor(random() * 40)));
  const slots: { kind: 'forklift' | 'brake' | 'forkliftNegative' | 'brakeNegative' | 'filler'; text: string }[] = [];
  const plant = (kind: 'forklift' | 'brake' | 'forkliftNegative' | 'brakeNegative', count: number) => {
    for (let i = 0; i < count; i++) slots.push({ kind, text: fill(p[kind][i % p[kind].length]!) });
  };
  plant('forklift', 15);
  plant('forkliftNegative', 8);
  plant('brake', 10);
  plant('brakeNegative', 6);
  while (slots.length < entries) slots.push({ kind: 'filler', text: fill(pick(FILLER)) });
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  const b = new DocumentBuilder('markdown');
  b.heading('Site incident log', 1);
  const perMonth = Math.ceil(slots.length / 12);
  const seen = new Map<string, number>();
  slots.forEach((s, i) => {
    if (i % perMonth === 0) b.heading(MONTHS[i / perMonth]!, 2);
    // The same sentence twice would be one item to a reader; each planted sentence is made unique.
    const n = (seen.get(s.text) ?? 0) + 1;
    seen.set(s.text, n);
    const text = n > 1 ? s.text.replace(/\.$/, ` (${ordinal(n)} time this quarter).`) : s.text;
    s.text = text;
    const day = 1 + (i % 28);
    b.block(
      `Incident ${i + 1}, ${day} ${MONTHS[Math.floor(i / perMonth)]}. ${text} The area was made safe and the report filed.`,
    );
  });
  const doc = b.build({ title: 'Site incident log' });
  return {
    doc,
    planted: [
      {
        question: 'List every incident that involved a forklift',
        target: 'incident that involved a forklift',
        positives: slots.filter((s) => s.kind === 'forklift').map((s) => s.text),
      },
      {
        question: 'How many brake failures were there?',
        target: 'brake failures',
        positives: slots.filter((s) => s.kind === 'brake').map((s) => s.text),
      },
    ],
  };
}

function ordinal(n: number): string {
  return ['', 'first', 'second', 'third', 'fourth', 'fifth'][n] ?? `${n}th`;
}

/** multi_page.pdf, with the sentences that mention each thing, labelled by hand (their openings). */
const REAL: (Planted & { file: string })[] = [
  {
    file: 'pdf/multi_page.pdf',
    question: 'List every mention of typewriters',
    target: 'mention of typewriters',
    positives: [
      'The origins of word processing',
      'Patented in 1868',
      'During this period',
      'Over time, advancements',
      'IBM MT/ST',
      'From the clunky typewriters',
      'The journey of the word processor',
    ],
  },
  {
    file: 'pdf/multi_page.pdf',
    question: 'List every mention of Google Docs',
    target: 'mention of Google Docs',
    positives: [
      'Google Docs (2006)',
      'Google Docs enabled',
      'Real-Time Collaboration',
      'For instance, Google Docs',
      'Tools like Dragon',
    ],
  },
];

function passagesOf(doc: ParsedDocument, name: string): ScanPassage[] {
  return chunkDocument(doc, (t) => Math.ceil(t.split(/\s+/).length * 1.3)).map((c) => ({
    docId: name,
    docName: name,
    chunkIndex: c.index,
    text: c.text,
    location: c.location,
  }));
}

async function run(
  passages: ScanPassage[],
  target: string,
  embedder: Embedder | null,
): Promise<{ items: ListItem[]; count: number; firstMs: number }> {
  const condition = listCondition(target);
  const t0 = performance.now();
  let firstMs = -1;
  const items: ListItem[] = [];
  for await (const batch of scanPassages(passages, condition, passages.length, {
    ...(embedder ? { embed: (t: string[]) => embedder.embed(t, 'passage') } : {}),
  })) {
    if (batch.items.length && firstMs < 0) firstMs = performance.now() - t0;
    items.push(...batch.items);
  }
  return { items: distinctItems(items), count: countItems(items, condition), firstMs };
}

const round = (x: number) => Number(x.toFixed(4));

export async function listEval(opts: { split: 'tune' | 'report'; entries: number; embed: boolean; fixtures: string }) {
  const embedder = opts.embed ? await createTransformersEmbedder({ dtype: 'q8' }) : null;
  let found = 0;
  let wanted = 0;
  let kept = 0;
  let returned = 0;
  let exact = 0;
  let questions = 0;
  const { doc, planted } = incidentLog(opts.split, opts.entries);
  const cases: { passages: ScanPassage[]; q: Planted; match: (item: ListItem, positive: string) => boolean }[] = [];
  for (const q of planted)
    cases.push({ passages: passagesOf(doc, 'incident-log.md'), q, match: (item, pos) => item.text.includes(pos) });
  for (const q of REAL) {
    const file = path.join(opts.fixtures, q.file);
    const parsed = await parseBytes(new Uint8Array(fs.readFileSync(file)), path.basename(file));
    cases.push({
      passages: passagesOf(parsed, path.basename(file)),
      q,
      match: (item, pos) => item.text.replace(/^[•\s]+/, '').startsWith(pos),
    });
  }
  for (const { passages, q, match } of cases) {
    const { items, count } = await run(passages, q.target, embedder);
    const hits = q.positives.filter((pos) => items.some((it) => match(it, pos))).length;
    const right = items.filter((it) => q.positives.some((pos) => match(it, pos))).length;
    found += hits;
    wanted += q.positives.length;
    kept += right;
    returned += items.length;
    questions++;
    if (count === q.positives.length && right === items.length) exact++;
    console.log(
      `| ${q.question.padEnd(46)} | ${passages[0]!.docName.padEnd(16)} | recall ${hits}/${q.positives.length} | precision ${right}/${items.length} | count ${count} (true ${q.positives.length}) |`,
    );
    for (const it of items) if (!q.positives.some((pos) => match(it, pos))) console.log(`    wrong: ${it.text}`);
    for (const pos of q.positives) if (!items.some((it) => match(it, pos))) console.log(`    missed: ${pos}`);
  }
  await embedder?.dispose();
  return {
    split: opts.split,
    entries: opts.entries,
    questions,
    recall: round(found / wanted),
    precision: round(kept / Math.max(1, returned)),
    counts_exact: `${exact}/${questions}`,
  };
}

/**
 * `npm run eval -- --lists --bench N`: a list over N passages in memory (100 documents of N/100
 * passages of log entries, one in 500 about a forklift), scanned on words alone as the library's
 * first batch arrives: time to the first items and to the end, and the items found.
 */
export async function listBench(passageCount: number): Promise<Record<string, number>> {
  const random = rng(99);
  const perDoc = Math.max(1, Math.floor(passageCount / 100));
  const docs: ScanPassage[][] = [];
  let planted = 0;
  for (let d = 0; d < 100; d++) {
    const passages: ScanPassage[] = [];
    let at = 0;
    for (let i = 0; i < perDoc; i++) {
      const lines = [0, 1, 2].map(() =>
        FILLER[Math.floor(random() * FILLER.length)]!.replace(/\{n\}/g, String(i % 40)),
      );
      if (random() < 1 / 500) {
        lines[1] = 'A forklift reversed into a racking upright and bent it.';
        planted++;
      }
      const text = lines.map((l, j) => `Incident ${i * 3 + j + 1}. ${l}`).join('\n\n');
      passages.push({
        docId: `log-${d}`,
        docName: `log-${d}.md`,
        chunkIndex: i,
        text,
        location: { headings: ['Log'], start: at, end: at + text.length },
      });
      at += text.length + 2;
    }
    docs.push(passages);
  }
  async function* byDocument() {
    for (const d of docs) yield d;
  }
  const condition = listCondition('incident that involved a forklift');
  const t0 = performance.now();
  let first = -1;
  let found = 0;
  for await (const batch of scanPassages(byDocument(), condition, perDoc * 100)) {
    if (batch.items.length && first < 0) first = performance.now() - t0;
    found += batch.items.length;
  }
  return {
    passages: perDoc * 100,
    planted,
    found,
    first_items_ms: Math.round(first),
    scan_ms: Math.round(performance.now() - t0),
  };
}
