import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { LibraryHost, type DeviceChoice, type DeviceMemory } from '../../src/core';
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
