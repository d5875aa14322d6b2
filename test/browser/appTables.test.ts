import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { xlsx } from '../../scripts/lib/office';
import {
  addFiles,
  newRecordedPage,
  openEngines,
  seriousViolations,
  openApp,
  sourcePanel,
  sourcesOf,
  useBrowser,
  waitForAnswer,
  waitForDocuments,
} from './chromium';
import { scriptedModelServer } from './scriptedModel';

// Issue 24 through the app: a CSV and an XLSX added, questions over them computed and shown with
// their working, the rows used opened in the source panel, and a question the rules cannot
// compute declined with its reason above the passages.

const browser = useBrowser({ webgpu: false });
const TABLES = path.resolve('../shared/data/tables');
const SHOTS = '/tmp/p24-shots';

/** Lines of a CSV with no quoted commas in the columns read here (checked by the callers). */
const lines = (file: string) => fs.readFileSync(path.join(TABLES, file), 'utf8').trim().split(/\r?\n/);

/** The XLSX: Iowa's electricity by source and year, from the shared CSV, years as Excel date cells. */
function iowaWorkbook(): Uint8Array {
  const [head, ...rows] = lines('iowa-electricity.csv').map((l) => l.split(','));
  return xlsx([{ name: 'Iowa', rows: [head!, ...rows.map((r) => [{ date: r[0]! }, r[1]!, Number(r[2])])] }]);
}

