/**
 * `folio`: the app's core on the command line (Node, native ONNX Runtime).
 *
 *   folio index <folder|file>... --out library.folio
 *   folio ask library.folio "question" [--json] [--k N] [--collection name] [--server URL --server-model M]
 *   folio index <folder> --shard i/N --out part-i.folio;  folio merge part-*.folio --out library.folio
 *   folio mcp library.folio [--server URL --server-model M]
 *   folio eval <beir-folder> [...]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_LOCAL_SERVER,
  DEFAULT_MAX_FILE_BYTES,
  formatBytes,
  SEARCH_DEFAULTS,
  type SearchMode,
} from '../core';
import { askCommand, formatAnswer, type ModelServer } from './askCommand';
import { mcpCommand } from './mcpCommand';
import { indexCommand, UsageError, type IndexSummary } from './indexCommand';
import { duration } from './progress';
import { mergeCommand, parseShard, type MergeSummary } from './shards';

const HELP = `folio — private document search, on the command line

  folio index <folder|file>... --out <library.folio>
      Indexes documents (PDF, Word, HTML, Markdown, text) into one library file, which the app
      opens with "Restore from backup". Folders are read recursively; hidden and system files are
      left out. Ctrl-C stops; the same command continues where it stopped.
        --out <file>        the library file to write (required)
        --model <id>        embedding model (default ${DEFAULT_EMBEDDING_MODEL.id})
        --batch <n>         files indexed and saved together (default 64); an interruption
                            loses at most one batch
        --chunk <tokens>    passage size (default 240); --overlap <tokens> (default 32)
        --max-file-mb <n>   larger files are refused (default ${DEFAULT_MAX_FILE_BYTES / 2 ** 20})
        --restart           forget an interrupted earlier run and start over
        --shard <i/N>       index only the i-th of N shares of the files (by a hash of each
                            file's path in the folder, so adding files moves no other file);
                            run the N shares anywhere, then join them with folio merge
        --json              print the summary as one JSON object

  folio merge <part.folio>... --out <library.folio>
      Joins the N parts of a sharded index into the library one run would have made. Refuses a
      missing part, and parts made with another model or other settings, naming them.
        --json              print the summary as one JSON object

  folio ask <library.folio> "<question>"
      The passages that best answer the question, best first, with document, location, score;
      a summary, list, count or comparison is answered from every passage in scope, and a count,
      total, average, highest/lowest or lookup over a table (CSV, sheet, document table) is
      computed exactly instead, with the computation in words.
        --k <n>             how many passages (default ${SEARCH_DEFAULTS.k.hits})
        --mode <m>          hybrid (default), dense or keyword
        --collection <c>    only documents in this collection (its name or id); repeat it
                            for several
        --server-model <m>  write the answer with this model of a model server on this computer
                            (Ollama, LM Studio, llama-server, Jan, vLLM: the OpenAI-compatible
                            API); each written sentence is checked against the passages
        --server <address>  that server's address (default ${DEFAULT_LOCAL_SERVER})
        --json              one JSON object: {kind, answer, citations, passages, and for lists
                            and counts items, count, scanned; for a table value, computation, query;
                            with a server, written: its text and each sentence checked}

  folio mcp <library.folio>
      Serves the library to an assistant (Claude Desktop, LM Studio, Cursor, Zed…) as a Model
      Context Protocol server on stdin/stdout, with the tools search, ask (what folio ask --json
      prints), get_passage, list_documents and summarize_document. Nothing is written to the
      file. See docs/ecosystem.md for the settings.
        --server-model <m>, --server <address>   ask writes its answers with that model server,
                            as folio ask does

  folio eval <beir-folder> [--mode dense|bm25|hybrid] [--k 10] [...]
      Retrieval quality on a BEIR-layout folder: the same as \`npm run eval\`.

Models: FOLIO_MODELS=<folder> reads them from a folder in the Hugging Face hub's layout
(<org>/<model>/...) and never contacts the hub; without it they are downloaded from the hub once.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'index':
        return await runIndex(rest);
      case 'ask':
        return await runAsk(rest);
      case 'merge':
        return await runMerge(rest);
      case 'mcp':
        return await runMcp(rest);
      case 'eval':
        // Loaded only when asked for: it brings the BEIR reader and scoring.
        return await (await import('./evalCommand')).runEval(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return command ? 0 : 2;
      default:
        throw new UsageError(`unknown command “${command}”`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(
        `folio: ${(err as Error).message}\n\nRun \`folio help\` for the commands and their options.\n`,
      );
      return 2;
    }
    process.stderr.write(`folio: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, not “${value}”`);
  return n;
}

async function runIndex(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      model: { type: 'string' },
      batch: { type: 'string' },
      chunk: { type: 'string' },
      overlap: { type: 'string' },
      'max-file-mb': { type: 'string' },
      restart: { type: 'boolean' },
      shard: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!positionals.length) throw new UsageError('index needs at least one folder or file');
  if (!values.out) throw new UsageError('index needs --out <library.folio>');
  const maxFileMb = values['max-file-mb'] === undefined ? undefined : Number(values['max-file-mb']);
  if (maxFileMb !== undefined && !(maxFileMb > 0))
    throw new UsageError(`--max-file-mb must be a positive number, not “${values['max-file-mb']}”`);
  const overlap = values.overlap === undefined ? undefined : Number(values.overlap);
  if (overlap !== undefined && !(Number.isInteger(overlap) && overlap >= 0))
    throw new UsageError(`--overlap must be a whole number, not “${values.overlap}”`);

  // Ctrl-C: stop after the batch being embedded is dropped (what is saved stays saved); a second
  // Ctrl-C quits at once.
  const controller = new AbortController();
  let interrupts = 0;
  const stop = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping… (Ctrl-C again to quit at once)\n');
    controller.abort(new DOMException('Stopped by the user', 'AbortError'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const summary = await indexCommand(
      {
        inputs: positionals,
        out: values.out,
        model: values.model ?? DEFAULT_EMBEDDING_MODEL.id,
        batch: positiveInt(values.batch, 'batch', 64),
        maxFileBytes: maxFileMb !== undefined ? Math.round(maxFileMb * 2 ** 20) : DEFAULT_MAX_FILE_BYTES,
        ...(values.chunk !== undefined ? { maxTokens: positiveInt(values.chunk, 'chunk', 0) } : {}),
        ...(overlap !== undefined ? { overlapTokens: overlap } : {}),
        ...(values.restart ? { restart: true } : {}),
        ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
      },
      { stderr: process.stderr, signal: controller.signal },
    );
    if (summary === 'stopped') return 130;
    process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : describeIndex(summary));
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function describeIndex(s: IndexSummary): string {
  const lines = [
    `${shown(s.out)}${s.shard ? ` (part ${s.shard.index} of ${s.shard.count})` : ''}: ${s.documents} documents, ${s.chunks.toLocaleString('en')} passages, ${formatBytes(s.bytes)} (${s.model})`,
  ];
  const run = s.thisRun;
  lines.push(
    `This run: ${run.files.length} documents, ${run.chunks.toLocaleString('en')} passages in ${duration(run.indexSeconds)} (${run.chunksPerSecond} chunks/s; model loaded in ${s.modelLoadSeconds} s; ${duration(s.totalSeconds)} in all)`,
  );
  if (s.resumed)
    lines.push(`${s.resumed} files were already done by an interrupted earlier run and were not read again.`);
  return `${[...lines, ...describeOutcomes(s)].join('\n')}\n`;
}

/** Files that did not become documents of their own, as `folio index` and `folio merge` report them. */
function describeOutcomes(s: Pick<IndexSummary, 'duplicates' | 'failed'>): string[] {
  const lines: string[] = [];
  if (s.duplicates.length)
    lines.push(
      `${s.duplicates.length} ${s.duplicates.length === 1 ? 'file has' : 'files have'} the same content as a document already in the library:`,
      ...s.duplicates.map((d) => `  ${d.file} = ${d.of}`),
    );
  if (s.failed.length)
    lines.push(
      `${s.failed.length} ${s.failed.length === 1 ? 'file' : 'files'} could not be indexed:`,
      ...s.failed.map((f) => `  ${f.file}: ${f.reason}`),
    );
  return lines;
}

