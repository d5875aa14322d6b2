// One number format for the page: toLocaleString() builds a new one on every call, which a list
// re-rendered ten times a second while indexing pays for dearly.
const numbers = new Intl.NumberFormat();

/** 1234 → "1,234" in the page's locale. */
export const count = (n: number) => numbers.format(n);

/** 1 → "1 page", 1234 → "1,234 pages": a count with its noun, singular or plural. */
export const counted = (n: number, noun: string, plural = `${noun}s`) => `${count(n)} ${n === 1 ? noun : plural}`;
