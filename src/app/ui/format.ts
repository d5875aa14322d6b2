// One number format for the page: toLocaleString() builds a new one on every call, which a list
// re-rendered ten times a second while indexing pays for dearly.
const numbers = new Intl.NumberFormat();

/** 1234 → "1,234" in the page's locale. */
export const count = (n: number) => numbers.format(n);
