import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  baseUrl,
  newRecordedPage,
  openEngines,
  sourcePanel,
  sourcesOf,
  turns,
  useBrowser,
  waitForAnswer,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

/**
 * Chrome's Prompt API (`LanguageModel`, the spec's shape) standing in for a model whose answer the
 * test controls, installed before the app loads (real Chromium reports its own as unavailable).
 * Like a model, it reads the numbered sources in its prompt: it copies the sentence of source 1
 * that names Sholes, cites [1] and [9] (there is no source 9), then invents a claim citing [1].
 */
function installStandInModel() {
  const seen = { calls: 0 };
  Object.assign(window, { standIn: seen });
  const words = (s: string) => s.split(/(?<= )/);
  class StandIn extends EventTarget {
    static availability = async () => 'available';
    static create = async () => new StandIn();
    contextWindow = 4096;
    measureContextUsage = async (s: string) => Math.ceil(s.length / 4);
    clone = async () => new StandIn();
    destroy() {}
    promptStreaming(input: string | { content: unknown }[], opts?: { signal?: AbortSignal }) {
      seen.calls++;
      const prompt =
        typeof input === 'string'
          ? input
          : input.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
      const source1 = /<source id="1"[^>]*>\n([\s\S]*?)\n<\/source>/.exec(prompt)?.[1] ?? '';
      const sentences = source1.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/);
      const copied = (sentences.find((s) => s.includes('Sholes')) ?? sentences[0] ?? '').replace(/[.!?]$/, '');
      const pieces = words(`${copied} [1][9]. The first typewriter was sold on the Moon in 1999 [1].`);
      let i = 0;
      return new ReadableStream<string>({
        pull: (c) =>
          opts?.signal?.aborted
            ? c.error(new DOMException('stopped', 'AbortError'))
            : i < pieces.length
              ? c.enqueue(pieces[i++]!)
              : c.close(),
      });
    }
  }
  Object.defineProperty(globalThis, 'LanguageModel', { value: StandIn, configurable: true, writable: true });
}

