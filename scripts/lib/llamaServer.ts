/**
 * A real local model server for tests: llama.cpp (through node-llama-cpp's prebuilt binaries) with
 * a GGUF file, serving the OpenAI-compatible API the way llama-server, Ollama and LM Studio do
 * (GET /v1/models; POST /v1/chat/completions, streamed as server-sent events, with usage). It
 * renders the messages as the plain transcript, as Folio's in-page llama.cpp engine does for a
 * model without a chat template, and decodes greedily at temperature 0.
 *
 * Run in a child process (startLlamaServer), so a test can kill it mid-answer:
 *   tsx scripts/lib/llamaServer.ts <model.gguf> [--cors none|*|<origin>] [--token-delay-ms N]
 * `--cors none` answers without any Access-Control-Allow-Origin (Ollama with the page's origin
 * not in OLLAMA_ORIGINS refuses the preflight with 403 the same way). `--token-delay-ms` paces the
 * tokens like a bigger model would, so a test can act between them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { plainTranscript, type ChatMessage } from '../../src/core';

export interface LlamaServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const HERE = import.meta.filename;

/** Starts the server in a child process and resolves once it listens. */
export function startLlamaServer(
  model: string,
  opts: { cors?: string; tokenDelayMs?: number } = {},
): Promise<LlamaServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HERE, model, '--cors', opts.cors ?? '*', '--token-delay-ms', String(opts.tokenDelayMs ?? 0)],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(path.dirname(HERE), '../..') },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening (http:\/\/\S+)/.exec(String(d));
      if (m)
        resolve({
          url: m[1]!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`the llama.cpp test server exited (${code}): ${err.slice(-2000)}`)));
  });
}

async function serve(modelPath: string, cors: string, tokenDelayMs: number): Promise<void> {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath });
  // One thread: on a busy machine llama.cpp's threads wait for each other (seconds a token here);
  // a 260K-parameter model needs no more.
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  const sequence = context.getSequence();
  const id = path.basename(modelPath).replace(/(-f32|-q8_0)?\.gguf$/, '');
  let busy: Promise<void> = Promise.resolve();

  const allowed = (origin: string | undefined) => !origin || cors === '*' || cors === origin;
  const server = http.createServer(async (req, res) => {
    const origin = req.headers.origin;
    if (origin && allowed(origin)) {
      res.setHeader('Access-Control-Allow-Origin', cors === '*' ? '*' : origin);
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(allowed(origin) ? 204 : 403).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id, object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: context.contextSize } }],
        }),
      );
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Not found' } }));
      return;
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as {
      model: string;
      messages: ChatMessage[];
      max_tokens?: number;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    if (body.model !== id) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `model '${body.model}' not found` } }));
      return;
    }
    // One answer at a time, as llama-server with one slot.
    const previous = busy;
    let release!: () => void;
    busy = new Promise((r) => (release = r));
    await previous;
    let gone = false;
    res.on('close', () => (gone = true));
    try {
      await sequence.clearHistory();
      const prompt = [model.tokens.bos!, ...model.tokenize(plainTranscript(body.messages))];
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (o: object) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      const chunk = (delta: object, finish: string | null) =>
        send({
          id: 'chatcmpl-test',
          object: 'chat.completion.chunk',
          model: id,
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      const max = Math.min(body.max_tokens ?? 256, context.contextSize - prompt.length);
      const out: typeof prompt = [];
      let text = '';
      let finish = 'length';
      for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
        if (gone) break;
        if (token === model.tokens.eos) {
          finish = 'stop';
          break;
        }
        out.push(token);
        // Whole text each time, sent as what is new: a multi-byte character spans tokens.
        const next = model.detokenize(out);
        const stopAt = next.indexOf('\nUser:');
        if (stopAt >= 0) {
          if (stopAt > text.length) chunk({ content: next.slice(text.length, stopAt) }, null);
          finish = 'stop';
          break;
        }
        if (next.length > text.length && !next.endsWith('\uFFFD')) {
          chunk({ content: next.slice(text.length) }, null);
          text = next;
        }
        if (out.length >= max) break;
        if (tokenDelayMs) await new Promise((r) => setTimeout(r, tokenDelayMs));
      }
      if (!gone) {
        chunk({}, finish);
        if (body.stream_options?.include_usage)
          send({
            id: 'chatcmpl-test',
            object: 'chat.completion.chunk',
            model: id,
            choices: [],
            usage: {
              prompt_tokens: prompt.length,
              completion_tokens: out.length,
              total_tokens: prompt.length + out.length,
            },
          });
        res.end('data: [DONE]\n\n');
      }
    } finally {
      release();
    }
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`listening http://127.0.0.1:${port}\n`);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  const [modelPath, ...rest] = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1]! : fallback;
  };
  await serve(path.resolve(modelPath!), flag('--cors', '*'), Number(flag('--token-delay-ms', '0')));
}
