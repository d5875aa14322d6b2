/**
 * "A model server on this computer": any server speaking the OpenAI-compatible chat API (Ollama,
 * LM Studio, llama.cpp's llama-server, Jan, vLLM) behind the Generator interface. The page talks
 * to it directly with fetch: only to the address the person added (loopback, as the page's
 * Content-Security-Policy allows nothing else), sending the question, the conversation and the
 * passages the answer pipeline chose, nothing more.
 */
import { type LinkedAbort, linkedAbort } from '../abort';
import { EngineError } from './engineErrors';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from './generator';

/** Where the common servers listen by default: the menu's one-click presets. */
export const LOCAL_SERVER_PRESETS = [
  { name: 'Ollama', baseUrl: 'http://localhost:11434' },
  { name: 'LM Studio', baseUrl: 'http://localhost:1234' },
  { name: 'llama.cpp (llama-server)', baseUrl: 'http://localhost:8080' },
  { name: 'Jan', baseUrl: 'http://localhost:1337' },
  { name: 'vLLM', baseUrl: 'http://localhost:8000' },
] as const;

export const DEFAULT_LOCAL_SERVER = LOCAL_SERVER_PRESETS[0].baseUrl;

/**
 * Characters per token assumed before the server has counted any: English runs about 4, code and
 * other scripts fewer; 3 over-counts most text by a third, a margin the context budget can afford.
 */
const CHARS_PER_TOKEN_GUESS = 3;
/** Kept back from a measured ratio: the next text may tokenise less well than the last. */
const MEASURED_MARGIN = 1.15;
/** The context assumed when the server does not say (every server above runs at least this). */
const DEFAULT_CONTEXT = 4096;

export interface ServerModel {
  id: string;
  /** Tokens of context, when the server says (vLLM, llama-server, LM Studio do; Ollama does not here). */
  contextWindow?: number;
}

export interface LocalServerOptions {
  /** e.g. http://localhost:11434 (a trailing /v1 is accepted). */
  baseUrl: string;
  model: string;
  /** Overrides what the server reports (or the 4,096 assumed when it reports nothing). */
  contextWindow?: number;
  /** The page's origin, for the CORS advice (default: location.origin where there is one). */
  origin?: string;
  fetch?: typeof fetch;
}

export type LocalServerErrorCode =
  | 'not-running'
  | 'cors-refused'
  | 'network-denied'
  | 'no-such-model'
  | 'server-error'
  | 'dropped';

/** A failure of the local server, as a sentence; `code` for the menu, `partial` the answer so far. */
export class LocalServerError extends EngineError {
  constructor(
    readonly reason: LocalServerErrorCode,
    message: string,
    options?: { cause?: unknown; partial?: string },
  ) {
    super(
      reason === 'dropped' ? 'host-unreachable' : reason === 'no-such-model' ? 'not-found' : 'unavailable',
      message,
      options,
    );
    this.partial = options?.partial ?? '';
  }
  readonly partial: string;
}

