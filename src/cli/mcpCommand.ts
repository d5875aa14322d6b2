import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type Embedder,
  type Library,
  LocalServerError,
  type LocalServerGenerator,
  SEARCH_DEFAULTS,
  type SearchMode,
  type SourceLocation,
  SUMMARY_WORDS,
  type SummaryLength,
  summarisePassages,
} from '../core';
import { answerQuestion, askLibrary, connectServer, describeLocation, type ModelServer } from './askCommand';
import { dropLibrary, libraryModel, openLibraryFile } from './libraryFile';
import { loadEmbedder } from './models';

/**
 * `folio mcp <library.folio>`: the library as a Model Context Protocol server on stdin/stdout, so
 * an assistant (Claude Desktop, LM Studio, Cursor, Zed…) can search it. The file is opened once,
 * as `folio ask` opens it, and stays in memory for the server's life; nothing is written to it.
 * Every passage returned names its document, its place in it and its text (the quote).
 */

const MAX_K = 50;
const MODES: SearchMode[] = ['hybrid', 'dense', 'keyword'];

/** One passage as every tool returns it. */
export interface McpPassage {
  document: string;
  documentId: string;
  /** Where in the document, as a person cites it ("p. 3, Methods › Samples"); '' when it has no pages or headings. */
  place: string;
  quote: string;
  /** The passage's position in its document (0-based), for get_passage. */
  index: number;
  location: SourceLocation;
  score?: number;
}

const collectionArg = {
  type: 'string',
  description: 'Only search the documents of this collection (its name as shown in Folio, or its id).',
};
const kArg = { type: 'integer', minimum: 1, maximum: MAX_K, description: 'How many passages (default 5).' };