async function runAsk(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      k: { type: 'string' },
      mode: { type: 'string' },
      collection: { type: 'string', multiple: true },
      ...SERVER_OPTIONS,
    },
  });
  const [file, ...words] = positionals;
  if (!file || !words.length)
    throw new UsageError('ask needs a library file and a question: folio ask library.folio "question"');
  const mode = (values.mode ?? SEARCH_DEFAULTS.mode) as SearchMode;
  if (!['hybrid', 'dense', 'keyword'].includes(mode))
    throw new UsageError(`--mode must be hybrid, dense or keyword, not “${values.mode}”`);
  const result = await askCommand({
    file,
    question: words.join(' '),
    k: positiveInt(values.k, 'k', SEARCH_DEFAULTS.k.hits),
    mode,
    ...(values.collection ? { collections: values.collection } : {}),
    ...modelServer(values),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatAnswer(result));
  return 0;
}

async function runMcp(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: SERVER_OPTIONS });
  if (positionals.length !== 1) throw new UsageError('mcp needs one library file: folio mcp library.folio');
  await mcpCommand(positionals[0]!, modelServer(values).server);
  return 0;
}

const SERVER_OPTIONS = { server: { type: 'string' }, 'server-model': { type: 'string' } } as const;

/** `--server <address> --server-model <name>`: the model is what picks a server; the address defaults to Ollama's. */
function modelServer(values: { server?: string; 'server-model'?: string }): { server?: ModelServer } {
  const model = values['server-model'];
  if (!model) {
    if (values.server)
      throw new UsageError(`--server ${values.server} needs --server-model <name>: the model on it to answer with`);
    return {};
  }
  return { server: { url: values.server ?? DEFAULT_LOCAL_SERVER, model } };
}

async function runMerge(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
  });
  if (!positionals.length)
    throw new UsageError('merge needs the part files: folio merge part-*.folio --out library.folio');
  if (!values.out) throw new UsageError('merge needs --out <library.folio>');
  const summary = await mergeCommand({ parts: positionals, out: values.out });
  process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : describeMerge(summary));
  return 0;
}

function describeMerge(s: MergeSummary): string {
  return `${[
    `${shown(s.out)}: ${s.documents} documents, ${s.chunks.toLocaleString('en')} passages, ${formatBytes(s.bytes)} (${s.model}), from ${s.parts} parts in ${duration(s.seconds)}`,
    ...describeOutcomes(s),
  ].join('\n')}\n`;
}
