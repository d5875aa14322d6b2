import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatMessage = { role: string; content: string };

/**
 * A model server on this computer speaking the OpenAI-compatible API (GET /v1/models; POST
 * /v1/chat/completions streamed as server-sent events) whose one model writes what the test
 * scripts: `reply` gets each request's messages and a promise that settles if the page gives up on
 * the request; it returns the text to stream, or null to send nothing (the page is gone).
 */
export async function scriptedModelServer(
  model: string,
  reply: (messages: ChatMessage[], gone: Promise<void>) => string | null | Promise<string | null>,
) {
  const server = http.createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.url === '/v1/models')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', meta: { n_ctx_train: 8192 } }] }));
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const { messages } = JSON.parse(raw) as { messages: ChatMessage[] };
    const gone = new Promise<void>((r) => res.on('close', () => r()));
    const text = await reply(messages, gone);
    if (text === null) return;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (o: object) => res.write(`data: ${JSON.stringify(o)}\n\n`);
    send({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