export const TOOLS: Tool[] = [
  {
    name: 'search',
    description:
      "Searches the user's Folio document library and returns the best-matching passages, best first, each with its document, its place in it (page, headings), its score and its text.",
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for, in words.' },
        k: kArg,
        collection: collectionArg,
        mode: {
          type: 'string',
          enum: MODES,
          description: 'hybrid (default: meaning and keywords), dense (meaning) or keyword.',
        },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'ask',
    description:
      "Answers a question from the user's Folio library exactly as `folio ask --json` does: a lookup from its best passages (written by the model server Folio was started with, each sentence checked, or else the passage sentence that answers it); a summary, list, count or comparison from every passage in scope; a table question computed. Every citation has its document, place and quote; `passages` lists the best passages.",
    inputSchema: {
      type: 'object',
      properties: {
        question: { type: 'string' },
        k: { ...kArg, description: `How many passages (default ${SEARCH_DEFAULTS.k.hits}).` },
        collection: collectionArg,
      },
      required: ['question'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'get_passage',
    description:
      'One passage of a document by its position (as given by search or ask), with its neighbours available at index-1 and index+1.',
    inputSchema: {
      type: 'object',
      properties: {
        document: { type: 'string', description: "The document's name (as returned by the other tools) or id." },
        index: { type: 'integer', minimum: 0, description: "The passage's position in the document, from 0." },
      },
      required: ['document', 'index'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'summarize_document',
    description:
      "An extractive summary of one document: its most telling sentences, quoted (citations and figure pointers cut, each cut shown as …), grouped under the document's headings, each with its document, place and quote (and the passage index for get_passage).",
    inputSchema: {
      type: 'object',
      properties: {
        document: { type: 'string', description: "The document's name (as list_documents gives it) or id." },
        length: {
          type: 'string',
          enum: Object.keys(SUMMARY_WORDS),
          description: `short (about ${SUMMARY_WORDS.short} words), medium (default, ${SUMMARY_WORDS.medium}) or long (${SUMMARY_WORDS.long}).`,
        },
      },
      required: ['document'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'list_documents',
    description: 'The documents in the library (or in one collection): name, type, pages, passages, collections.',
    inputSchema: {
      type: 'object',
      properties: { collection: collectionArg },
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
];

type Args = Record<string, unknown>;

const bad = (message: string) => new McpError(ErrorCode.InvalidParams, message);

/** Checks a call's arguments against its tool's schema by hand: each refusal says which argument and why. */
function checkArgs(tool: Tool, args: Args): void {
  const schema = tool.inputSchema as {
    properties: Record<string, { type: string; minimum?: number; maximum?: number; enum?: string[] }>;
    required?: string[];
  };
  for (const name of schema.required ?? [])
    if (args[name] === undefined) throw bad(`${tool.name} needs the argument “${name}”`);
  for (const [name, value] of Object.entries(args)) {
    const spec = schema.properties[name];
    if (!spec)
      throw bad(
        `${tool.name} has no argument “${name}”; its arguments are ${Object.keys(schema.properties).join(', ')}`,
      );
    if (spec.type === 'string') {
      if (typeof value !== 'string' || !value.trim())
        throw bad(`${tool.name}: “${name}” must be a non-empty string, not ${JSON.stringify(value)}`);
      if (spec.enum && !spec.enum.includes(value))
        throw bad(`${tool.name}: “${name}” must be one of ${spec.enum.join(', ')}, not “${value}”`);
    } else if (spec.type === 'integer') {
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        (spec.minimum !== undefined && value < spec.minimum) ||
        (spec.maximum !== undefined && value > spec.maximum)
      )
        throw bad(
          `${tool.name}: “${name}” must be a whole number${spec.minimum !== undefined ? ` from ${spec.minimum}` : ''}${spec.maximum !== undefined ? ` to ${spec.maximum}` : ''}, not ${JSON.stringify(value)}`,
        );
    }
  }
}

/** The tools over one open library. */
export class LibraryTools {
  private generator: Promise<LocalServerGenerator> | undefined;

  constructor(
    private readonly library: Library,
    private readonly embedder: Embedder,
    private readonly opened: { file: string; documents: number },
    private readonly server?: ModelServer,
  ) {}

  /**
   * The model server, connected at the first ask and kept; a failure is said to that call (naming
   * the address) and the next ask tries again, since the person may start the server meanwhile.
   */
  private async writer(): Promise<LocalServerGenerator | undefined> {
    if (!this.server) return undefined;
    this.generator ??= connectServer(this.server);
    try {
      return await this.generator;
    } catch (err) {
      this.generator = undefined;
      // Not the arguments' fault: the server the assistant was set up with is not there (or lacks the model).
      throw new McpError(ErrorCode.InternalError, err instanceof Error ? err.message : String(err));
    }
  }

  async dispose(): Promise<void> {
    await (await this.generator?.catch(() => undefined))?.dispose();
  }

  async call(name: string, args: Args = {}): Promise<object> {
    const tool = TOOLS.find((t) => t.name === name);
    if (!tool) throw bad(`no tool named “${name}”; the tools are ${TOOLS.map((t) => t.name).join(', ')}`);
    checkArgs(tool, args);
    const k = (args.k as number | undefined) ?? 5;
    switch (name) {
      case 'search': {
        const query = args.query as string;
        const hits = await askLibrary(this.library, {
          question: query,
          k,
          mode: (args.mode as SearchMode | undefined) ?? 'hybrid',
          ...(await this.collections(args.collection)),
        });
        return { query, passages: await this.passages(hits) };
      }
      case 'ask': {
        const { collections } = await this.collections(args.collection);
        const generator = await this.writer();
        return answerQuestion(this.library, this.embedder, {
          file: this.opened.file,
          documents: this.opened.documents,
          question: args.question as string,
          k: (args.k as number | undefined) ?? SEARCH_DEFAULTS.k.hits,
          mode: SEARCH_DEFAULTS.mode,
          ...(collections ? { collections } : {}),
          ...(generator ? { generator } : {}),
        }).catch((err: unknown) => {
          // The server stopped since it was connected: said as the connection's failure is, and reconnected next time.
          if (!(err instanceof LocalServerError)) throw err;
          this.generator = undefined;
          throw new McpError(ErrorCode.InternalError, err.message);
        });
      }
      case 'summarize_document': {
        const doc = await this.document(args.document as string);
        const length = (args.length as SummaryLength | undefined) ?? 'medium';
        const chunks = await this.library.getChunks(doc.id);
        const summary = await summarisePassages(chunks, {
          words: SUMMARY_WORDS[length],
          ...(doc.title ? { title: doc.title } : {}),
        });
        return {
          document: doc.name,
          documentId: doc.id,
          length,
          words: summary.words,
          read: summary.read,
          sections: summary.sections.map((section) => ({
            headings: section.headings,
            sentences: section.sentences.map((x) => passage(doc, chunks[x.passage]!.index, x.text, x.location)),
          })),
        };
      }
      case 'get_passage': {
        const doc = await this.document(args.document as string);
        const index = args.index as number;
        const chunk = (await this.library.getChunks(doc.id)).find((c) => c.index === index);
        if (!chunk)
          throw bad(
            `“${doc.name}” has ${doc.chunkCount} passages, numbered 0 to ${doc.chunkCount - 1}; there is no ${index}`,
          );
        return { ...passage(doc, chunk.index, chunk.text, chunk.location), of: doc.chunkCount };
      }
      default: {
        const { collections } = await this.collections(args.collection);
        const named = new Map((await this.library.listCollections()).map((c) => [c.id, c.name]));
        const docs = (await this.library.listDocuments())
          .filter((d) => !collections || d.collections?.some((c) => collections.includes(c)))
          .sort((a, b) => a.name.localeCompare(b.name));
        return {
          documents: docs.map((d) => ({
            document: d.name,
            documentId: d.id,
            type: d.type,
            ...(d.title ? { title: d.title } : {}),
            ...(d.pageCount ? { pages: d.pageCount } : {}),
            passages: d.chunkCount,
            collections: (d.collections ?? []).map((c) => named.get(c) ?? c),
          })),
        };
      }
    }
  }

  private async passages(hits: Awaited<ReturnType<typeof askLibrary>>): Promise<McpPassage[]> {
    const ids = new Map((await this.library.listDocuments()).map((d) => [d.name, d.id]));
    return hits.map((h) => ({
      ...passage({ name: h.docName, id: ids.get(h.docName) ?? '' }, h.chunkIndex, h.text, h.location),
      score: h.score,
    }));
  }

  private async collections(name: unknown): Promise<{ collections?: string[] }> {
    if (name === undefined) return {};
    const all = await this.library.listCollections();
    const found =
      all.find((c) => c.id === name || c.name === name) ??
      all.find((c) => c.name.toLowerCase() === String(name).toLowerCase());
    if (!found)
      throw bad(
        all.length
          ? `no collection named “${name}”; the library's collections are ${all.map((c) => `“${c.name}”`).join(', ')}`
          : `no collection named “${name}”: this library has no collections`,
      );
    return { collections: [found.id] };
  }

  private async document(nameOrId: string) {
    const docs = await this.library.listDocuments();
    const doc = docs.find((d) => d.id === nameOrId) ?? docs.find((d) => d.name === nameOrId);
    if (!doc)
      throw bad(
        `no document named “${nameOrId}” in the library; it has ${docs
          .map((d) => `“${d.name}”`)
          .sort()
          .join(', ')}`,
      );
    return doc;
  }
}

function passage(doc: { name: string; id: string }, index: number, text: string, location: SourceLocation): McpPassage {
  return { document: doc.name, documentId: doc.id, place: describeLocation(location), quote: text, index, location };
}

/**
 * Runs the server until its client closes stdin. The protocol owns stdout, so anything a library
 * prints there (transformers.js warns on console) goes to stderr instead. The file is checked
 * before the server starts, so a wrong path fails at once with its reason; the model and the
 * library load while the client initialises, and calls wait for them.
 */
export async function mcpCommand(file: string, modelServer?: ModelServer): Promise<void> {
  console.log = console.info = console.warn = console.debug = console.error;
  const model = await libraryModel(file);
  const opened = (async () => {
    const embedder: Embedder = await loadEmbedder(model);
    const { library, name, documents } = await openLibraryFile(file, embedder);
    process.stderr.write(
      `folio mcp: ${file}: ${documents} documents, ready${modelServer ? `; ask writes with ${modelServer.model} at ${modelServer.url}` : ''}\n`,
    );
    return { embedder, library, name, tools: new LibraryTools(library, embedder, { file, documents }, modelServer) };
  })();
  // A file that cannot be opened fails each call with its reason, not the process mid-handshake.
  opened.catch((err) => process.stderr.write(`folio mcp: ${err instanceof Error ? err.message : String(err)}\n`));

  const server = new Server(
    { name: 'folio', version: '0.1.0' },
    {
      capabilities: { tools: {} },
      instructions: `Search the user's own documents (the Folio library ${file}). Cite the document and place of every passage you use.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { tools } = await opened;
    const result = await tools.call(request.params.name, request.params.arguments);
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result as Args };
  });
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  // The client ends the session by closing our stdin; the transport itself does not watch for that.
  process.stdin.once('end', () => void server.close());
  await closed;
  const { embedder, library, name, tools } = await opened.catch(() => ({}) as Partial<Awaited<typeof opened>>);
  await tools?.dispose();
  if (library && name) await dropLibrary(library, name);
  await embedder?.dispose();
}
