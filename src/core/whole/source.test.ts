import { expect, test } from 'vitest';
import { withoutNumber } from './headings';

// A source guide showed the topics "s–1950s" and "s–1980s" for wiki-ibm.md's headings
// "1910s–1950s" and "1960s–1980s": the section number was stripped with the decade's digits.
test('a heading loses its section number, not a number of its own', () => {
  expect(
    ['3 Results', '2.1 Data', '4. Discussion', '1910s–1950s', '2023 budget', '1960s–1980s'].map(withoutNumber),
  ).toEqual(['Results', 'Data', 'Discussion', '1910s–1950s', '2023 budget', '1960s–1980s']);
});