/** `http://localhost:11434/v1/` → `http://localhost:11434`. */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(input.trim()) ? input.trim() : `http://${input.trim()}`);
  } catch {
    throw new LocalServerError('not-running', `“${input}” is not an address. Give one like ${DEFAULT_LOCAL_SERVER}.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

const pageOrigin = () => (typeof location === 'undefined' ? undefined : location.origin);

/** What to change on the server so that it answers this page, for the servers that need it. */
export function corsAdvice(baseUrl: string, origin = pageOrigin() ?? 'this page’s address'): string {
  return [
    `The model server at ${baseUrl} is running but refuses requests from this page (${origin}).`,
    `Ollama: start it with OLLAMA_ORIGINS=${origin} (for example \`OLLAMA_ORIGINS=${origin} ollama serve\`; on macOS \`launchctl setenv OLLAMA_ORIGINS "${origin}"\`, on Windows a user environment variable OLLAMA_ORIGINS), then restart Ollama.`,
    'LM Studio: in Developer › Server Settings, turn on “Enable CORS”, then restart the server.',
    'llama.cpp’s llama-server and vLLM answer any page by default.',
  ].join(' ');
}

function notRunning(baseUrl: string, cause?: unknown, mayBeAsked = false): LocalServerError {
  return new LocalServerError(
    'not-running',
    `Nothing answers at ${baseUrl}. Start the model server (Ollama: \`ollama serve\`; LM Studio: Developer › Start Server; llama.cpp: \`llama-server -m model.gguf\`) or check the address; passages-only answers keep working.${mayBeAsked ? ` ${ALLOW_WHEN_ASKED}` : ''}`,
    { cause },
  );
}

/**
 * Chrome (from 142) asks before a page on a public address reaches servers on this computer
 * (Local Network Access: the 'loopback-network' permission from Chrome 145). Refused, every request
 * fails as if nothing listened, so the permission's state is asked before saying so. Never
 * 'local-network-access': querying that name crashes older Chrome's page.
 */
export async function loopbackPermission(): Promise<PermissionState | undefined> {
  if (typeof navigator === 'undefined' || !navigator.permissions?.query) return undefined;
  try {
    return (await navigator.permissions.query({ name: 'loopback-network' as PermissionName })).state;
  } catch {
    return undefined; // a browser without the permission: nothing to ask, nothing to refuse
  }
}

/** A page served from this computer reaches it without being asked (loopback to loopback). */
const servedFromThisComputer = (host: string) => /^(localhost|127(\.\d+){3}|\[::1\])$|\.localhost$/.test(host);

/** In a browser that asks (Chrome 142 on), for a page served from elsewhere: the request says it means this computer. */
function loopbackTarget(): { targetAddressSpace?: 'loopback' } {
  return typeof Request !== 'undefined' && 'targetAddressSpace' in Request.prototype
    ? { targetAddressSpace: 'loopback' }
    : {};
}

const ALLOW_WHEN_ASKED =
  'If Chrome asked whether this site may connect to devices and apps on your network, choose Allow and try again.';

/**
 * What the person will see, in one line, for the browser's local-network permission: before it
 * is asked ('prompt'), what to allow; after it was refused ('denied'), how to undo that. Nothing
 * where the browser does not ask, where the page is served from this computer, or once allowed.
 */
export function localNetworkLine(state: PermissionState | undefined, pageHost: string): string | undefined {
  if (!state || state === 'granted' || servedFromThisComputer(pageHost)) return undefined;
  return state === 'denied'
    ? 'Chrome blocks this site from reaching apps on this computer (you chose Block when it asked). To use a model server here, allow it: the icon left of the address › Site settings › Loopback network (older Chrome: Local network access) › Allow, then reload.'
    : 'Chrome will ask once whether this site may connect to devices and apps on your network: choose Allow. Folio still connects only to the address you give here.';
}

/** The line for this page now (see localNetworkLine). */
export async function localNetworkNote(): Promise<string | undefined> {
  if (typeof location === 'undefined') return undefined;
  return localNetworkLine(await loopbackPermission(), location.hostname);
}

/**
 * A fetch that failed before any HTTP answer: nothing listening, or (in a browser) a server that
 * answered without allowing this origin, which fetch reports the same way. A `no-cors` request
 * tells them apart: it succeeds (with an opaque answer) when something is listening.
 */
async function diagnose(baseUrl: string, doFetch: typeof fetch, origin: string | undefined, cause: unknown) {
  if (typeof window === 'undefined' && typeof WorkerGlobalScope === 'undefined') return notRunning(baseUrl, cause);
  const permission = await loopbackPermission();
  const asks = typeof location !== 'undefined' && !servedFromThisComputer(location.hostname);
  if (permission === 'denied' && asks)
    return new LocalServerError(
      'network-denied',
      `Chrome did not let this page reach ${baseUrl}: you chose Block when it asked whether this site may connect to devices and apps on your network. Allow it: the icon left of the address › Site settings › Loopback network (older Chrome: Local network access) › Allow, then reload; passages-only answers keep working.`,
      { cause },
    );
  const listening = await doFetch(`${baseUrl}/v1/models`, {
    mode: 'no-cors',
    cache: 'no-store',
    ...loopbackTarget(),
  }).then(
    () => true,
    () => false,
  );
  return listening
    ? new LocalServerError('cors-refused', corsAdvice(baseUrl, origin), { cause })
    : notRunning(baseUrl, cause, asks && permission === 'prompt');
}
declare const WorkerGlobalScope: unknown;

async function serverMessage(res: Response): Promise<string> {
  const body = await res.text().catch(() => '');
  try {
    const json = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    const m = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    if (m) return m;
  } catch {
    // not JSON: the text itself, if short enough to be a message
  }
  return body.length < 300 ? body.trim() : '';
}

/** The server's models (GET /v1/models), or a LocalServerError saying why there are none. */
export async function listServerModels(
  baseUrl: string,
  opts: { signal?: AbortSignal; origin?: string; fetch?: typeof fetch } = {},
): Promise<ServerModel[]> {
  const base = normalizeBaseUrl(baseUrl);
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(`${base}/v1/models`, { signal: opts.signal, cache: 'no-store', ...loopbackTarget() });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw await diagnose(base, doFetch, opts.origin, err);
  }
  if (!res.ok) {
    const said = await serverMessage(res);
    throw new LocalServerError(
      'server-error',
      `The server at ${base} does not offer the OpenAI-compatible API (GET /v1/models answered HTTP ${res.status}${said ? `: ${said}` : ''}). Check the address and port.`,
    );
  }
  const body = (await res.json().catch(() => undefined)) as
    | { data?: { id?: string; max_model_len?: number; max_context_length?: number; meta?: { n_ctx_train?: number } }[] }
    | undefined;
  if (!Array.isArray(body?.data))
    throw new LocalServerError(
      'server-error',
      `The server at ${base} answered GET /v1/models with something other than a model list. Check the address and port.`,
    );
  return body.data.flatMap((m) => {
    if (!m.id) return [];
    const context = m.max_model_len ?? m.max_context_length ?? m.meta?.n_ctx_train;
    return [{ id: m.id, ...(context ? { contextWindow: context } : {}) }];
  });
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

export class LocalServerGenerator implements Generator {
  readonly id: string;
  readonly contextWindow: number;
  /** The server's own token counts for the last answer, when it gave them. */
  lastUsage: { promptTokens: number; completionTokens: number } | undefined;
  /** Characters per token measured from the server's counts (undefined until it has given one). */
  private charsPerToken: number | undefined;
  private controller: LinkedAbort | undefined;
  private readonly doFetch: typeof fetch;

  constructor(
    readonly baseUrl: string,
    readonly model: string,
    contextWindow: number,
    private readonly origin?: string,
    doFetch?: typeof fetch,
  ) {
    this.id = `local-server:${baseUrl}#${model}`;
    this.contextWindow = contextWindow;
    this.doFetch = doFetch ?? fetch.bind(globalThis);
  }

  /**
   * An estimate that errs high: the server's own count per character once it has given one (with
   * a margin), else a third of the characters. Servers do not count tokens for a text on request
   * in any one common way, and the budget needs the count before asking.
   */
  async countTokens(text: string): Promise<number> {
    return Math.ceil(
      this.charsPerToken ? (text.length / this.charsPerToken) * MEASURED_MARGIN : text.length / CHARS_PER_TOKEN_GUESS,
    );
  }

  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    if (opts.signal?.aborted) return { text: '', finishReason: 'aborted' };
    const controller = linkedAbort(opts.signal);
    this.controller = controller;
    let text = '';
    let finish: GenerateResult['finishReason'] = 'stop';
    this.lastUsage = undefined;
    try {
      let res: Response;
      try {
        res = await this.doFetch(`${this.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: this.model,
            messages,
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: opts.maxNewTokens ?? 512,
            temperature: opts.temperature ?? 0,
          }),
          signal: controller.signal,
          cache: 'no-store',
          ...loopbackTarget(),
        });
      } catch (err) {
        if (controller.signal.aborted) return { text, finishReason: 'aborted' };
        throw await diagnose(this.baseUrl, this.doFetch, this.origin, err);
      }
      if (!res.ok) throw await this.httpFailure(res);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          // Server-sent events: one `data: {...}` line per chunk, blank lines between.
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (!line.startsWith('data:')) continue;
            const data = line.slice(5).trim();
            if (data === '[DONE]') continue;
            const chunk = JSON.parse(data) as StreamChunk;
            if (chunk.error)
              throw new LocalServerError(
                'server-error',
                `The model server at ${this.baseUrl} stopped with an error: ${typeof chunk.error === 'string' ? chunk.error : chunk.error.message}`,
                { partial: text },
              );
            const choice = chunk.choices?.[0];
            const piece = choice?.delta?.content;
            if (piece) {
              text += piece;
              opts.onToken?.(piece);
            }
            if (choice?.finish_reason === 'length') finish = 'length';
            if (chunk.usage?.prompt_tokens !== undefined) this.recordUsage(messages, chunk.usage);
          }
        }
      } catch (err) {
        if (controller.signal.aborted) return { text, finishReason: 'aborted' };
        if (err instanceof LocalServerError) throw err;
        throw new LocalServerError(
          'dropped',
          `The model server at ${this.baseUrl} stopped answering mid-answer (was it closed?). The passages found are kept; start the server again to ask again.`,
          { cause: err, partial: text },
        );
      }
      return { text, finishReason: controller.signal.aborted ? 'aborted' : finish };
    } finally {
      controller.release();
      if (this.controller === controller) this.controller = undefined;
    }
  }

  private recordUsage(messages: ChatMessage[], usage: NonNullable<StreamChunk['usage']>): void {
    this.lastUsage = { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 };
    const chars = messages.reduce((n, m) => n + m.content.length, 0);
    // The prompt's count includes the chat template's markers, so this ratio errs low (safe).
    if (usage.prompt_tokens && chars) this.charsPerToken = chars / usage.prompt_tokens;
  }

  private async httpFailure(res: Response): Promise<LocalServerError> {
    const said = await serverMessage(res);
    if (res.status === 404 && /model/i.test(said))
      return new LocalServerError(
        'no-such-model',
        `The model server at ${this.baseUrl} has no model “${this.model}” (${said}). Choose one of the models it lists.`,
      );
    return new LocalServerError(
      'server-error',
      `The model server at ${this.baseUrl} answered with an error (HTTP ${res.status}${said ? `: ${said}` : ''}).`,
    );
  }

  interrupt(): void {
    this.controller?.abort();
  }

  async dispose(): Promise<void> {
    this.controller?.abort();
  }
}

/**
 * Connects to a server and one of its models: checks that the server answers and has the model,
 * and takes its context size from the server when it gives one.
 */
export async function createLocalServerGenerator(opts: LocalServerOptions): Promise<LocalServerGenerator> {
  const base = normalizeBaseUrl(opts.baseUrl);
  const models = await listServerModels(base, opts);
  const model = models.find((m) => m.id === opts.model);
  if (!model)
    throw new LocalServerError(
      'no-such-model',
      models.length
        ? `The model server at ${base} has no model “${opts.model}”; it has ${models.map((m) => `“${m.id}”`).join(', ')}.`
        : `The model server at ${base} has no models yet. Download one into it first (Ollama: \`ollama pull llama3.2\`).`,
    );
  return new LocalServerGenerator(
    base,
    model.id,
    opts.contextWindow ?? model.contextWindow ?? DEFAULT_CONTEXT,
    opts.origin,
    opts.fetch,
  );
}
