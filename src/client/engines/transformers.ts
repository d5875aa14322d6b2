import * as Comlink from 'comlink';
import {
  catalogueModels,
  diagnoseHubFailure,
  EngineError,
  type EngineOption,
  transformersDevice,
  transformersDtype,
  transformersFiles,
  type Generator,
  type RunStats,
  type TransformersGeneratorOptions,
  type TransformersWorkerApi,
} from '../../core';
import { remoteGenerator, untilAborted } from '../generator';
import { modelFileUrl, modelSource, servedBySite } from '../modelSource';
import type { EngineDriver } from './driver';

const CUSTOM_KEY = 'folio.engines.custom';
const PREFIX = 'transformers:';
const repoOf = (id: string) => id.slice(PREFIX.length);
/** Added on this page: kept here too, for when the browser refuses storage (private mode). */
const addedHere = new Set<string>();
const cached = (repo: string, file: string) => new URL(modelFileUrl(repo, file), location.origin).href;

/** transformers.js (ONNX Runtime): the catalogue's models and any hub model the person names. */
export const transformersEngine: EngineDriver = {
  kind: 'transformers',
  async options({ device }) {
    const base = catalogueModels(device, 'transformers', servedBySite);
    const group = transformersDevice(device) === 'webgpu' ? 'gpu' : 'processor';
    const custom = [...new Set([...readCustom(), ...addedHere])]
      .filter((repo) => !base.some((o) => o.id === PREFIX + repo))
      .map(
        (repo): EngineOption => ({
          id: PREFIX + repo,
          kind: 'transformers',
          group,
          name: repo,
          note: 'a model from the hub you added (transformers.js)',
          state: { kind: 'not-downloaded' },
        }),
      );
    return [...base, ...custom];
  },
  /** Every file of the device's weights in transformers.js's cache. */
  async isDownloaded(option, { device }) {
    if (!(await caches.has('transformers-cache'))) return false;
    const cache = await caches.open('transformers-cache');
    const files = transformersFiles(transformersDtype(option.id, device)).filter((f) => f !== 'generation_config.json');
    const hits = await Promise.all(files.map((f) => cache.match(cached(repoOf(option.id), f))));
    return hits.every(Boolean);
  },
  open: (option, { device }, signal, progress) =>
    openTransformersGenerator(
      {
        model: repoOf(option.id),
        device: transformersDevice(device),
        dtype: transformersDtype(option.id, device),
        ...modelSource,
      },
      (p) => progress.bytes(p.loaded, p.total),
      signal,
    ),
  explain: (option, err) => {
    const repo = repoOf(option.id);
    // A model from the catalogue was not typed by anyone: its absence is not a wrong name.
    const typed = readCustom().includes(repo) || addedHere.has(repo);
    return diagnoseHubFailure(repo, cached(repo, 'config.json'), err, typed);
  },
  async remove(option) {
    if (await caches.has('transformers-cache')) {
      const cache = await caches.open('transformers-cache');
      for (const dtype of ['q8', 'q4f16', 'fp32'] as const)
        for (const f of transformersFiles(dtype)) await cache.delete(cached(repoOf(option.id), f));
    }
    return { kind: 'not-downloaded' };
  },
  input: {
    kind: 'transformers',
    summary: 'Advanced: a model from the hub by its id',
    help: 'A transformers.js text-generation model (owner/name). It downloads when you press Add and download.',
    label: 'Custom model id',
    placeholder: 'owner/name',
    submit: 'Add and download',
  },
  async add(hubId) {
    const repo = hubId
      .trim()
      .replace(/^https:\/\/huggingface\.co\//, '')
      .replace(/\/+$/, '');
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
      throw new EngineError(
        'not-found',
        `"${hubId}" is not a model name: use the hub's form "organisation/model", e.g. onnx-community/Qwen2.5-0.5B-Instruct.`,
      );
    addedHere.add(repo);
    writeCustom([...readCustom().filter((r) => r !== repo), repo]);
    return PREFIX + repo;
  },
};

function readCustom(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(CUSTOM_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeCustom(ids: string[]): void {
  try {
    localStorage.setItem(CUSTOM_KEY, JSON.stringify(ids));
  } catch {
    // storage refused (private mode): the custom model lasts for this page only (addedHere)
  }
}

/** A transformers.js answer model in a worker of its own (the core's TransformersHost). */
export async function openTransformersGenerator(
  opts: Omit<TransformersGeneratorOptions, 'onDownload'>,
  onDownload?: (p: { file: string; loaded: number; total: number }) => void,
  signal?: AbortSignal,
): Promise<Generator & { lastRun?: RunStats }> {
  const worker = new Worker(new URL('../../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-generator',
  });
  const remote = Comlink.wrap<TransformersWorkerApi>(worker);
  let info: { id: string; contextWindow: number };
  try {
    info = await untilAborted(remote.load(opts, onDownload ? Comlink.proxy(onDownload) : undefined), signal);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  return remoteGenerator(remote, info, async () => {
    await remote.dispose().catch(() => {});
    remote[Comlink.releaseProxy]();
    worker.terminate();
  });
}