test('answers a person can check: the extract first, a fresh question searched as typed, a follow-up resolved, "Not in your documents", and a written answer checked sentence by sentence', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await page.addInitScript(installStandInModel);
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Download and start' }).click();
  await addFiles(
    page,
    ['pdf/multi_page.pdf', 'docx/word_sample.docx', 'html/wiki_duck.html', 'md/wiki-ibm.md'].map((f) =>
      path.join(FIXTURES_DIR, f),
    ),
  );
  await waitForDocuments(page, 4);
  const box = page.getByLabel('Ask a question');
  const ask = async (question: string) => {
    const n = await turns(page).count();
    await box.fill(question);
    await box.press('Enter');
    const turn = turns(page).nth(n);
    await turn.and(page.locator('[data-status="done"], [data-status="error"]')).waitFor({ timeout: 60_000 });
    return turn;
  };

  // Passages only: the answering sentence first, as the answer, with its citation; then the passages.
  const first = await ask('Who patented the typewriter?');
  const extract = first.getByRole('blockquote');
  expect(await extract.textContent()).toContain('Patented in 1868 by Christopher Latham Sholes');
  expect(await extract.getByRole('button', { name: /^Source \d$/ }).count()).toBe(1);
  expect(await sourcesOf(first).count()).toBeGreaterThan(0);
  expect(await first.locator('.searched').count()).toBe(0);

  // A fresh question with "that" in it, after an unrelated one, is searched as typed.
  const fresh = await ask('What is a male duck called, and where does that word come from?');
  expect(await fresh.locator('.searched').count()).toBe(0);
  expect(await sourcesOf(fresh).first().textContent()).toContain('wiki_duck.html');
  expect(await fresh.getByRole('blockquote').textContent()).toMatch(/duck/i);

  // A real follow-up is resolved, and the answer says what was searched.
  await ask('Which company is nicknamed Big Blue?');
  const followUp = await ask('When was it founded?');
  expect((await followUp.locator('.searched').textContent())?.trim()).toBe(
    'Searched for: Which company is nicknamed Big Blue? When was it founded?',
  );
  expect(await followUp.getByRole('blockquote').textContent()).toContain('1911');

  // An everyday question the library cannot answer: said plainly, closest passages labelled as such.
  const offTopic = await ask('How long should I boil an egg for a runny yolk?');
  expect(await offTopic.getByText('Not in your documents', { exact: true }).count()).toBe(1);
  expect(await offTopic.getByRole('blockquote').count()).toBe(0);
  await offTopic.getByText(/^Closest passages, probably not it \(\d\)$/).click();
  expect(
    await offTopic.getByRole('list', { name: 'Closest passages, probably not it' }).getByRole('listitem').count(),
  ).toBeGreaterThan(0);

  // A model in use (the stand-in): still no model writing for a question the documents do not cover.
  const menu = await openEngines(page);
  await menu.getByRole('button', { name: 'Use Chrome’s built-in model (Gemini Nano)' }).click();
  await page
    .getByRole('button', { name: 'Answer engine: Chrome’s built-in model (Gemini Nano)', exact: true })
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  const declinedWithModel = await ask('What is the best hiking trail in Patagonia?');
  expect(await declinedWithModel.getByText('Not in your documents', { exact: true }).count()).toBe(1);
  expect(await declinedWithModel.locator('.answer-text').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { standIn: { calls: number } }).standIn.calls)).toBe(0);

  // The written answer, checked: the copied sentence supported, the invented one marked, [9] dropped.
  const written = await ask('Who patented the typewriter?');
  await waitForAnswer(page);
  expect(await page.evaluate(() => (window as unknown as { standIn: { calls: number } }).standIn.calls)).toBe(1);
  const checked = written.locator('.checked');
  expect(await checked.getByText('1 of 2 sentences supported by your documents').count()).toBe(1);
  const unsupported = checked.locator('[data-unsupported]');
  expect(await unsupported.count()).toBe(1);
  expect(await unsupported.textContent()).toBe(
    'The first typewriter was sold on the Moon in 1999. (not found in your documents)',
  );
  expect(await checked.getByText('Removed a citation to no passage: [9]').count()).toBe(1);
  expect(await checked.getByRole('button', { name: 'Source 9' }).count()).toBe(0);

  // The supported sentence's chip shows its supporting quote on focus and on hover…
  const chip = checked.locator('[data-sentence="0"]').getByRole('button', { name: 'Source 1' }).first();
  await chip.focus();
  const tooltip = page.getByRole('tooltip');
  expect(await tooltip.locator('.cite-preview-quote').textContent()).toMatch(
    /^“Patented in 1868 by Christopher Latham Sholes, the typewriter revolutionized written communication/,
  );
  await box.focus();
  await tooltip.waitFor({ state: 'detached' });
  await chip.hover();
  expect(await tooltip.locator('.cite-preview-quote').textContent()).toContain('Christopher Latham Sholes');

  // …and opens the source with that sentence marked, not the whole passage.
  await chip.click();
  const viewer = sourcePanel(page);
  await viewer.getByRole('heading', { name: /^Source 1 of \d/ }).waitFor({ timeout: 30_000 });
  const passage = viewer.getByRole('region', { name: 'Passage text' });
  await passage.locator('mark').first().waitFor({ timeout: 30_000 });
  const marked = (await passage.locator('mark').allTextContents()).join(' ').replace(/\s+/g, ' ');
  expect(marked).toMatch(
    /^Patented in 1868 by Christopher Latham Sholes, the typewriter revolutionized written communication.*handwriting\.$/,
  );
  expect(marked.length).toBeLessThan((await passage.textContent())!.length);
  await page.keyboard.press('Escape');

  expect(errors).toEqual([]);
  await context.close();
});
