import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  openEngines,
  seriousViolations,
  sourcePanel,
  turns,
  useBrowser,
  waitForDocuments,
  baseUrl,
} from './chromium';

const browser = useBrowser({ webgpu: false });

// The README's screenshots come from here: FOLIO_UPDATE_SCREENSHOTS=1 npm test refreshes them.
// The others (for looking at every theme and width) go to test-output/screenshots.
const README_SHOTS = new Set(['first-run', 'desktop-light', 'engines-menu', 'phone-dark']);
const shoot = async (page: Page, name: string) => {
  const dir =
    process.env.FOLIO_UPDATE_SCREENSHOTS === '1' && README_SHOTS.has(name)
      ? 'docs/screenshots'
      : 'test-output/screenshots';
  fs.mkdirSync(dir, { recursive: true });
  // Entrance animations (150–200 ms, longer on a loaded machine) finish; spinners never do.
  await page.waitForTimeout(150);
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => {})),
    ),
  );
  await page.screenshot({ animations: 'disabled', path: path.join(dir, `${name}.png`) });
};

/** Whether an element's box lies inside the visible part of the scrolling box around it. */
const inView = (page: Page, selector: string, scroller: string) =>
  page.evaluate(
    ([sel, box]) => {
      const el = document.querySelector(sel!);
      const sc = el?.closest(box!);
      if (!el || !sc) return false;
      const r = el.getBoundingClientRect();
      const v = sc.getBoundingClientRect();
      return r.top >= v.top - 1 && r.top < v.bottom && r.bottom > v.top;
    },
    [selector, scroller],
  );

