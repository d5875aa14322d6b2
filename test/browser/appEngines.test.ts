/**
 * The answer engines as a person uses them: through the engines menu of the production build, in
 * real headless Chromium, with real llama.cpp (wllama) and transformers.js on the shared
 * stories260K model (GGUF and ONNX), a model file picked from disk or dropped on the menu, and
 * Chrome's Prompt API (real: 'unavailable' here; a stand-in of the spec's shape that the test
 * controls).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';
import { startLlamaServer } from '../../scripts/lib/llamaServer';
import { FIXTURES_DIR, MODELS_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  baseUrl,
  newRecordedPage,
  openApp,
  openEngines,
  openFromAppMenu,
  sourcesOf,
  turns,
  useBrowser,
  waitForAnswer,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

const GGUF = fs.readFileSync(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
const LLAMA = 'stories260K (test model, llama.cpp)';
const ONNX = 'karpathy/stories260K';
/** One short passage, so both engines get the very same prompt (nothing trimmed to fit either window). */
const STORY = {
  name: 'lily.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('Lily had a red ball. She played with the ball in the park every day.\n'),
};
const QUESTION = 'What did Lily play with?';

/** A row of the engines menu, by the engine's name. */
const row = (menu: Locator, name: string) => menu.getByRole('listitem', { name, exact: true });
const trigger = (page: Page, name: string) => page.getByRole('button', { name: `Answer engine: ${name}`, exact: true });

/** Opens the app in a fresh profile with one short document in the library. */
async function appWithStory(page: Page) {
  await openApp(page);
  await addFiles(page, [STORY]);
  await waitForDocuments(page, 1);
}

/** Chooses an engine in the menu (Download or Use) and waits until it is the one in use. */
async function choose(page: Page, name: string) {
  const menu = await openEngines(page);
  await row(menu, name)
    .getByRole('button', { name: new RegExp(`^(Download|Use) ${name.replace(/[()]/g, '\\$&')}$`) })
    .click();
  await trigger(page, name).waitFor({ timeout: 120_000 });
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
}

/** Asks in a new conversation (no history in the prompt) and returns the turn once answered. */
async function askAfresh(page: Page, question: string) {
  await page.getByLabel('New conversation', { exact: true }).click();
  const box = page.getByLabel('Ask a question');
  await box.fill(question);
  await box.press('Enter');
  const turn = turns(page).last();
  await sourcesOf(turn).first().waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  return turn;
}

/** The written answer as the model wrote it: without the check's words ("(not found in your documents)", "0 of 7 sentences supported…"). */
const answerText = async (turn: Locator) =>
  (
    (await turn
      .locator('.answer-text')
      .evaluate(
        (el) => {
          const copy = el.cloneNode(true) as Element;
          for (const added of copy.querySelectorAll('.visually-hidden, .support-line')) added.remove();
          return copy.textContent ?? '';
        },
        undefined,
        { timeout: 5000 },
      )
      .catch(() => '')) ?? ''
  ).trim();

/**
 * Asks, and as soon as the first piece of the written answer is on screen, stops it the way
 * `how` says (the page does it at once, so a fast model cannot finish first).
 */
async function askAndStop(page: Page, question: string, how: 'button' | 'escape') {
  await page.evaluate((how) => {
    const main = document.querySelector('main')!;
    const stop = () => {
      if (how === 'button') document.querySelector<HTMLButtonElement>('button[aria-label="Stop"]')!.click();
      else
        document
          .querySelector('#question')!
          .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    };
    const seen = new MutationObserver(() => {
      const last = [...document.querySelectorAll('article .answer-text.streaming')].at(-1);
      if (last?.textContent?.trim()) {
        seen.disconnect();
        stop();
      }
    });
    seen.observe(main, { subtree: true, childList: true, characterData: true });
  }, how);
  const box = page.getByLabel('Ask a question');
  await box.fill(question);
  await box.press('Enter');
  const turn = turns(page).last();
  await turn.getByText('Stopped.').waitFor({ timeout: 60_000 });
  return turn;
}