/** Renewables' mean net generation, computed from the CSV with this test's own code. */
function renewablesMean(): number {
  const values = lines('iowa-electricity.csv')
    .slice(1)
    .map((l) => l.split(','))
    .filter((r) => r[1] === 'Renewables')
    .map((r) => Number(r[2]));
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Hurricanes of a state, from the raw CSV with this test's own code. */
function hurricanesOf(state: string): number {
  const [head, ...rows] = lines('population_engineers_hurricanes.csv').map((l) => l.split(','));
  return rows
    .filter((r) => r[head!.indexOf('state')] === state)
    .reduce((a, r) => a + Number(r[head!.indexOf('hurricanes')]), 0);
}

const SCRIPTED = 'scripted-table-model';

/**
 * A model server on this computer (the OpenAI-compatible API, streamed) whose model writes what
 * the test scripts: `reply` for the table prompt, a fixed sentence for any other.
 */
async function scriptedServer() {
  let proposal = 'null';
  const tablePrompts: string[] = [];
  const server = await scriptedModelServer(SCRIPTED, (messages) => {
    if (!messages[0]?.content.includes('structured query')) return 'The documents list hurricanes by state [1].';
    tablePrompts.push(messages.map((m) => m.content).join('\n'));
    return proposal;
  });
  return {
    ...server,
    tablePrompts,
    reply: (text: string) => {
      proposal = text;
    },
  };
}

/** Asks and waits for the turn's answer: a computed table answer, or passages. */
async function askTable(page: Page, question: string): Promise<Locator> {
  await waitForAnswer(page);
  const turn = page.getByRole('article').nth(await page.getByRole('article').count());
  const box = page.getByLabel('Ask a question');
  await box.fill(question);
  await box.press('Enter');
  await turn.locator('.table-answer').or(sourcesOf(turn).first()).first().waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  return turn;
}

test('a CSV and an XLSX: a count and an average computed, shown, cited; the rows opened; a question declined', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await page.setViewportSize({ width: 1280, height: 800 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-tables-'));
  const book = path.join(dir, 'iowa-electricity.xlsx');
  fs.writeFileSync(book, iowaWorkbook());
  await openApp(page);
  await addFiles(page, [
    path.join(TABLES, 'gapminder-health-income.csv'),
    path.join(TABLES, 'population_engineers_hurricanes.csv'),
    book,
  ]);
  await waitForDocuments(page, 3, 240_000);

  // A count over the CSV: the number, and beside it the computation a person can check.
  const southAsia = lines('gapminder-health-income.csv').filter((l) => l.endsWith(',south_asia')).length;
  expect(southAsia).toBe(8);
  const count = await askTable(page, 'How many countries are in the south asia region?');
  const counted = count.locator('.table-answer');
  expect(await counted.locator('.table-value').textContent()).toBe(String(southAsia));
  expect(await counted.locator('.table-computation').textContent()).toBe(
    `Counted rows of gapminder-health-income.csv where region is south_asia: ${southAsia}`,
  );
  // Computed: no quoted passage, no passages under it.
  expect(await count.getByRole('blockquote').count()).toBe(0);
  expect(await sourcesOf(count).count()).toBe(0);

  // The query is one click away, as the structured query that ran.
  await counted.getByRole('button', { name: 'Show the query' }).click();
  const query = JSON.parse((await counted.locator('.table-query').textContent()) ?? '');
  expect(query).toEqual({
    table: 'gapminder-health-income.csv',
    op: 'count',
    filters: [{ column: 'region', op: 'eq', value: 'south_asia' }],
  });

  // The chip to the table opens the rows used in the source panel, as a table.
  const chip = counted.getByRole('button', { name: 'Open the rows used: gapminder-health-income.csv 8 rows' });
  expect(await chip.textContent()).toMatch(/gapminder-health-income\.csv\s*8 rows/);
  await chip.click();
  const panel = sourcePanel(page);
  await panel.getByRole('heading', { name: 'Rows used' }).waitFor();
  const grid = panel.getByRole('table');
  await grid.waitFor({ timeout: 30_000 });
  expect(await grid.locator('thead th').allTextContents()).toEqual([
    'Row',
    'country',
    'income',
    'health',
    'population',
    'region',
  ]);
  expect(await grid.locator('tbody tr').count()).toBe(southAsia);
  const regions = await grid.locator('tbody tr td:last-child').allTextContents();
  expect(new Set(regions)).toEqual(new Set(['south_asia']));
  const countries = await grid.locator('tbody tr td:first-of-type').allTextContents();
  expect(countries).toEqual(expect.arrayContaining(['Afghanistan', 'India', 'Pakistan']));
  expect(await panel.getByText('8 rows used · where region = south_asia').count()).toBe(1);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-desktop-light.png') });
  // Contrast, names and roles of the answer and the rows, in both themes.
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-desktop-dark.png') });
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  // Esc closes it and gives focus back to the chip.
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  expect(await chip.evaluate((b) => b === document.activeElement)).toBe(true);

  // An average over the XLSX's sheet, cited as workbook › sheet.
  const mean = await askTable(page, 'What was the average net generation from renewables?');
  const averaged = mean.locator('.table-answer');
  expect(await averaged.locator('.table-value').textContent()).toBe(
    Math.round(renewablesMean()).toLocaleString('en-US'),
  );
  expect(await averaged.locator('.table-computation').textContent()).toMatch(
    /^Averaged 17 values of net_generation over rows of iowa-electricity\.xlsx › Iowa where source is Renewables: /,
  );
  const sheetChip = averaged.getByRole('button', {
    name: /^Open the rows used: iowa-electricity\.xlsx › Iowa · sheet 1 17 rows$/,
  });
  expect(await sheetChip.textContent()).toMatch(/iowa-electricity\.xlsx › Iowa · sheet 1\s*17 rows/);
  await sheetChip.click();
  await panel.getByRole('table').locator('tbody tr').nth(16).waitFor({ timeout: 30_000 });
  expect(await panel.getByRole('table').locator('thead th').allTextContents()).toEqual([
    'Row',
    'year',
    'source',
    'net_generation',
  ]);
  expect(new Set(await panel.locator('tbody tr td:nth-of-type(2)').allTextContents())).toEqual(new Set(['Renewables']));
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });

  // More than 100 rows used: the first 100 are shown, and the panel says so.
  const all = lines('gapminder-health-income.csv').length - 1;
  const many = await askTable(page, 'How many countries are in gapminder?');
  expect(await many.locator('.table-value').textContent()).toBe(String(all));
  await many.getByRole('button', { name: `Open the rows used: gapminder-health-income.csv ${all} rows` }).click();
  await panel.getByText(`Showing 100 of ${all} rows used`).waitFor({ timeout: 30_000 });
  await panel.getByRole('table').locator('tbody tr').nth(99).waitFor({ timeout: 30_000 });
  expect(await panel.getByRole('table').locator('tbody tr').count()).toBe(100);
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });

  // An ambiguous question says which reading it took and offers the other as a question to ask.
  const ambiguous = await askTable(page, 'Which source had the highest net generation?');
  expect(await ambiguous.locator('.table-reading').textContent()).toMatch(
    /the highest total per source is the other reading/,
  );
  const turnsBefore = await page.getByRole('article').count();
  await ambiguous
    .getByRole('list', { name: 'The other reading' })
    .getByRole('button', { name: 'Which source had the highest total net generation?' })
    .click();
  const other = page.getByRole('article').nth(turnsBefore);
  await other.locator('.table-answer').waitFor({ timeout: 60_000 });
  expect(await other.getByRole('heading').first().textContent()).toBe(
    'Which source had the highest total net generation?',
  );
  expect(await other.locator('.table-computation').textContent()).toMatch(
    /^Grouped rows of iowa-electricity\.xlsx › Iowa by source and took the one with the highest total net_generation/,
  );
  await waitForAnswer(page);

  // A question the rules cannot compute ("no" hurricanes) is declined with its reason, above the
  // passages that follow; no number is given.
  const declined = await askTable(page, 'How many states had no hurricanes?');
  const note = declined.locator('[data-table-answer="declined"]');
  expect(await note.textContent()).toMatch(
    /Not computed\. This looks like a question about population_engineers_hurricanes\.csv, but it could not be computed exactly: conditions such as “no” are not computed yet\./,
  );
  expect(await declined.locator('.table-value').count()).toBe(0);
  expect(await sourcesOf(declined).count()).toBeGreaterThan(0);

  // The phone: the same answer, its rows in a sheet.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const phoneChip = count.getByRole('button', { name: 'Open the rows used: gapminder-health-income.csv 8 rows' });
  await phoneChip.scrollIntoViewIfNeeded();
  await phoneChip.click();
  await panel.getByRole('table').locator('tbody tr').nth(7).waitFor({ timeout: 30_000 });
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-phone-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-phone-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  await phoneChip.scrollIntoViewIfNeeded();
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-phone-answer-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-phone-answer-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  // The ambiguous answer with its other reading, on a desktop.
  await page.setViewportSize({ width: 1280, height: 800 });
  await ambiguous.scrollIntoViewIfNeeded();
  await page.screenshot({ animations: 'disabled', path: path.join(SHOTS, 'table-reading-desktop-light.png') });
  expect(await seriousViolations(page)).toEqual([]);

  // With an answer model chosen, a question the rules do not read goes to the model for a
  // structured query. The engine here is a controlled one: a model server on this computer (the
  // app's real engine for it) whose replies the test scripts.
  const server = await scriptedServer();
  try {
    const menu = await openEngines(page);
    await menu.locator('summary', { hasText: 'A model server on this computer' }).click();
    await menu.getByLabel('Model server address').fill(server.url);
    await menu.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('button', { name: `Answer engine: ${SCRIPTED}`, exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    server.reply(
      JSON.stringify({
        table: 'population_engineers_hurricanes.csv',
        op: 'sum',
        column: 'hurricanes',
        filters: [{ column: 'state', op: 'eq', value: 'Florida' }],
      }),
    );
    const byModel = await askTable(page, 'Tell me the hurricanes of Florida');
    expect(server.tablePrompts).toHaveLength(1);
    expect(await byModel.locator('.table-value').textContent()).toBe(String(hurricanesOf('Florida')));
    expect(await byModel.locator('.table-answer').textContent()).toContain(
      'The answer model proposed this query; it was checked against the table and run.',
    );
    // An invalid query is declined with its reason and never run; the written answer follows.
    server.reply('{"table": "population_engineers_hurricanes.csv", "op": "mean", "column": "state", "filters": []}');
    const invalid = await askTable(page, 'Tell me the hurricanes of Florida');
    expect(await invalid.locator('[data-table-answer="declined"]').textContent()).toMatch(
      /Not computed\. The proposed query was not run: “state” holds text, not numbers\./,
    );
    expect(await invalid.locator('.table-value').count()).toBe(0);
    await invalid.locator('.answer-text').waitFor({ timeout: 60_000 });
  } finally {
    await server.stop();
  }

  expect(errors).toEqual([]);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 600_000);