for (const [name, viewport, scheme, shots] of [
  [
    'desktop, light',
    { width: 1440, height: 900 },
    'light',
    { firstRun: 'first-run', source: 'desktop-light', engines: 'engines-menu' },
  ],
  ['desktop, dark', { width: 1440, height: 900 }, 'dark', { source: 'desktop-dark' }],
  ['phone, dark', { width: 390, height: 844 }, 'dark', { firstRun: 'phone-first-run', source: 'phone-dark' }],
] as const) {
  test(`no serious accessibility violations (${name}): first run, documents, an answer, its source open on the PDF page, the engines menu`, async () => {
    const context = await browser().newContext({ viewport, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(baseUrl());
    await page.getByRole('button', { name: 'Download and start' }).waitFor();
    if ('firstRun' in shots) await shoot(page, shots.firstRun);
    expect(await seriousViolations(page)).toEqual([]);
    const files = [path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'), path.join(FIXTURES_DIR, 'docx/mammoth-tables.docx')];
    const phone = viewport.width <= 480;
    // Three ways in: documents chosen on the first screen start Folio (desktop, dark); on a phone the
    // library is a sheet behind ☰, so files come from the empty state's button; else the library's.
    if (scheme === 'dark' && !phone) await page.getByLabel('Choose documents to start with').setInputFiles(files);
    else {
      await page.getByRole('button', { name: 'Download and start' }).click();
      if (phone) await page.getByLabel('Choose documents to add').setInputFiles(files);
      else await addFiles(page, files);
    }
    if (phone) {
      await page.getByRole('button', { name: 'Open library' }).click();
      await waitForDocuments(page, 2);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Close library' }).click();
    } else await waitForDocuments(page, 2);
    // ("What is in the table?" alone is declined now: no words of the library's match it.)
    await ask(page, 'What is in the top left cell of the table?');
    const turn = await ask(page, 'Who patented the typewriter?');
    await turn.getByRole('button', { name: 'Source 1' }).first().click();
    const panel = sourcePanel(page);
    await panel.getByRole('figure', { name: 'Page 1' }).locator('.pdf-highlight').first().waitFor({ timeout: 30_000 });
    // The boxed lines are scrolled into view, and the page fits the panel's width.
    expect(await inView(page, '.pdf-focus', '.source-body')).toBe(true);
    expect(await panel.locator('canvas').evaluate((c, w) => c.getBoundingClientRect().width <= w, viewport.width)).toBe(
      true,
    );
    await shoot(page, shots.source);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing overflows sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    if (phone) {
      // On a phone the source is a sheet from the bottom: swiping it down by its header closes it.
      const top = (await panel.boundingBox())!.y;
      await page.mouse.move(viewport.width / 2, top + 30);
      await page.mouse.down();
      for (let dy = 20; dy <= 400; dy += 40) await page.mouse.move(viewport.width / 2, top + 30 + dy);
      await page.mouse.up();
    } else await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await openEngines(page);
    if ('engines' in shots) await shoot(page, shots.engines);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await turns(page).count()).toBe(2);
    await context.close();
  });
}

test('what the answer pipeline records is shown, accessibly: a written answer with an unsupported sentence, and a question the documents do not cover', async () => {
  const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Download and start' }).click();
  await addFiles(page, path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
  await waitForDocuments(page, 1);
  await ask(page, 'Who patented the typewriter?');
  await page.waitForTimeout(500); // saved when it settles
  // Two more turns, as the pipeline's events fold into records (core/answer/types.ts), on the
  // passages this question really found.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open('folio-conversations');
      r.onsuccess = () => resolve(r.result);
    });
    const all = await new Promise<{ id: string; turns: Record<string, unknown>[] }[]>((resolve) => {
      const r = db.transaction('conversations').objectStore('conversations').getAll();
      r.onsuccess = () => resolve(r.result as { id: string; turns: Record<string, unknown>[] }[]);
    });
    const conversation = all.find((c) => c.turns.length)!;
    const found = conversation.turns[0]!;
    const quote = 'Patented in 1868 by Christopher Latham Sholes, the typewriter revolutionized written communication';
    const support = { passage: 1, start: 0, end: quote.length, quote, score: 0.9 };
    conversation.turns.push(
      {
        ...found,
        id: 'written',
        question: 'Who patented the typewriter, and what became of the patent?',
        answer:
          'Christopher Latham Sholes patented the typewriter in 1868 [1]. It changed written communication [1]. He sold the patent to Remington.',
        checked: {
          sentences: [
            { text: 'Christopher Latham Sholes patented the typewriter in 1868 [1].', citations: [1], support },
            { text: 'It changed written communication [1].', citations: [1], support },
            { text: 'He sold the patent to Remington.', citations: [], support: null },
          ],
          supported: 2,
          total: 3,
        },
      },
      {
        ...found,
        id: 'declined',
        question: 'What is the boiling point of mercury?',
        extract: undefined,
        answer: '',
        declined: { reason: 'None of your documents mention mercury.' },
      },
    );
    await new Promise((resolve) => {
      const w = db
        .transaction('conversations', 'readwrite')
        .objectStore('conversations')
        .put(conversation, conversation.id);
      w.onsuccess = resolve;
    });
    db.close();
  });
  await page.reload();
  const written = turns(page).nth(1);
  await written.waitFor({ timeout: 60_000 });
  expect(await written.getByText('2 of 3 sentences supported by your documents').count()).toBe(1);
  expect(await written.getByText('He sold the patent to Remington. (not found in your documents)').count()).toBe(1);
  expect(await written.getByRole('button', { name: 'Source 1' }).count()).toBeGreaterThanOrEqual(2);
  // Focusing a chip shows the sentence that supports it.
  await written.locator('.checked').getByRole('button', { name: 'Source 1' }).first().focus();
  expect(await page.getByRole('tooltip').textContent()).toContain(quote);
  const declined = turns(page).nth(2);
  expect(await declined.getByText('Not in your documents').count()).toBe(1);
  await declined.getByText(/^Closest passages, probably not it \(\d\)$/).click();
  await declined
    .getByRole('list', { name: 'Closest passages, probably not it' })
    .getByRole('listitem')
    .first()
    .waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await shoot(page, 'answer-states');
  await context.close();
});

const quote = 'Patented in 1868 by Christopher Latham Sholes, the typewriter revolutionized written communication';