test('llama.cpp chosen in the menu writes a streamed answer token for token like the ONNX model; Stop and Esc end it mid-way', async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  await appWithStory(page);

  // The processor group lists it with its size, "runs on the processor" note and state; nothing is downloaded yet.
  const menu = await openEngines(page);
  const llama = row(menu, LLAMA);
  expect(await llama.textContent()).toMatch(/1\.0 MB.*Not downloaded/s);
  expect(requests.some((u) => u.includes('.gguf'))).toBe(false);
  await page.keyboard.press('Escape');

  await choose(page, LLAMA);
  expect(requests.filter((u) => u.endsWith('/models/karpathy/stories260K/stories260K-f32.gguf'))).toHaveLength(1);
  // Every change of the answer is recorded, so streaming is seen however fast it goes.
  await page.evaluate(() => {
    const w = window as unknown as { lengths: number[] };
    w.lengths = [];
    new MutationObserver(() => {
      const last = [...document.querySelectorAll('article .answer-text')].at(-1);
      if (last) w.lengths.push(last.textContent!.length);
    }).observe(document.querySelector('main')!, { subtree: true, childList: true, characterData: true });
  });
  const byLlama = await answerText(await askAfresh(page, QUESTION));
  const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
  expect(byLlama.length).toBeGreaterThan(40);
  expect(new Set(lengths.filter((n) => n > 0)).size).toBeGreaterThan(5); // piece by piece, not at once

  // The same question to the ONNX model (transformers.js, fp32) in its own conversation: the same
  // prompt, greedy, so the same tokens. llama.cpp is given 120 new tokens (a quarter of its 480-token
  // window) and transformers.js 128 (of 512), so the llama.cpp answer is where the ONNX one starts.
  await choose(page, ONNX);
  const byOnnx = await answerText(await askAfresh(page, QUESTION));
  expect(byOnnx.length).toBeGreaterThan(byLlama.length);
  expect(byOnnx.startsWith(byLlama)).toBe(true);

  // Back to llama.cpp (already downloaded: Use, no download) and stop it mid-answer, by the button and by Esc.
  const before = requests.length;
  await choose(page, LLAMA);
  expect(requests.slice(before).filter((u) => u.includes('.gguf'))).toEqual([]);
  await page.getByLabel('New conversation', { exact: true }).click();
  for (const how of ['button', 'escape'] as const) {
    const stopped = await askAndStop(page, QUESTION, how);
    const partial = await answerText(stopped);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(byLlama.length);
    await waitForAnswer(page);
  }
  // And the next answer is whole again.
  expect(await answerText(await askAfresh(page, QUESTION))).toBe(byLlama);
  expect(errors).toEqual([]);
  await context.close();
});

