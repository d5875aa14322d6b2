import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type FileChooser,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';

/**
 * `webgpu: false` leaves out the SwiftShader flags: the browser then has no WebGPU adapter, as
 * many real ones do, and Folio runs on WASM (the fast path on this GPU-less machine).
 */
export async function launchBrowser(opts: { webgpu?: boolean } = {}): Promise<Browser> {
  const args = opts.webgpu === false ? CHROMIUM_ARGS.filter((a) => !/webgpu|swiftshader|angle/.test(a)) : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

export const baseUrl = (): string => inject('baseUrl');

/** One browser for a test file, launched before its tests and closed after them. */
export function useBrowser(opts: { webgpu?: boolean } = {}): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser(opts);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export interface HarnessPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen in the page or its workers. */
  errors: string[];
  /** Every URL the page or its workers requested. */
  requests: string[];
}

/** A fresh browser profile (its own IndexedDB) with the test harness loaded. */
export async function openHarness(browser: Browser): Promise<HarnessPage> {
  const recorded = await newRecordedPage(browser);
  await gotoHarness(recorded.page);
  return recorded;
}

/** A page in a fresh profile that records errors and every request (of the page and its workers). */
export async function newRecordedPage(browser: Browser): Promise<HarnessPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  context.on('request', (r) => requests.push(r.url()));
  context.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return { context, page, errors, requests };
}

export async function gotoHarness(page: Page): Promise<void> {
  await page.goto(`${baseUrl()}test/browser/harness.html`);
  await page.waitForFunction(() => window.harnessReady === true);
}

/** Opens the built app and gets past the first-run screen, as a first-time user would. */
export async function openApp(page: Page): Promise<void> {
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Download and start' }).click();
}

/** The library's list of documents (in the sidebar, or its drawer on narrow screens). */
export const documentList = (page: Page): Locator => page.getByRole('list', { name: 'Documents' });

/**
 * For a wait that failed where it passes alone: keeps a screenshot (test-output/<name>.png) and
 * prints what the page showed, the errors it raised, the Web Locks of its origin and the files
 * still pending in every library of the profile — enough to tell a slow run from a wrong one.
 */
export async function keepWhatPageShows(page: Page, name: string, errors: string[]): Promise<void> {
  fs.mkdirSync('test-output', { recursive: true });
  await page.screenshot({ animations: 'disabled', path: `test-output/${name}.png` }).catch(() => {});
  const body = await page
    .locator('body')
    // biome-ignore lint/performance/useDomNodeTextContent: what the page shows, not its hidden text
    .innerText()
    .catch(() => '');
  const state = await page
    .evaluate(async () => {
      const locks = await navigator.locks.query();
      const pending: string[] = [];
      for (const { name } of await indexedDB.databases()) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        if (db.objectStoreNames.contains('pending')) {
          const all = await new Promise<{ name: string; batch: string }[]>((ok, fail) => {
            const r = db.transaction('pending').objectStore('pending').getAll();
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          });
          pending.push(...all.map((p) => `${name}: ${p.name} (batch ${p.batch.slice(0, 8)})`));
        }
        db.close();
      }
      const names = (l?: LockInfo[]) => (l ?? []).map((x) => `${x.name} (${x.mode})`);
      return { held: names(locks.held), waiting: names(locks.pending), pending };
    })
    .catch((e: unknown) => String(e));
  console.log(
    `${name}: errors ${JSON.stringify(errors)}; locks and pending files ${JSON.stringify(state)}; body ${body.slice(0, 1200)}`,
  );
}

/** The document names as the library lists them. */
export async function documentNames(page: Page): Promise<string[]> {
  return documentList(page)
    .getByRole('listitem')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('button')?.textContent ?? ''));
}

/** One document's row, by its name. */
export const documentRow = (page: Page, name: string): Locator =>
  documentList(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name, exact: true }) });

/** Waits until the library lists at least `n` documents. */
export async function waitForDocuments(page: Page, n: number, timeout = 120_000): Promise<void> {
  await documentList(page)
    .getByRole('listitem')
    .nth(n - 1)
    .waitFor({ timeout });
}

/** Adds files through the "Add documents" button. */
export async function addFiles(page: Page, files: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
  await page.getByLabel('Add documents').setInputFiles(files);
}

/**
 * The system's file chooser, watched from now on; `await` it after the press or click that opens it.
 * Playwright turns its interception on asynchronously when the first watcher is added: a chooser
 * opened before that has landed is a native one no test ever sees (a flake under load). Call this a few
 * steps before the action, not in a Promise.all with it.
 */
export function watchFileChooser(page: Page, timeout = 60_000): Promise<FileChooser> {
  const chosen = page.waitForEvent('filechooser', { timeout });
  // Failing steps before the await must not leave this rejection unhandled.
  chosen.catch(() => undefined);
  return chosen;
}

/** Removes a document the way a person does: its ⋯ menu, Remove…, then confirm. */
export async function removeDocument(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Remove…' }).click();
  await page
    .getByRole('dialog', { name: `Remove ${name}?` })
    .getByRole('button', { name: 'Remove', exact: true })
    .click();
}

