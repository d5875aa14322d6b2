import { hostedModelRecords, webllmOptions } from '../../core';
import { openWebLLMGenerator } from '../generator';
import { modelSource, webLLMHosting } from '../modelSource';
import type { EngineDriver } from './driver';

const modelOf = (id: string) => id.slice('webllm:'.length);

/** WebLLM: models for the graphics card (WebGPU), their code hosted with this copy of Folio. */
export const webllmEngine: EngineDriver = {
  kind: 'webllm',
  async options({ device }) {
    // The site's WebLLM list (/webllm/libs.json) only matters with a WebGPU adapter: without one
    // it is not asked for, so opening the app makes no request for it (none at all offline).
    const hosting = device.gpu ? await webLLMHosting() : undefined;
    return webllmOptions(device, {
      webllm: hosting?.libs.models ?? [],
      ...(hosting?.libs.missing ? { webllmMissing: hosting.libs.missing } : {}),
    });
  },
  /** Complete in WebLLM's cache: its tensor list and every file it names. */
  async isDownloaded(option) {
    if (!option.id.startsWith('webllm:') || !(await caches.has('webllm/model'))) return false;
    const record = hostedModelRecords(await webLLMHosting()).find((r) => r.model_id === modelOf(option.id));
    if (!record) return false;
    const base = record.model.includes('/resolve/')
      ? record.model.replace(/\/?$/, '/')
      : `${record.model.replace(/\/?$/, '')}/resolve/main/`;
    const cache = await caches.open('webllm/model');
    const listing = await cache.match(`${base}tensor-cache.json`);
    if (!listing) return false;
    const records = ((await listing.json()) as { records?: { dataPath: string }[] }).records ?? [];
    return (await Promise.all(records.map((r) => cache.match(new URL(r.dataPath, base).href)))).every(Boolean);
  },
  open: (option, _page, signal, progress) =>
    openWebLLMGenerator(modelOf(option.id), (p) => progress.fraction(p.progress), modelSource, signal),
  async remove(option) {
    const { deleteModelAllInfoInCache, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    await deleteModelAllInfoInCache(modelOf(option.id), {
      ...prebuiltAppConfig,
      model_list: hostedModelRecords(await webLLMHosting()),
    });
    return { kind: 'not-downloaded' };
  },
};