test('a .gguf picked from disk is listed, kept across a reload without any request, used, and removed from OPFS; bad files are refused by name', async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  await appWithStory(page);

  let menu = await openEngines(page);
  const picker = menu.getByLabel('Use a model file you already have…');
  await picker.setInputFiles({ name: 'my-stories.gguf', mimeType: 'application/octet-stream', buffer: GGUF });
  await menu.getByText('stories260K is kept in this browser and loading.').waitFor({ timeout: 60_000 });
  const mine = row(menu, 'stories260K');
  expect(await menu.getByRole('region', { name: 'Your model file' }).getByRole('listitem').count()).toBe(1);
  expect(await mine.textContent()).toMatch(/1\.0 MB.*your file: llama, F32, 512-token context, no chat template/s);
  await trigger(page, 'stories260K').waitFor({ timeout: 60_000 });
  expect(await mine.textContent()).toMatch(/In use/);

  // Next visit: still offered, from OPFS, without any request for it; the engine in use comes back.
  await page.reload();
  const from = requests.length;
  await trigger(page, 'stories260K').waitFor({ timeout: 60_000 });
  menu = await openEngines(page);
  expect(await row(menu, 'stories260K').textContent()).toMatch(/In use/);
  await page.keyboard.press('Escape');
  const answer = await answerText(await askAfresh(page, QUESTION));
  expect(answer.length).toBeGreaterThan(20);
  const after = requests.slice(from);
  expect(after.filter((u) => u.includes('.gguf') || u.includes('/models/karpathy/'))).toEqual([]);
  expect(
    after.every((u) => u.startsWith(new URL(baseUrl()).origin) || u.startsWith('blob:') || u.startsWith('data:')),
  ).toBe(true);

  // Remove it from the menu: gone from the list and from OPFS, and passages-only answers go on.
  menu = await openEngines(page);
  await row(menu, 'stories260K').getByRole('button', { name: 'Remove stories260K from this browser' }).click();
  await row(menu, 'stories260K').waitFor({ state: 'detached' });
  await trigger(page, 'Passages only').waitFor();
  expect(await storedModelFiles(page)).toEqual([]);

  // Refused: a GGUF cut off after 300 KB, and a PDF; each by its name, in a sentence; nothing kept.
  await picker.setInputFiles({
    name: 'cut-off.gguf',
    mimeType: 'application/octet-stream',
    buffer: GGUF.subarray(0, 300_000),
  });
  const refused = menu.getByRole('alert');
  await refused.filter({ hasText: 'cut-off.gguf' }).waitFor({ timeout: 30_000 });
  expect(await refused.textContent()).toMatch(
    /^"cut-off\.gguf" cannot be used: the file is incomplete \(28% of it is there\)/,
  );
  await picker.setInputFiles(path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
  await refused.filter({ hasText: 'multi_page.pdf' }).waitFor({ timeout: 30_000 });
  expect(await refused.textContent()).toMatch(/^"multi_page\.pdf" cannot be used: it is not a GGUF model file/);
  expect(await menu.getByRole('region', { name: 'Your model file' }).getByRole('listitem').count()).toBe(0);
  expect(await storedModelFiles(page)).toEqual([]);
  await page.keyboard.press('Escape');
  expect(await trigger(page, 'Passages only').count()).toBe(1);
  const passagesOnly = await askAfresh(page, QUESTION);
  expect(await sourcesOf(passagesOnly).first().textContent()).toMatch(/lily\.txt/);
  // The sentence that says what she played with, its "She" read as Lily (issue 25's pronoun rule).
  expect(await passagesOnly.getByRole('blockquote').textContent()).toContain('She played with the ball');
  expect(errors).toEqual([]);
  await context.close();
});

