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
import { FIXTURE_FILES, MODELS_DIR } from '../../scripts/lib/paths';
import { startLlamaServer } from '../../scripts/lib/llamaServer';

/**
 * `folio mcp` as an assistant runs it: `bin/folio.js mcp <file>` started by the SDK's own stdio
 * client, over a real library file (the fixtures, with one collection) and the real MiniLM model.
 */

let tmp: string;
let file: string;
/** One short note: a passage that fits, with the prompt, in the test model's 512-token context. */
let tiny: string;
let client: Client;
let stderr = '';

async function askJson(question: string, k: number, ...more: string[]): Promise<AskResult> {
  const r = await runFolio(
    'ask',
    more.includes('--server') ? tiny : file,
    question,
    '--json',
    '--k',
    String(k),
    ...more,
  );
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AskResult;
}

async function call<T>(name: string, args: Record<string, unknown>, via = client): Promise<T> {
  const result = await via.callTool({ name, arguments: args });
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
  client = await connect();
}, 120_000);

/** `folio mcp <library> [options]` started by the SDK's stdio client. */
async function connect(library = file, ...options: string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [FOLIO_BIN, 'mcp', library, ...options],
    env: FOLIO_ENV,
    stderr: 'pipe',
  });
  transport.stderr!.on('data', (d: Buffer) => (stderr += d));
  const c = new Client({ name: 'folio-test', version: '1.0.0' });
  await c.connect(transport);
  return c;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as McpError,
  );