/** The conversation's turns (one article each: a question and its answer). */
export const turns = (page: Page): Locator =>
  page.getByRole('region', { name: 'Conversation', exact: true }).getByRole('article');

/** The sources listed under a turn's answer. */
export const sourcesOf = (turn: Locator): Locator => turn.getByRole('list', { name: 'Sources' }).getByRole('listitem');

/**
 * Asks in the app's question box (once the previous answer is done) and waits for the answer's
 * first source, or for "Not in your documents" (the closest passages folded away); returns that turn.
 */
export async function ask(page: Page, question: string, timeout = 60_000): Promise<Locator> {
  // The previous answer may still be refining its extract after its sources showed; a question
  // sent meanwhile would be refused, as it is for a person (Send is Stop until it is done).
  await waitForAnswer(page);
  const turn = page.getByRole('article').nth(await page.getByRole('article').count());
  const box = page.getByLabel('Ask a question');
  await box.fill(question);
  await box.press('Enter');
  await sourcesOf(turn).first().or(turn.locator('.declined')).waitFor({ timeout });
  return turn;
}

/** Waits until no answer is being written (the Send button is back in place of Stop). */
export async function waitForAnswer(page: Page, timeout = 60_000): Promise<void> {
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout });
}

/** The source panel (beside the conversation; a full-screen sheet on a phone). */
export const sourcePanel = (page: Page): Locator =>
  page.getByRole('complementary', { name: 'Source' }).or(page.getByRole('dialog', { name: 'Source' }));

/** The storage meter under the library. */
export const storageMeter = (page: Page): Locator => page.getByRole('region', { name: 'Storage' });

/** Opens one of the app menu's dialogs (Settings…, Backup and restore…, Check retrieval…). */
export async function openFromAppMenu(page: Page, item: string, dialog: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Folio menu' }).click();
  await page.getByRole('menuitem', { name: item }).click();
  const d = page.getByRole('dialog', { name: dialog });
  await d.waitFor();
  return d;
}

/** Opens the answer engines menu; returns it. */
export async function openEngines(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Answer engine/ }).click();
  const menu = page.getByRole('dialog', { name: 'Answer engines' });
  // The menu's contents load on their own, after its frame.
  await menu.getByRole('heading', { name: 'Answer engine', exact: true }).waitFor();
  return menu;
}

/**
 * Chooses a transformers.js model by hub id under "Advanced" in the engines menu (the test build
 * serves karpathy/stories260K from /models/) and waits until it is the engine in use.
 */
export async function useCustomModel(page: Page, hubId: string): Promise<void> {
  const menu = await openEngines(page);
  await menu.getByText('Advanced: a model from the hub by its id').click();
  await menu.getByLabel('Custom model id').fill(hubId);
  await menu.getByRole('button', { name: 'Add and download' }).click();
  await page.getByRole('button', { name: `Answer engine: ${hubId}`, exact: true }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Escape');
}

/**
 * The library's own integrity check (every document's chunks, vectors and keyword entries all
 * there, nothing orphaned), run by the core in a separate page of the same profile.
 */
export async function libraryIntegrity(
  context: BrowserContext,
): Promise<{ names: string[]; problems: string[]; chunks: number }> {
  const page = await context.newPage();
  try {
    await gotoHarness(page);
    return await page.evaluate(async () => {
      const lib = await window.folio.openLibraryInWorker({ localModelPath: '/models/', dtype: 'q8' });
      try {
        const report = await lib.checkIntegrity();
        return {
          names: (await lib.listDocuments()).map((d) => d.name).sort(),
          problems: report.problems,
          chunks: report.chunks,
        };
      } finally {
        await lib.close();
      }
    });
  } finally {
    await page.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Main-thread tasks over 50 ms, recorded in the page from now on (reported, not asserted: timings belong in benchmarks). */
export function watchLongTasks() {
  const w = window as unknown as { longTasks: number[] };
  w.longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
    type: 'longtask',
  });
}

export async function longTaskSummary(page: Page) {
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  return `${tasks.length} main-thread tasks over 50 ms, longest ${Math.round(Math.max(0, ...tasks))} ms`;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page) {
  // Evaluated by the test runner (an inline <script> would be refused by the app's CSP, rightly).
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: object,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Screenshots for notes and README, judged by eye: test-output/screenshots/. */
const shots = path.resolve('test-output/screenshots');
export const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * One screenshot per size and colour scheme; `show` brings the screen back after a resize, and
 * may return how to put away what it opened (the phone's library sheet).
 */
export async function photograph(
  page: Page,
  name: string,
  show: () => Promise<(() => Promise<void>) | void> = async () => {},
) {
  fs.mkdirSync(shots, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    const putAway = await show();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        animations: 'disabled',
        path: path.join(shots, `${size}-${name}${scheme === 'dark' ? '-dark' : ''}.png`),
      });
    }
    await putAway?.();
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES.desktop);
}