test('a model file dropped on the engines menu (named as Ollama keeps it, without .gguf) is checked, kept and used; the library does not take it', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await appWithStory(page);
  const menu = await openEngines(page);
  await page.evaluate(async () => {
    const bytes = await (await fetch('/models/karpathy/stories260K/stories260K-f32.gguf')).arrayBuffer();
    const data = new DataTransfer();
    // Ollama keeps its GGUFs as blobs named by their hash: recognised by the first bytes.
    data.items.add(new File([bytes], 'sha256-7d1f0c'));
    const target = document.querySelector('[data-own-drop] .engines-body')!;
    for (const type of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await trigger(page, 'stories260K').waitFor({ timeout: 60_000 });
  expect(await row(menu, 'stories260K').textContent()).toMatch(/your file: llama, F32/);
  expect(await page.locator('.drop-overlay').count()).toBe(0);
  expect(await storedModelFiles(page)).toEqual([
    'gguf-file_3Asha256-7d1f0c_3A1054784.0.gguf',
    'gguf-file_3Asha256-7d1f0c_3A1054784.json',
  ]);
  await page.keyboard.press('Escape');
  // Only the story is in the library: the model file did not become a document.
  expect(await page.getByRole('list', { name: 'Documents' }).getByRole('listitem').count()).toBe(1);
  expect((await answerText(await askAfresh(page, QUESTION))).length).toBeGreaterThan(20);
  expect(errors).toEqual([]);
  await context.close();
});

test('Chrome’s built-in model: the row says why where Chrome reports it unavailable (real), and a stand-in of the Prompt API’s shape is offered, downloaded and answers', async () => {
  // Real Chromium here: the API exists and says 'unavailable'.
  const real = await newRecordedPage(browser());
  await openApp(real.page);
  expect(
    await real.page.evaluate(() =>
      (globalThis as unknown as { LanguageModel: { availability(): Promise<string> } }).LanguageModel.availability(),
    ),
  ).toBe('unavailable');
  let menu = await openEngines(real.page);
  const builtIn = row(menu, 'Chrome’s built-in model (Gemini Nano)');
  expect(await builtIn.textContent()).toMatch(
    /Can't run here: Chrome says its built-in model cannot run on this device\. It needs desktop Chrome with about 22 GB of free disk space/,
  );
  expect(await builtIn.getByRole('button').count()).toBe(0);
  await real.context.close();

  // A stand-in with the spec's shape, put in place of the page's LanguageModel before the app starts.
  const { context, page, errors } = await newRecordedPage(browser());
  await context.addInitScript(() => {
    const log = { prompts: [] as unknown[], created: 0 };
    (window as unknown as { promptLog: typeof log }).promptLog = log;
    class Session {
      contextWindow = 4096;
      async measureContextUsage(text: string) {
        return Math.ceil(text.length / 4);
      }
      async clone() {
        return new Session();
      }
      destroy() {}
      promptStreaming(input: unknown, o: { signal?: AbortSignal } = {}) {
        log.prompts.push(input);
        const words = ['Lily ', 'played ', 'with ', 'a ', 'red ', 'ball ', '[1].'];
        let i = 0;
        return new ReadableStream<string>({
          pull: async (c) => {
            await new Promise((r) => setTimeout(r, 30));
            if (o.signal?.aborted) c.error(new DOMException('Stopped', 'AbortError'));
            else if (i < words.length) c.enqueue(words[i++]!);
            else c.close();
          },
        });
      }
    }
    const LanguageModel = {
      availability: async () => (log.created ? 'available' : 'downloadable'),
      async create(o: { monitor?: (m: EventTarget) => void; signal?: AbortSignal } = {}) {
        const m = new EventTarget();
        o.monitor?.(m);
        for (const loaded of [0, 0.25, 0.75, 1]) {
          await new Promise((r) => setTimeout(r, 50));
          m.dispatchEvent(Object.assign(new Event('downloadprogress'), { loaded, total: 1 }));
        }
        log.created++;
        return new Session();
      },
    };
    Object.defineProperty(window, 'LanguageModel', { value: LanguageModel, configurable: true, writable: true });
  });
  await openApp(page);
  await addFiles(page, [STORY]);
  await waitForDocuments(page, 1);
  menu = await openEngines(page);
  expect(await row(menu, 'Chrome’s built-in model (Gemini Nano)').textContent()).toMatch(
    /Chrome downloads it once for every site.*Not downloaded/s,
  );
  await page.keyboard.press('Escape');
  await choose(page, 'Chrome’s built-in model (Gemini Nano)');
  const turn = await askAfresh(page, QUESTION);
  expect(await answerText(turn)).toMatch(/^Lily played with a red ball/);
  // The browser's model was given the system prompt first, then the passage and the question.
  const prompts = await page.evaluate(
    () => (window as unknown as { promptLog: { prompts: { role: string; content: string }[][] } }).promptLog.prompts,
  );
  expect(prompts.at(-1)!.map((m) => m.role)).toEqual(['system', 'user']);
  expect(prompts.at(-1)![1]!.content).toMatch(/Lily had a red ball[\s\S]*Question: What did Lily play with\?/);
  // Stop reaches the browser's stream too.
  const stopped = await askAndStop(page, QUESTION, 'button');
  expect((await answerText(stopped)).length).toBeLessThan('Lily played with a red ball [1].'.length);
  expect(errors).toEqual([]);
  await context.close();
});

/** The entries of Folio's OPFS model store, as the page sees them. */
function storedModelFiles(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('folio-models', { create: true });
    const names: string[] = [];
    for await (const [name] of dir as unknown as AsyncIterable<[string, unknown]>) names.push(name);
    return names.sort();
  });
}