afterAll(async () => {
  await client?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('folio mcp', () => {
  test('lists its five tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'ask',
      'get_passage',
      'list_documents',
      'search',
      'summarize_document',
    ]);
    for (const t of tools) expect(t.inputSchema.type).toBe('object');
  });

  test('ask returns exactly what `folio ask --json` returns, for lookups, summaries, counts and comparisons; search its passages', {
    timeout: 240_000,
  }, async () => {
    const kinds: string[] = [];
    for (const question of [
      'Who patented the typewriter?',
      'What do ducks eat?',
      'Summarise multi_page.pdf',
      'How many times is Anna Pavlovna mentioned in war-and-peace-1p.txt?',
      'Compare word_sample.docx and wiki-ibm.md',
    ]) {
      const cli = await askJson(question, 4);
      kinds.push(cli.kind);
      expect(await call<AskResult>('ask', { question, k: 4 })).toEqual(cli);
      const expected = cli.passages.map((p) => ({
        document: p.docName,
        quote: p.text,
        location: p.location,
        score: p.score,
        index: p.chunkIndex,
      }));
      const pick = (ps: McpPassage[]) =>
        ps.map(({ document, quote, location, score, index }) => ({ document, quote, location, score, index }));
      const searched = await call<{ passages: McpPassage[] }>('search', { query: question, k: 4 });
      expect(pick(searched.passages)).toEqual(expected);
      for (const p of searched.passages) expect(p.documentId).toMatch(/\S/);
      for (const c of cli.kind === 'table' ? [] : cli.citations) expect(c.quote).toMatch(/\S/);
    }
    expect(kinds).toEqual(['lookup', 'lookup', 'summary', 'count', 'compare']);
    const [top] = (await call<{ passages: McpPassage[] }>('search', { query: 'Who patented the typewriter?', k: 1 }))
      .passages;
    expect(top).toMatchObject({ document: 'multi_page.pdf', place: expect.stringMatching(/^p\. 1\b/) });
    expect(top!.quote).toContain('Christopher Latham Sholes');
  });

  test('summarize_document: the document’s own sentences under its headings, each with document, place and quote', {
    timeout: 60_000,
  }, async () => {
    type Summary = {
      document: string;
      words: number;
      sections: { headings: string[]; sentences: McpPassage[] }[];
    };
    const short = await call<Summary>('summarize_document', { document: 'war-and-peace-1p.txt', length: 'short' });
    const long = await call<Summary>('summarize_document', { document: 'war-and-peace-1p.txt', length: 'long' });
    expect(short.document).toBe('war-and-peace-1p.txt');
    expect(short.words).toBeGreaterThan(20);
    expect(long.words).toBeGreaterThan(short.words);
    for (const summary of [short, long])
      for (const section of summary.sections)
        for (const s of section.sentences) {
          expect(s.document).toBe('war-and-peace-1p.txt');
          // Each sentence is quoted from the passage it names, as get_passage returns it (a quote's
          // cuts are shown as "…": each piece between them is the passage's).
          const from = await call<McpPassage>('get_passage', { document: s.document, index: s.index });
          const piece = s.quote.split('…').find((x) => x.trim().length >= 20) ?? s.quote;
          expect(from.quote.replace(/\s+/g, ' ')).toContain(piece.replace(/\s+/g, ' ').trim().slice(0, 40));
        }
    const pdf = await call<Summary>('summarize_document', { document: 'multi_page.pdf' });
    const sentences = pdf.sections.flatMap((s) => s.sentences);
    expect(sentences.length).toBeGreaterThan(0);
    for (const s of sentences) expect(s.place).toMatch(/^pp?\. \d/);
    const err = await refusal(client.callTool({ name: 'summarize_document', arguments: { document: 'nope.pdf' } }));
    expect(err).toBeInstanceOf(McpError);
    expect(err!.code).toBe(ErrorCode.InvalidParams);
    expect(err!.message).toMatch(/no document named “nope\.pdf”.*“multi_page\.pdf”.*“war-and-peace-1p\.txt”/);
  });

  test('with a model server: ask’s written answer equals `folio ask --json --server`’s; a stopped server is named', {
    timeout: 300_000,
  }, async () => {
    const llama = await startLlamaServer(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
    let written: Client | undefined;
    try {
      const notes = path.join(tmp, 'notes');
      fs.mkdirSync(notes);
      fs.writeFileSync(
        path.join(notes, 'typewriter.txt'),
        'Christopher Latham Sholes patented the typewriter in 1868. It had a keyboard.',
      );
      tiny = path.join(tmp, 'notes.folio');
      expect((await runFolio('index', notes, '--out', tiny)).code).toBe(0);
      const options = ['--server', llama.url, '--server-model', 'stories260K'];
      written = await connect(tiny, ...options);
      const question = 'Who patented the typewriter?';
      const cli = await askJson(question, 4, ...options);
      expect(cli.kind).toBe('lookup');
      const w = cli.kind === 'table' ? undefined : cli.written;
      expect(w).toMatchObject({ server: llama.url, model: 'stories260K' });
      // The model's own text is the answer, split into sentences each checked against the note:
      // a 260K-parameter story model writes stories, which the note does not back.
      expect(w!.text.length).toBeGreaterThan(20);
      expect(cli.answer).toContain(w!.text);
      expect(w!.sentences.length).toBeGreaterThan(1);
      expect(w!.sentences.length).toBe(w!.total);
      expect(w!.sentences.filter((s) => s.supported)).toHaveLength(w!.supported);
      for (const s of w!.sentences) expect(w!.text.replace(/\s+/g, ' ')).toContain(s.text.replace(/\s+/g, ' '));
      expect(await call<AskResult>('ask', { question, k: 4 }, written)).toEqual(cli);

      await llama.stop();
      const err = await refusal(written.callTool({ name: 'ask', arguments: { question } }));
      expect(err).toBeInstanceOf(McpError);
      expect(err!.code).toBe(ErrorCode.InternalError);
      expect(err!.message).toContain(llama.url);
      // Still serving what needs no model server.
      expect(
        (await call<{ passages: McpPassage[] }>('search', { query: 'ducks', k: 1 }, written)).passages,
      ).toHaveLength(1);
      const r = await runFolio('ask', tiny, question, ...options);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^folio: Nothing answers at ${llama.url.replace(/[.]/g, '\\.')}\\.`));
    } finally {
      await written?.close();
      await llama.stop();
    }
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
    await refused(
      'get_passage',
      { document: 'missing.pdf', index: 0 },
      /no document named “missing\.pdf” in the library; it has “/,
    );
    await refused('get_passage', { document: 'multi_page.pdf', index: 999 }, /there is no 999/);
    await refused('get_passage', { document: 'multi_page.pdf', index: -1 }, /“index” must be a whole number from 0/);
    await refused('summarise', {}, /no tool named “summarise”/);
    await refused(
      'summarize_document',
      { document: 'multi_page.pdf', length: 'brief' },
      /“length” must be one of short, medium, long/,
    );
    await refused('ask', { question: 'ducks', collection: 'Nope' }, /no collection named “Nope”/);
    // Still answering after all that.
    expect((await call<{ passages: McpPassage[] }>('search', { query: 'ducks', k: 1 })).passages).toHaveLength(1);
    expect(stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  });

  test('a file that is not a library is refused before the server starts, with its name; so is --server alone', async () => {
    const notLibrary = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notLibrary, 'just some notes');
    const r = await runFolio('mcp', notLibrary);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt is not a Folio library file/);
    expect(r.stdout).toBe('');
    // An address without the model to use on it is a usage error, for both commands.
    for (const command of ['mcp', 'ask'] as const) {
      const u = await runFolio(
        command,
        file,
        ...(command === 'ask' ? ['ducks'] : []),
        '--server',
        'http://localhost:1234',
      );
      expect(u.code).toBe(2);
      expect(u.stderr).toMatch(/--server http:\/\/localhost:1234 needs --server-model <name>/);
    }
  });
});
