/**
 * Which text runs of a PDF page belong to a cited passage, and the line boxes to draw over them.
 * Pure functions (no pdf.js, no DOM), so they are tested in Node.
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const words = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * The indexes of the page's text items that carry the passage. The page's words are aligned with
 * the passage's in order (longest common subsequence), and only runs of at least `minRun` words
 * that follow each other on both sides count: a word that merely also occurs in the passage — a
 * label inside a figure, a running header — is not boxed. A passage running onto the next page
 * matches its part on this page.
 */
export function passageItems(
  items: readonly { str: string; transform?: number[] }[],
  passage: string,
  minRun = 4,
): Set<number> {
  const page: { w: string; item: number }[] = [];
  items.forEach((it, i) => {
    const ws = words(it.str);
    // A word broken by a hyphen at the end of a line is joined with its second half.
    const last = page.at(-1);
    if (last && /-\s*$/.test(items[i - 1]?.str ?? '') && ws.length) {
      last.w += ws.shift()!;
    }
    for (const w of ws) page.push({ w, item: i });
  });
  const want = words(passage).slice(0, 1500);
  const n = page.length;
  const m = want.length;
  const out = new Set<number>();
  if (!n || !m) return out;
  // LCS lengths, one row per page word (Uint16: passages are far shorter than 65k words).
  const width = m + 1;
  const table = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        page[i]!.w === want[j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (page[i]!.w === want[j] && table[i * width + j] === table[(i + 1) * width + j + 1]! + 1) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  const need = Math.min(minRun, m);
  for (let start = 0; start < pairs.length; ) {
    let end = start + 1;
    while (end < pairs.length && pairs[end]![0] === pairs[end - 1]![0] + 1 && pairs[end]![1] === pairs[end - 1]![1] + 1)
      end++;
    if (end - start >= need) for (let k = start; k < end; k++) out.add(page[pairs[k]![0]]!.item);
    start = end;
  }
  return withoutFigureText(items, out);
}

/**
 * Text inside a figure (labels, callouts) is extracted with the prose around it, so a passage may
 * carry it; boxed, it looks stray. Runs in a clearly smaller type than the passage's body, on lines
 * of their own, are left unboxed (a small run beside body text — a fraction, a footnote mark —
 * stays).
 */
function withoutFigureText(items: readonly { str: string; transform?: number[] }[], kept: Set<number>): Set<number> {
  const size = (i: number) =>
    Math.hypot(items[i]!.transform?.[2] ?? 0, items[i]!.transform?.[3] ?? 0) || Math.abs(items[i]!.transform?.[0] ?? 0);
  // The body size is the one most of the passage's characters are set in.
  const chars = new Map<number, number>();
  for (const i of kept)
    if (size(i) > 0)
      chars.set(Math.round(size(i) * 4) / 4, (chars.get(Math.round(size(i) * 4) / 4) ?? 0) + items[i]!.str.length);
  if (!chars.size) return kept;
  const body = [...chars].sort((a, b) => b[1] - a[1])[0]![0];
  const bodyLines = new Set(
    [...kept].filter((i) => size(i) >= body * 0.85).map((i) => Math.round(items[i]!.transform![5]!)),
  );
  const onBodyLine = (i: number) => [...bodyLines].some((y) => Math.abs(y - items[i]!.transform![5]!) < body * 0.6);
  return new Set([...kept].filter((i) => !items[i]!.transform || size(i) >= body * 0.85 || onBodyLine(i)));
}

/** Rectangles of runs on one line, merged into one box per line (and column). */
export function lineBoxes(rects: readonly Rect[]): Rect[] {
  const sorted = [...rects].filter((r) => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top || a.left - b.left);
  const lines: Rect[] = [];
  for (const r of sorted) {
    const line = lines.find(
      (l) =>
        Math.abs(l.top + l.height / 2 - (r.top + r.height / 2)) < Math.min(l.height, r.height) * 0.5 &&
        r.left - (l.left + l.width) < r.height * 1.5 &&
        l.left - (r.left + r.width) < r.height * 1.5,
    );
    if (!line) {
      lines.push({ ...r });
      continue;
    }
    const right = Math.max(line.left + line.width, r.left + r.width);
    const bottom = Math.max(line.top + line.height, r.top + r.height);
    line.left = Math.min(line.left, r.left);
    line.top = Math.min(line.top, r.top);
    line.width = right - line.left;
    line.height = bottom - line.top;
  }
  return lines;
}
