import {
  createLocalServerGenerator,
  DEFAULT_LOCAL_SERVER,
  type EngineOption,
  LOCAL_SERVER_PRESETS,
  LocalServerError,
  listServerModels,
  localNetworkNote,
  normalizeBaseUrl,
} from '../../core';
import type { EngineDriver } from './driver';

const KIND = 'local-server';
/** The addresses the person added, kept in this browser (Settings lists them and forgets one on request). */
const KEY = 'folio.engines.servers';

/** Only this computer: the page's Content-Security-Policy allows loopback addresses and nothing else. */
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function readServers(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && LOOPBACK.test(s)) : [];
  } catch {
    return [];
  }
}

export function writeServers(urls: string[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([...new Set(urls)]));
  } catch {
    // storage refused (private mode): the address lasts for this page only (added below)
  }
}
/** Added on this page: kept here too, for when the browser refuses storage. */
const addedHere = new Set<string>();
const servers = () => [...new Set([...readServers(), ...addedHere])];

const idOf = (url: string, model: string) => `${KIND}:${url}#${model}`;
const parse = (id: string) => {
  const rest = id.slice(KIND.length + 1);
  const hash = rest.indexOf('#');
  return { url: rest.slice(0, hash), model: rest.slice(hash + 1) };
};
const named = (url: string) => LOCAL_SERVER_PRESETS.find((p) => p.baseUrl === url)?.name;

const INPUT = {
  kind: KIND,
  summary: 'A model server on this computer',
  help: 'Ollama, LM Studio, llama.cpp’s server, Jan or vLLM, already running here: its address. Only that address is contacted; the question and its passages go to it and nowhere else.',
  label: 'Model server address',
  placeholder: DEFAULT_LOCAL_SERVER,
  submit: 'Connect',
  presets: LOCAL_SERVER_PRESETS.map((p) => ({ name: p.name, value: p.baseUrl })),
};

/** The browser's local-network permission, in a line, for under the address field (when it asks at all). */
let networkNote: string | undefined;
const noted = () =>
  void localNetworkNote().then(
    (line) => (networkNote = line),
    () => {},
  );
noted();

/**
 * "A model server on this computer": Ollama, LM Studio, llama.cpp's llama-server, Jan or vLLM,
 * through their OpenAI-compatible API. Its options are the models each added server lists when
 * the page opens and after one is added; a server that does not answer is listed with the reason,
 * and stays added until forgotten (in Settings, or from its row in the menu).
 */
export const modelServerEngine: EngineDriver = {
  kind: KIND,
  get input() {
    return { ...INPUT, ...(networkNote ? { note: networkNote } : {}) };
  },
  async options() {
    noted();
    const lists = await Promise.all(
      servers().map(async (url): Promise<EngineOption[]> => {
        const where = named(url) ? `${named(url)} at ${url}` : url;
        try {
          const models = await listServerModels(url);
          if (!models.length)
            return [unavailable(url, `${where} has no model loaded: load or pull one there, then reopen this menu.`)];
          return models.map((m) => ({
            id: idOf(url, m.id),
            kind: KIND,
            group: 'server',
            from: url,
            name: m.id,
            note: `on ${where}${m.contextWindow ? `, ${m.contextWindow.toLocaleString()}-token context` : ''}`,
            state: { kind: 'ready' },
          }));
        } catch (err) {
          return [unavailable(url, (err as Error).message)];
        }
      }),
    );
    return lists.flat();
  },
  async open(option, _page, signal) {
    const { url, model } = parse(option.id);
    if (!model)
      throw new LocalServerError('not-running', option.state.kind === 'unavailable' ? option.state.reason : '');
    signal.throwIfAborted();
    return createLocalServerGenerator({ baseUrl: url, model, origin: location.origin });
  },
  async explain(_option, err) {
    return err instanceof LocalServerError
      ? err
      : new LocalServerError('server-error', `The model server could not be used: ${(err as Error).message ?? err}`);
  },
  added() {
    return servers().map((url) => ({ value: url, ...(named(url) ? { name: named(url) } : {}) }));
  },
  async forget(url) {
    // Its models come from it, none is stored here: forgetting the address is all there is to remove.
    addedHere.delete(url);
    writeServers(readServers().filter((s) => s !== url));
  },
  async add(text) {
    const url = normalizeBaseUrl(text);
    if (!LOOPBACK.test(url))
      throw new LocalServerError(
        'not-running',
        `“${text}” is not an address on this computer: Folio talks only to model servers here (localhost or 127.0.0.1), so nothing leaves the machine.`,
      );
    // Asked once now, so that a wrong address or a refusing server is said at once, in words.
    const models = await listServerModels(url);
    addedHere.add(url);
    writeServers([...readServers(), url]);
    return models[0] ? idOf(url, models[0].id) : undefined;
  },
};

function unavailable(url: string, reason: string): EngineOption {
  return {
    id: idOf(url, ''),
    kind: KIND,
    group: 'server',
    from: url,
    name: named(url) ?? url,
    note: url,
    state: { kind: 'unavailable', reason },
  };
}
