import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

/** Flags for headless Chromium as root on a machine without a GPU or outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // WebGPU through SwiftShader (CPU-emulated): slow, but it is the real WebGPU code path.
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

/** Asks in the app's question box and waits for the answer's first source; returns that turn. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const turn = page.locator('.turn').nth(await page.locator('.turn').count());
  const box = page.getByLabel('Ask a question');
  await box.fill(question);
  await box.press('Enter');
  await turn.locator('.sources li').first().waitFor({ timeout: 60_000 });
  return turn;
}

/**
 * The library's own integrity check (every document's chunks, vectors and keyword entries all
 * there, nothing orphaned), run by the core in a separate page of the same profile.
 */
export async function libraryIntegrity(context: BrowserContext): Promise<{ names: string[]; problems: string[]; chunks: number }> {
  const page = await context.newPage();
  try {
    await gotoHarness(page);
    return await page.evaluate(async () => {
      const lib = await window.folio.openLibraryInWorker({ localModelPath: '/models/', dtype: 'q8' });
      try {
        const report = await lib.checkIntegrity();
        return { names: (await lib.listDocuments()).map((d) => d.name).sort(), problems: report.problems, chunks: report.chunks };
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
  new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
}

export async function longTaskSummary(page: Page) {
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  return `${tasks.length} main-thread tasks over 50 ms, longest ${Math.round(Math.max(0, ...tasks))} ms`;
}
