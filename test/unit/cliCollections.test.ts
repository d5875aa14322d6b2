import { expect, test } from 'vitest';
import { collectionIds } from '../../src/cli/askCommand';

const collections = [
  { id: 'c-1', name: 'Work papers' },
  { id: 'c-2', name: 'Home' },
];

test('folio ask --collection: by id or by name, whatever its case and spacing, as the app keeps names', () => {
  expect(collectionIds(collections, ['c-2', ' work  PAPERS'], 'lib.folio')).toEqual(['c-2', 'c-1']);
});

test('a collection the file does not have is an error naming the file and the collections it has', () => {
  expect(() => collectionIds(collections, ['Garden'], 'lib.folio')).toThrow(
    'lib.folio has no collection “Garden” (its collections: Work papers, Home)',
  );
  expect(() => collectionIds([], ['Garden'], 'lib.folio')).toThrow(
    'lib.folio has no collection “Garden” (it has no collections)',
  );
});