// Issue 26: "a model server on this computer" through the menu, against a real llama.cpp serving
// the OpenAI-compatible API (node-llama-cpp, the same stories260K GGUF, greedy).
test('a model server on this computer is added by its address and answers, streamed, through the app; a server that is gone is said in words', async () => {
  const server = await startLlamaServer(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
  try {
    const { context, page, requests, errors } = await newRecordedPage(browser());
    await appWithStory(page);
    const menu = await openEngines(page);
    await connect(menu, server.url);
    // Its model is listed in the menu and used at once.
    await trigger(page, 'stories260K').waitFor({ timeout: 60_000 });
    expect(await row(menu, 'stories260K').textContent()).toContain(`on ${server.url}`);
    await page.keyboard.press('Escape');
    const byServer = await answerText(await askAfresh(page, QUESTION));
    expect(byServer.length).toBeGreaterThan(20);
    // Only the app and the address added were contacted.
    const origins = new Set(requests.map((u) => new URL(u).origin));
    expect([...origins].sort()).toEqual([new URL(baseUrl()).origin, server.url].sort());

    // (Token-for-token equality for the same prompt is shown in test/node/localServer.test.ts, against
    // the same model in ONNX, which the in-page llama.cpp engine equals (the first test above); here
    // each engine fits the passages to its own context window, so their prompts differ.)

    expect(errors).toEqual([]);

    // A server that has gone away is listed with the reason, and adding an address nobody answers at
    // says so (the browser logs each refused connection; nothing else may be logged).
    await server.stop();
    const again = await openEngines(page);
    await connect(again, server.url);
    await expect
      .poll(() => again.locator('.engine-error').textContent())
      .toMatch(new RegExp(`^Nothing answers at ${server.url.replace(/[.]/g, '\\.')}\\. Start the model server`));
    // The commands it names are shown as code, not between literal backticks.
    expect(await again.locator('.engine-error code').allTextContents()).toContain('ollama serve');
    expect(await again.locator('.engine-error').textContent()).not.toContain('`');
    await connect(again, 'example.com');
    await expect.poll(() => again.locator('.engine-error').textContent()).toMatch(/is not an address on this computer/);
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
    await context.close();
  } finally {
    await server.stop();
  }
}, 300_000);

test('the model servers added are listed in Settings; forgetting the one in use falls back to passages only, and it is contacted no more', async () => {
  const server = await startLlamaServer(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
  // A port that was free a moment ago: nothing listens there, so it stands for a server that has gone away.
  const gone = await closedAddress();
  try {
    const { context, page, requests, errors } = await newRecordedPage(browser());
    await appWithStory(page);
    await page.evaluate((url) => localStorage.setItem('folio.engines.servers', JSON.stringify([url])), gone);
    await page.reload();
    await waitForDocuments(page, 1);
    const menu = await openEngines(page);
    await connect(menu, server.url);
    await trigger(page, 'stories260K').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');

    // Settings lists both, in the order added: what each offers, or why it does not answer.
    let settings = await openFromAppMenu(page, 'Settings…', 'Settings');
    const list = settings.getByRole('list', { name: 'Model servers on this computer' });
    expect(
      await list.getByRole('listitem').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label'))),
    ).toEqual([gone, server.url]);
    const escaped = gone.replace(/[.]/g, '\\.');
    expect(await list.getByRole('listitem', { name: gone }).textContent()).toMatch(
      new RegExp(`^Model server(${escaped})Nothing answers at \\1\\. Start the model server`),
    );
    expect(await list.getByRole('listitem', { name: server.url }).textContent()).toContain(
      'Model: stories260K · stories260K in use',
    );
    // Pictures of the list to look at: desktop and phone, light and dark.
    const shots = path.resolve('test-output/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    for (const [size, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await list.scrollIntoViewIfNeeded();
      for (const scheme of ['light', 'dark'] as const) {
        // Reduced motion: no colour transition caught half-way in the picture.
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.screenshot({
          animations: 'disabled',
          path: path.join(shots, `settings-servers-${size}-${scheme}.png`),
        });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 720 }); // the library beside the conversation again

    // Forgetting the one in use: answers fall back to passages only, and Settings says so.
    const forgotAt = requests.length;
    await list.getByRole('button', { name: `Forget ${server.url}` }).click();
    await expect
      .poll(() => settings.getByRole('status').textContent())
      .toBe(
        `Forgot ${server.url}: Folio no longer contacts it. It was writing your answers, so answers are passages only now; choose another engine in the answer engine menu.`,
      );
    expect(await list.getByRole('listitem').count()).toBe(1);
    await list.getByRole('button', { name: `Forget ${gone}` }).click();
    await expect
      .poll(() => settings.getByRole('status').textContent())
      .toBe(`Forgot ${gone}: Folio no longer contacts it.`);
    await settings.getByText('None added.').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('folio.engines.servers'))).toBe('[]');
    await page.keyboard.press('Escape');
    await trigger(page, 'Passages only').waitFor();

    // Gone from the menu, and after a reload too; a question is answered from the passages, and
    // neither address is contacted again.
    expect(
      await (await openEngines(page)).getByRole('heading', { name: 'A model server on this computer' }).count(),
    ).toBe(0);
    await page.keyboard.press('Escape');
    await page.reload();
    await waitForDocuments(page, 1);
    settings = await openFromAppMenu(page, 'Settings…', 'Settings');
    await settings.getByText('None added.').waitFor();
    await page.keyboard.press('Escape');
    const answered = await askAfresh(page, QUESTION);
    expect(await answered.getByRole('blockquote').textContent()).toContain('She played with the ball');
    const after = requests.slice(forgotAt).map((u) => new URL(u).origin);
    expect(after.filter((o) => o === server.url || o === gone)).toEqual([]);
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
    await context.close();
  } finally {
    await server.stop();
  }
}, 300_000);

