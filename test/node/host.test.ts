import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { type AskEvent, type DeviceChoice, type DeviceMemory, type HostGenerate, LibraryHost } from '../../src/core';
import { fixture } from '../../scripts/lib/library';
import { FIXTURE_FILES, MODELS_DIR } from '../../scripts/lib/paths';

/** Device memory whose first read waits for `release()`: the model cannot start loading before. */
function heldMemory() {
  const saved = new Map<string, DeviceChoice>();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const memory: DeviceMemory = {
    get: async (k) => {
      await held;
      return saved.get(k);
    },
    set: async (k, c) => void saved.set(k, c),
  };
  return { memory, release, saved };
}

const OPTS = { localModelPath: MODELS_DIR, dtype: 'q8' } as const;

test('the worker’s host, reopening: keyword results come before the model, marked keyword-only; hybrid once it is ready', async () => {
  const name = `host-${process.pid}`;
  const mem1 = heldMemory();
  const setup = new LibraryHost(mem1.memory);
  mem1.release();
  const info = await setup.open({ ...OPTS, name });
  expect(info).toMatchObject({
    model: 'Xenova/all-MiniLM-L6-v2',
    device: 'cpu',
    modelReady: true,
    deviceReason: 'no graphics card is available to this browser (WebGPU)',
  });
  expect(mem1.saved.get('Xenova/all-MiniLM-L6-v2|q8')).toMatchObject({ device: 'cpu' });
  await setup.library!.addFiles([fixture(FIXTURE_FILES.markdown), fixture(FIXTURE_FILES.docx)]);
  await setup.close();

  // Reopening with the model held back: the library opens on its keyword index alone.
  const held = heldMemory();
  const host = new LibraryHost(held.memory);
  const early = await host.open({ ...OPTS, name, awaitModel: false });
  expect(early.modelReady).toBe(false);
  const lib = host.library!;
  expect((await lib.listDocuments()).map((d) => d.name)).toEqual(['wiki-ibm.md', 'word_sample.docx']);
  expect(lib.searchModelReady()).toBe(false);
  const keyword = await lib.search('Which company is nicknamed Big Blue?', { k: 3 });
  expect(keyword[0]).toMatchObject({ docName: 'wiki-ibm.md', keywordOnly: true });
  expect(keyword.every((h) => h.keywordOnly)).toBe(true);
  const passages = await lib.context('Which company is nicknamed Big Blue?', { budgetTokens: 400 });
  expect(passages[0]).toMatchObject({ docName: 'wiki-ibm.md', keywordOnly: true });
  // Asked for keywords, it is not marked as a fallback.
  expect((await lib.search('Big Blue', { k: 1, mode: 'keyword' }))[0]!.keywordOnly).toBeUndefined();

  held.release();
  const waited = lib.search('Which company is nicknamed Big Blue?', { k: 3, waitForModel: true });
  await lib.whenSearchModelReady();
  expect(lib.searchModelReady()).toBe(true);
  const hybrid = await lib.search('Which company is nicknamed Big Blue?', { k: 3 });
  expect(hybrid[0]!.docName).toBe('wiki-ibm.md');
  expect(hybrid.some((h) => h.keywordOnly)).toBe(false);
  expect(await waited).toEqual(hybrid);
  const complete = await host.modelInfo();
  expect(complete).toMatchObject({ modelReady: true, device: 'cpu', dtype: 'q8' });
  expect(complete.timings.modelMs).toBeGreaterThan(0);
  await host.close();
});

test('the worker’s host answers about the whole: events in order, the caller’s model confirms items, Stop', async () => {
  const mem = heldMemory();
  mem.release();
  const host = new LibraryHost(mem.memory);
  await host.open({ ...OPTS, name: `host-whole-${process.pid}` });
  await host.library!.addFiles([fixture(FIXTURE_FILES.pdf), fixture(FIXTURE_FILES.markdown)]);
  const question = 'List every mention of Google Docs';
  const run = async (id: string, generate?: HostGenerate, onKind?: () => void) => {
    const events: AskEvent[] = [];
    await host.ask(
      id,
      question,
      {},
      (e) => {
        events.push(e);
        if (e.type === 'kind') onKind?.();
      },
      generate,
    );
    return events;
  };

  const plain = await run('a');
  expect(plain[0]).toMatchObject({ type: 'kind', kind: 'list' });
  expect(plain.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  const list = plain.find((e) => e.type === 'list');
  expect(list?.type === 'list' && list.count).toBeGreaterThanOrEqual(4);

  // The model lives with the caller: it is asked about each found sentence, and its "no" drops it.
  const prompts: string[] = [];
  const refused = await run('b', async (messages) => {
    prompts.push(messages.at(-1)!.content);
    return { text: Array.from({ length: 8 }, (_, i) => `${i + 1}. no`).join('\n'), finishReason: 'stop' };
  });
  expect(prompts.length).toBeGreaterThanOrEqual(1);
  expect(prompts[0]).toMatch(/Google Docs/);
  expect(refused.find((e) => e.type === 'list')).toMatchObject({ count: 0, groups: [] });

  // Stop from the caller, as soon as the kind is known: nothing more is read, the answer ends stopped.
  const stopped = await run('c', undefined, () => host.stopAsk('c'));
  expect(stopped.some((e) => e.type === 'list' || e.type === 'items')).toBe(false);
  expect(stopped.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' });
  await host.close();
}, 300_000);
