import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES, MODELS_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  baseUrl,
  documentNames,
  gotoHarness,
  libraryIntegrity,
  newRecordedPage,
  sourcesOf,
  storageMeter,
  turns,
  useBrowser,
  waitForAnswer,
  waitForDocuments,
  watchFileChooser,
} from './chromium';

const browser = useBrowser({ webgpu: false });
const ROOT = path.resolve(import.meta.dirname, '../..');
const QUESTION = 'What do ducks eat?';

/** Runs the command line (`bin/folio.js`) as a person would, with the shared model folder. */
function folio(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/folio.js'), ...args], {
      env: { ...process.env, FOLIO_MODELS: MODELS_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`folio ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

interface CliPassage {
  docName: string;
  text: string;
  location: { page?: number; headings: string[]; start: number; end: number };
  score: number;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-publish-'));
const fixturesLibrary = path.join(dir, 'fixtures.folio');
const smallLibrary = path.join(dir, 'small.folio');
let cliPassages: CliPassage[] = [];

/** axe-core's serious and critical findings on the page as it is (as accessibility.test.ts checks the other screens). */
async function axeFindings(page: Page): Promise<string[]> {
  await page.evaluate(fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const found = await page.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(d: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document),
  );
  return found.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The first-run screen's button, given time: six test runs share this machine's two cores. */
async function start(page: Page, url = baseUrl()): Promise<void> {
  const seen: string[] = [];
  page.on('console', (m) => seen.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.push(`pageerror: ${String(e)}`));
  page.on('requestfailed', (r) => seen.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => seen.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  const button = page.getByRole('button', { name: 'Download and start' });
  await button.waitFor({ timeout: 120_000 }).catch(async (err: unknown) => {
    throw new Error(
      `${(err as Error).message}\nat ${page.url()}, the page shows: ${await page.evaluate(() => (document.body.textContent ?? '').slice(0, 400))}\n${seen.join('\n')}`,
    );
  });
  await button.click();
}

const collectionList = (page: Page) => page.getByRole('list', { name: 'Collections' });
const collectionRow = (page: Page, name: string) =>
  collectionList(page)
    .getByRole('listitem')
    .filter({ has: page.locator('.collection-name', { hasText: new RegExp(`^${name}$`) }) });

/** Waits for a collection row whose text says how many documents it holds. */
async function waitForCollection(page: Page, name: string, documents: number, timeout = 120_000): Promise<void> {
  await collectionRow(page, name)
    .getByText(new RegExp(`^${documents} documents? · `))
    .waitFor({ timeout });
}

/** Search in a second page of the same profile, through the core, within one collection. */
async function searchCollection(context: BrowserContext, collectionName: string, question: string, k: number) {
  const page = await context.newPage();
  try {
    await gotoHarness(page);
    return await page.evaluate(
      async ({ collectionName, question, k }) => {
        const lib = await window.folio.openLibraryInWorker({ localModelPath: '/models/', dtype: 'q8' });
        try {
          const c = (await lib.listCollections()).find((x) => x.name === collectionName);
          if (!c) throw new Error(`no collection ${collectionName}`);
          return (await lib.search(question, { k, collections: [c.id] })).map((h) => ({
            docName: h.docName,
            text: h.text,
            location: h.location,
            score: h.score,
          }));
        } finally {
          await lib.close();
        }
      },
      { collectionName, question, k },
    );
  } finally {
    await page.close();
  }
}

test('collections in the app: create, add documents, ask within one, rename, delete keeping the documents', async () => {
  const { page, context, errors } = await newRecordedPage(browser());
  await start(page);
  await addFiles(
    page,
    [FIXTURE_FILES.markdown, FIXTURE_FILES.html, FIXTURE_FILES.text].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(page, 3);
  // No collection yet: the question box shows no scope.
  await expect.poll(() => page.getByRole('button', { name: /^Ask in:/ }).count()).toBe(0);

  await page.getByRole('button', { name: 'New collection' }).click();
  const create = page.getByRole('dialog', { name: 'New collection' });
  await create.getByLabel('Name').fill('Birds');
  await create.getByRole('button', { name: 'Create' }).click();
  await waitForCollection(page, 'Birds', 0);
  // The new collection is chosen: its (empty) documents show, and questions are asked in it.
  await page.getByRole('heading', { name: /^Documents in Birds/ }).waitFor();
  await page.getByRole('button', { name: /^Ask in: Birds\./ }).waitFor();
  // A second collection of the same name is refused, by name.
  await page
    .getByRole('region', { name: /^Collections/ })
    .getByRole('button', { name: 'New', exact: true })
    .click();
  await create.getByLabel('Name').fill('birds');
  await create.getByRole('button', { name: 'Create' }).click();
  await create.getByRole('alert').getByText('There is already a collection called “Birds”.').waitFor();
  await create.getByRole('button', { name: 'Cancel' }).click();

  // The duck page goes into Birds from its ⋯ menu.
  await collectionRow(page, 'All documents').getByRole('button').first().click();
  await page.getByRole('button', { name: 'Actions for wiki_duck.html' }).click();
  await page.getByRole('menuitem', { name: 'Collections' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Birds' }).click();
  await waitForCollection(page, 'Birds', 1);
  await page.keyboard.press('Escape');

  // Files added while Birds is chosen go into it.
  await collectionRow(page, 'Birds').getByRole('button').first().click();
  await addFiles(page, path.join(FIXTURES_DIR, FIXTURE_FILES.docx));
  await waitForCollection(page, 'Birds', 2);
  expect((await documentNames(page)).sort()).toEqual(['wiki_duck.html', 'word_sample.docx']);
  // The collections, the chosen one's documents and "Ask in": nothing serious for axe, and a picture to look at.
  expect(await axeFindings(page)).toEqual([]);
  fs.mkdirSync('test-output/screenshots', { recursive: true });
  await page.screenshot({ animations: 'disabled', path: 'test-output/screenshots/collections.png' });

  // Asked in Birds, the IBM question is answered from Birds' documents only; in all documents, from the IBM page.
  const scoped = await ask(page, 'Which company is nicknamed Big Blue?');
  await waitForAnswer(page);
  // Birds holds nothing about IBM: declined, saying where it looked, with the closest passages
  // (folded) from Birds too.
  expect((await scoped.locator('.declined-title').textContent())?.trim()).toBe('Not in “Birds”');
  const scopedSources = await scoped.locator('ol.passages cite').allTextContents();
  expect(scopedSources.length).toBeGreaterThan(0);
  for (const name of scopedSources) expect(['wiki_duck.html', 'word_sample.docx']).toContain(name);
  await page.getByRole('button', { name: /^Ask in: Birds\./ }).click();
  await page.getByRole('menu', { name: 'Ask in' }).waitFor();
  expect(await axeFindings(page)).toEqual([]);
  await page.keyboard.press('Escape');
  // A question that names its document is not widened: searching all documents would search that one again.
  const named = await ask(page, 'What does wiki_duck.html say about the Dow Jones Industrial Average?');
  await waitForAnswer(page);
  await named.locator('.declined-title').waitFor();
  expect(await named.getByRole('button', { name: 'Search all documents' }).count()).toBe(0);
  // One click asks it again in all documents, and the picker says so from then on.
  await scoped.getByRole('button', { name: 'Search all documents' }).click();
  const all = turns(page).nth((await turns(page).count()) - 1);
  await sourcesOf(all).first().waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  expect(await all.getByRole('heading', { level: 2 }).textContent()).toBe('Which company is nicknamed Big Blue?');
  expect(await sourcesOf(all).locator('cite').first().textContent()).toBe('wiki-ibm.md');
  await page.getByRole('button', { name: /^Ask in: All documents\./ }).waitFor();

  // Rename, then a reload keeps collections, memberships and counts.
  await page.getByRole('button', { name: 'Actions for collection Birds' }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename collection' });
  await rename.getByLabel('Name').fill('Ducks');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await waitForCollection(page, 'Ducks', 2);
  await page.reload();
  await waitForCollection(page, 'Ducks', 2);

  // Delete (asked once): the documents stay in the library.
  await page.getByRole('button', { name: 'Actions for collection Ducks' }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const del = page.getByRole('dialog', { name: 'Delete Ducks?' });
  await del.getByText('its 2 documents stay in your library unless you tick the box').waitFor();
  await del.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'New collection' }).waitFor();
  await waitForDocuments(page, 4);
  expect((await documentNames(page)).sort()).toEqual([
    'war-and-peace-1p.txt',
    'wiki-ibm.md',
    'wiki_duck.html',
    'word_sample.docx',
  ]);
  expect((await libraryIntegrity(context)).problems).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

describe('library files made by the command line', () => {
  beforeAll(async () => {
    // The fixtures folder as `folio index` makes it, and what `folio ask --json` finds in it.
    await folio('index', FIXTURES_DIR, '--out', fixturesLibrary, '--json');
    cliPassages = (
      JSON.parse(await folio('ask', fixturesLibrary, QUESTION, '--json', '--k', '5')) as { passages: CliPassage[] }
    ).passages;
    // A second version of a published library: two of those files only.
    const two = path.join(dir, 'two');
    fs.mkdirSync(two);
    // Same places as in the fixtures folder, so the same documents have the same names in both versions.
    for (const f of [FIXTURE_FILES.markdown, FIXTURE_FILES.text]) {
      fs.mkdirSync(path.dirname(path.join(two, f)), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES_DIR, f), path.join(two, f));
    }
    await folio('index', two, '--out', smallLibrary, '--json');
  }, 600_000);

  test('a library file made by `folio index` opens as a read-only collection and finds the passages `folio ask --json` finds', async () => {
    const { page, context, errors } = await newRecordedPage(browser());
    await start(page);
    await storageMeter(page).waitFor({ timeout: 120_000 });
    const chosen = watchFileChooser(page);
    await page.getByRole('button', { name: 'Folio menu' }).click();
    await page.getByRole('menuitem', { name: 'Open a library file…' }).click();
    const chooser = await chosen;
    await chooser.setFiles(fixturesLibrary);
    await waitForCollection(page, 'fixtures', 8);
    await page.getByRole('button', { name: /^Ask in: fixtures\./ }).waitFor();

    // The same passages, in the same order, with the same places; scores equal but for the query's
    // embedding (native ONNX Runtime there, WebAssembly here).
    const found = await searchCollection(context, 'fixtures', QUESTION, 5);
    expect(found.map((p) => [p.docName, p.text, p.location.start, p.location.end, p.location.page])).toEqual(
      cliPassages.map((p) => [p.docName, p.text, p.location.start, p.location.end, p.location.page]),
    );
    for (const [i, p] of found.entries()) expect(Math.abs(p.score - cliPassages[i]!.score)).toBeLessThan(0.01);
    // And the app's answer cites them: its first source is one of those passages' documents (the
    // answer orders its passages by their best sentence for the question, not by search score).
    const turn = await ask(page, QUESTION);
    await waitForAnswer(page);
    expect(cliPassages.map((p) => p.docName)).toContain(await sourcesOf(turn).locator('cite').first().textContent());

    // Read-only: its documents cannot be removed one by one.
    await page.getByRole('button', { name: `Actions for ${cliPassages[0]!.docName}` }).click();
    await expect
      .poll(() =>
        page.getByRole('menuitem', { name: /^Remove \(comes with “fixtures”\)/ }).getAttribute('aria-disabled'),
      )
      .toBe('true');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a published library (?library=) is fetched with progress, stored, revalidated with its ETag, and follows a new version', async () => {
    // The site's own URL, answered here: the first version, then "not modified", then a new version.
    const served: { version: 'v1' | 'v2'; requests: { ifNoneMatch: string | undefined; status: number }[] } = {
      version: 'v1',
      requests: [],
    };
    const files = { v1: fs.readFileSync(fixturesLibrary), v2: fs.readFileSync(smallLibrary) };
    const context = await browser().newContext({ serviceWorkers: 'block' });
    const errors: string[] = [];
    // By path: a glob would also match the app's own address, whose query names the file.
    await context.route(
      (url) => url.pathname === '/published/team.folio',
      async (route: Route) => {
        const ifNoneMatch = route.request().headers()['if-none-match'];
        const etag = `"${served.version}"`;
        const status = ifNoneMatch === etag ? 304 : 200;
        served.requests.push({ ifNoneMatch, status });
        if (status === 304) return route.fulfill({ status, headers: { ETag: etag } });
        return route.fulfill({
          status,
          body: files[served.version],
          headers: { ETag: etag, 'Content-Type': 'application/octet-stream' },
        });
      },
    );
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    // What the progress line under Collections said while the file came in (however briefly).
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { progressSeen: seen });
      new MutationObserver(() => {
        const text = document.querySelector('.collection-activity')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await start(page, `${baseUrl()}?library=/published/team.folio`);
    await waitForCollection(page, 'team', 8);
    expect(served.requests).toEqual([{ ifNoneMatch: undefined, status: 200 }]);
    const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progress.some((t) => t.startsWith('Fetching team'))).toBe(true);
    expect(progress.some((t) => /^Storing team: \d of 8 documents/.test(t))).toBe(true);
    const found = await searchCollection(context, 'team', QUESTION, 5);
    expect(found.map((p) => [p.docName, p.text])).toEqual(cliPassages.map((p) => [p.docName, p.text]));

    // Next visit: asked with its ETag, the server says nothing changed; nothing is read again.
    await page.reload();
    await expect.poll(() => served.requests.length, { timeout: 120_000 }).toBe(2);
    expect(served.requests[1]).toEqual({ ifNoneMatch: '"v1"', status: 304 });
    await waitForCollection(page, 'team', 8);

    // The publisher replaces the file: the collection follows it, documents gone from it go.
    served.version = 'v2';
    await page.reload();
    await waitForCollection(page, 'team', 2);
    expect(served.requests[2]).toEqual({ ifNoneMatch: '"v1"', status: 200 });
    // Published libraries are added to the library; questions stay where they were asked.
    await page.getByRole('button', { name: /^Ask in: All documents\./ }).waitFor();
    await collectionRow(page, 'All documents').getByRole('button').first().click();
    await waitForDocuments(page, 2);
    expect((await documentNames(page)).sort()).toEqual(['md/wiki-ibm.md', 'txt/war-and-peace-1p.txt']);
    expect((await libraryIntegrity(context)).problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