test('on a page served from another address, the menu says what Chrome will ask; once refused, a failed connection says it was Chrome’s permission and how to allow it', async () => {
  // The app at this machine's network address (a TCP relay to the test server): to Chrome a site
  // from elsewhere, which its Local Network Access permission ('loopback-network') governs.
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal)?.address;
  expect(address, 'this test needs an IPv4 address besides loopback').toBeDefined();
  const app = new URL(baseUrl());
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(app.port), app.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, address, r));
  const origin = `http://${address}:${(relay.address() as net.AddressInfo).port}`;
  // Served over http from that address; treated as the https site it would be (the permission needs one).
  const remote = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS.filter((a) => !/webgpu|swiftshader|angle/.test(a)),
      `--unsafely-treat-insecure-origin-as-secure=${origin}`,
    ],
  });
  try {
    const context = await remote.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Download and start' }).click();
    await addFiles(page, [STORY]);
    await waitForDocuments(page, 1);
    expect(
      await page.evaluate(() =>
        navigator.permissions.query({ name: 'loopback-network' as PermissionName }).then((s) => s.state),
      ),
    ).toBe('prompt');
    let menu = await openEngines(page);
    await serverField(menu).click();
    expect(await menu.locator('.engine-input-note').textContent()).toBe(
      'Chrome will ask once whether this site may connect to devices and apps on your network: choose Allow. Folio still connects only to the address you give here.',
    );
    await page.keyboard.press('Escape');

    // Refused (as "Block" on Chrome's prompt leaves it): the menu says how to undo it, and a
    // connection that fails says Chrome's permission is why, not "nothing answers".
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    const browserSession = await remote.newBrowserCDPSession();
    await browserSession.send('Browser.setPermission', {
      permission: { name: 'loopback-network' },
      setting: 'denied',
      origin,
      browserContextId: targetInfo.browserContextId!,
    });
    await page.reload();
    await waitForDocuments(page, 1);
    menu = await openEngines(page);
    await serverField(menu).click();
    await expect
      .poll(() => menu.locator('.engine-input-note').textContent())
      .toMatch(/^Chrome blocks this site from reaching apps on this computer \(you chose Block when it asked\)/);
    const target = await closedAddress();
    await connect(menu, target);
    await expect
      .poll(() => menu.locator('.engine-error').textContent())
      .toBe(
        `Chrome did not let this page reach ${target}: you chose Block when it asked whether this site may connect to devices and apps on your network. Allow it: the icon left of the address › Site settings › Loopback network (older Chrome: Local network access) › Allow, then reload; passages-only answers keep working.`,
      );
    await context.close();
  } finally {
    await remote.close();
    relay.close();
  }
}, 300_000);

/** "A model server on this computer", the menu's fold with the address field. */
const serverField = (menu: Locator) => menu.locator('summary', { hasText: 'A model server on this computer' });

/** Types an address in the engines menu's server field (opening it if it is folded) and presses Connect. */
async function connect(menu: Locator, url: string) {
  const field = menu.getByLabel('Model server address');
  if (!(await field.isVisible())) await serverField(menu).click();
  await field.fill(url);
  await menu.getByRole('button', { name: 'Connect' }).click();
}

/** The address of a port on this computer that nothing listens on (one just freed). */
async function closedAddress(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}`;
}
