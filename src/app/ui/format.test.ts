import { expect, test } from 'vitest';
import { counted } from './format';

// Issue 23, problem 16: a one-page document read "1 pages · 1 passages".
test('a count reads with its noun in the singular for one, the plural otherwise', () => {
  expect(`${counted(1, 'page')} · ${counted(1, 'passage')}`).toBe('1 page · 1 passage');
  expect(counted(0, 'passage')).toBe('0 passages');
  expect(counted(1234, 'page')).toBe(`${(1234).toLocaleString()} pages`);
  expect(counted(2, 'query', 'queries')).toBe('2 queries');
});
