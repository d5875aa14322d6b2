import { describe, expect, test } from 'vitest';
import { publishedLibraries } from './published';

describe('published libraries named in the address', () => {
  test('?library= (repeatable) resolved against the page, http(s) only, each once, named after its file', () => {
    const at = (search: string) => publishedLibraries({ href: `https://folio.example.org/app/${search}`, search });
    expect(at('?library=/libraries/team.folio&library=handbook%20v2.folio&library=/libraries/team.folio')).toEqual([
      { url: 'https://folio.example.org/libraries/team.folio', name: 'team' },
      { url: 'https://folio.example.org/app/handbook%20v2.folio', name: 'handbook v2' },
    ]);
    expect(at('?library=javascript:alert(1)&library=data:text/plain,x&library=https://files.example.net/')).toEqual([
      { url: 'https://files.example.net/', name: 'files.example.net' },
    ]);
    expect(at('')).toEqual([]);
  });
});
