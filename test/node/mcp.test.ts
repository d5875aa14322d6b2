import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AskResult } from '../../src/cli/askCommand';
import type { McpPassage } from '../../src/cli/mcpCommand';
import { FOLIO_BIN, FOLIO_ENV, runFolio } from '../helpers/folio';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

/**
 * `folio mcp` as an assistant runs it: `bin/folio.js mcp <file>` started by the SDK's own stdio
 * client, over a real library file (the fixtures, with one collection) and the real MiniLM model.
 */

let tmp: string;
let file: string;
let client: Client;
let stderr = '';

async function askJson(question: string, k: number): Promise<AskResult> {
  const r = await runFolio('ask', file, question, '--json', '--k', String(k));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AskResult;
}

async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  // The text an assistant reads and the structured result are the same object.
  const [content] = result.content as { type: string; text: string }[];
  expect(JSON.parse(content!.text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-mcp-'));
  file = path.join(tmp, 'library.folio');
  // A library as the app backs it up, with a collection (the command line does not make those).
  const library = await freshLibrary();
  try {
    await library.addFiles(Object.values(FIXTURE_FILES).map((f) => fixture(f)));
    const docs = await library.listDocuments();
    const history = await library.createCollection('History');
    await library.addToCollection(
      history.id,
      docs.filter((d) => ['multi_page.pdf', 'war-and-peace-1p.txt'].includes(d.name)).map((d) => d.id),
    );
    fs.writeFileSync(file, new Uint8Array(await (await library.exportBackup()).arrayBuffer()));
  } finally {
    library.close();
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [FOLIO_BIN, 'mcp', file],
    env: FOLIO_ENV,
    stderr: 'pipe',
  });
  transport.stderr!.on('data', (d: Buffer) => (stderr += d));
  client = new Client({ name: 'folio-test', version: '1.0.0' });
  await client.connect(transport);
}, 120_000);

afterAll(async () => {
  await client?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('folio mcp', () => {
  test('lists its four tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'get_passage', 'list_documents', 'search']);
    for (const t of tools) expect(t.inputSchema.type).toBe('object');
  });

  test('ask and search return what `folio ask --json` returns, each passage with document, place and quote', {
    timeout: 120_000,
  }, async () => {
    for (const question of ['Who patented the typewriter?', 'What do ducks eat?', 'Where did Prince Vasili go?']) {
      const cli = await askJson(question, 4);
      const expected = cli.passages.map((p) => ({
        document: p.docName,
        quote: p.text,
        location: p.location,
        score: p.score,
        index: p.chunkIndex,
      }));
      const pick = (ps: McpPassage[]) =>
        ps.map(({ document, quote, location, score, index }) => ({ document, quote, location, score, index }));
      const asked = await call<{ question: string; passages: (McpPassage & { highlights: string[] })[] }>('ask', {
        question,
        k: 4,
      });
      expect(pick(asked.passages)).toEqual(expected);
      const searched = await call<{ passages: McpPassage[] }>('search', { query: question, k: 4 });
      expect(pick(searched.passages)).toEqual(expected);
      for (const p of asked.passages) {
        expect(p.documentId).toMatch(/\S/);
        // The highlighted sentences are sentences of the quote.
        for (const h of p.highlights) expect(p.quote).toContain(h);
      }
    }
    const [top] = (await call<{ passages: McpPassage[] }>('search', { query: 'Who patented the typewriter?', k: 1 }))
      .passages;
    expect(top).toMatchObject({ document: 'multi_page.pdf', place: expect.stringMatching(/^p\. 1\b/) });
    expect(top!.quote).toContain('Christopher Latham Sholes');
  });

  test('a collection limits search to its documents; list_documents names them and their collections', async () => {
    const all = await call<{ documents: { document: string; passages: number; collections: string[] }[] }>(
      'list_documents',
      {},
    );
    expect(all.documents.map((d) => d.document)).toEqual(
      Object.values(FIXTURE_FILES)
        .map((f) => path.basename(f))
        .sort((a, b) => a.localeCompare(b)),
    );
    const history = await call<{ documents: { document: string; collections: string[] }[] }>('list_documents', {
      collection: 'history',
    });
    expect(history.documents.map((d) => [d.document, d.collections])).toEqual([
      ['multi_page.pdf', ['History']],
      ['war-and-peace-1p.txt', ['History']],
    ]);
    const hits = await call<{ passages: McpPassage[] }>('search', { query: 'ducks', k: 10, collection: 'History' });
    expect(hits.passages.length).toBeGreaterThan(0);
    for (const p of hits.passages) expect(['multi_page.pdf', 'war-and-peace-1p.txt']).toContain(p.document);
  });

  test('get_passage returns the passage search found, and its neighbours', async () => {
    const [hit] = (await call<{ passages: McpPassage[] }>('search', { query: 'Who patented the typewriter?', k: 1 }))
      .passages;
    const byName = await call<McpPassage & { of: number }>('get_passage', {
      document: hit!.document,
      index: hit!.index,
    });
    expect(byName).toMatchObject({ document: hit!.document, quote: hit!.quote, place: hit!.place, index: hit!.index });
    const byId = await call<McpPassage>('get_passage', { document: hit!.documentId, index: hit!.index });
    expect(byId.quote).toBe(hit!.quote);
    const next = await call<McpPassage>('get_passage', { document: hit!.document, index: hit!.index + 1 });
    expect(next.quote).not.toBe(hit!.quote);
    expect(byName.of).toBeGreaterThan(hit!.index + 1);
  });

  test('bad arguments get protocol errors that say what is wrong, and the server keeps serving', async () => {
    const refused = async (name: string, args: Record<string, unknown>, message: RegExp) => {
      const err = await client.callTool({ name, arguments: args }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((err as McpError).message).toMatch(message);
    };
    await refused('search', {}, /search needs the argument “query”/);
    await refused('search', { query: '' }, /“query” must be a non-empty string/);
    await refused('search', { query: 'ducks', k: 0 }, /“k” must be a whole number from 1 to 50, not 0/);
    await refused('search', { query: 'ducks', k: 2.5 }, /“k” must be a whole number/);
    await refused('search', { query: 'ducks', mode: 'fuzzy' }, /“mode” must be one of hybrid, dense, keyword/);
    await refused('search', { query: 'ducks', limit: 3 }, /search has no argument “limit”/);
    await refused('search', { query: 'ducks', collection: 'Nope' }, /no collection named “Nope”.*“History”/);
    await refused('ask', { query: 'ducks' }, /ask needs the argument “question”/);
    await refused('get_passage', { document: 'missing.pdf', index: 0 }, /no document named “missing\.pdf”/);
    await refused('get_passage', { document: 'multi_page.pdf', index: 999 }, /there is no 999/);
    await refused('get_passage', { document: 'multi_page.pdf', index: -1 }, /“index” must be a whole number from 0/);
    await refused('summarise', {}, /no tool named “summarise”/);
    // Still answering after all that.
    expect((await call<{ passages: McpPassage[] }>('search', { query: 'ducks', k: 1 })).passages).toHaveLength(1);
    expect(stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  });

  test('a file that is not a library is refused before the server starts, with its name', async () => {
    const notLibrary = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notLibrary, 'just some notes');
    const r = await runFolio('mcp', notLibrary);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt is not a Folio library file/);
    expect(r.stdout).toBe('');
  });
});
