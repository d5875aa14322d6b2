import { expect, test } from 'vitest';
import {
  addFiles,
  newRecordedPage,
  openApp,
  openEngines,
  photograph,
  turns,
  useBrowser,
  waitForAnswer,
  waitForDocuments,
} from './chromium';
import { scriptedModelServer } from './scriptedModel';

/**
 * A list question with an answer model chosen (issue 21): every passage is read, then each sentence
 * found is put to the model as a yes/no question, eight at a time. Through the app, against a model
 * server on this computer (the app's real engine for it) whose answers the test scripts and can hold
 * back: the page says it is checking and how far, a Stop then keeps the sentences as unconfirmed,
 * and a check that runs to its end drops what the model said no to.
 */
const browser = useBrowser({ webgpu: false });

const CHECKER = 'scripted-checker';
const CONFIRM = /yes or no: does the sentence itself say this\?/;

/** A fleet log: brake failures told three ways, drills that only sound like one, routine work. */
function fleetLog(): string {
  const failures = [
    'Van {n} had a brake failure on the ring road and was towed to the depot.',
    'The brakes of truck {n} failed on the hill into town; nobody was hurt.',
    'Trailer {n} lost its brakes on the motorway slip road.',
  ];
  const out = ['# Fleet workshop log'];
  for (let i = 0; i < 120; i++) {
    if (i % 30 === 0) out.push(`## ${['January', 'February', 'March', 'April'][i / 30]}`);
    const n = String(1 + (i % 97));
    const text =
      i % 6 === 1
        ? failures[((i / 6) % 3) | 0]!
        : i % 10 === 4
          ? 'A brake failure drill was run with van {n}: the driver stopped it on the handbrake.'
          : 'Van {n} was washed and its tyres were checked.';
    out.push(`Entry ${i + 1}. ${text.replace('{n}', n)}`);
  }
  return out.join('\n\n');
}

/**
 * The OpenAI-compatible API, streamed: a confirmation prompt is answered line by line ("3. no" for a
 * drill, "yes" for the rest) unless `hold` keeps its reply back until released or the page gives up
 * on it; any other prompt gets one sentence.
 */
async function checkerServer() {
  const asked: { sentence: string; yes: boolean }[] = [];
  let hold = (_batch: number) => false;
  let release = () => {};
  let confirmations = 0;
  const server = await scriptedModelServer(CHECKER, async (messages, gone) => {
    if (!CONFIRM.test(messages[0]?.content ?? '')) return 'The log lists brake failures [1].';
    const batch = confirmations++;
    if (hold(batch)) {
      const left = await Promise.race([new Promise<boolean>((r) => (release = () => r(false))), gone.then(() => true)]);
      if (left) return null;
    }
    const sentences = [...(messages[1]?.content ?? '').matchAll(/^(\d+)\. (.*)$/gm)];
    return sentences
      .map(([, n, sentence]) => {
        const yes = !/drill/.test(sentence!);
        asked.push({ sentence: sentence!, yes });
        return `${n}. ${yes ? 'yes' : 'no'}`;
      })
      .join('\n');
  });
  return {
    ...server,
    asked,
    holdFrom(batch: number) {
      confirmations = 0;
      hold = (b) => b >= batch;
    },
    answerAll() {
      hold = () => false;
      release();
    },
  };
}

test('a list checked by the model: the page says how far the check is, its no drops a sentence at once, Stop keeps the rest as not yet checked', async () => {
  const server = await checkerServer();
  try {
    const { context, page, errors } = await newRecordedPage(browser());
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page);
    await addFiles(page, [{ name: 'fleet-log.md', mimeType: 'text/markdown', buffer: Buffer.from(fleetLog()) }]);
    await waitForDocuments(page, 1, 300_000);
    const menu = await openEngines(page);
    await menu.locator('summary', { hasText: 'A model server on this computer' }).click();
    await menu.getByLabel('Model server address').fill(server.url);
    await menu.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('button', { name: `Answer engine: ${CHECKER}`, exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');

    // The second batch of eight is held: the page shows the check part-way.
    server.holdFrom(1);
    const question = 'List every brake failure in fleet-log.md';
    const box = page.getByLabel('Ask a question');
    await box.fill(question);
    await box.press('Enter');
    const turn = turns(page).first();
    const progress = turn.locator('.whole-progress');
    await expect
      .poll(() => progress.textContent().catch(() => ''), { timeout: 300_000, interval: 100 })
      .toMatch(/^Checking with the model — 8 of (\d+) sentences checked \(found in (\d+) passages\)/);
    const [, checking, passages] = /— 8 of (\d+) sentences checked \(found in (\d+) passages\)/.exec(
      (await progress.textContent())!,
    )!;
    expect(Number(checking)).toBeGreaterThan(8);
    await photograph(page, 'list-checking', async () => {
      await progress.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    });

    // Stopped there: every passage was read; what the model said no to in the first eight is gone,
    // the rest is shown and said to be not yet checked.
    const firstNo = server.asked.filter((a) => !a.yes).map((a) => a.sentence);
    expect(server.asked).toHaveLength(8);
    expect(firstNo.length).toBeGreaterThan(0);
    await turn.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    const shown = Number(checking) - firstNo.length;
    expect((await turn.locator('.stopped').textContent())?.trim()).toBe(
      `Stopped while the model checked what was found: 8 of ${checking} sentences checked, ${firstNo.length} rejected; ${shown} shown, ${Number(checking) - 8} of them unchecked — not a complete answer. All ${passages} passages were read.`,
    );
    const kept = await turn.locator('.whole-items > li').allTextContents();
    expect(kept).toHaveLength(shown);
    expect(kept.filter((l) => firstNo.some((s) => l.includes(s)))).toEqual([]);
    await photograph(page, 'list-check-stopped', async () => {
      await turn.locator('.stopped').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    });

    // Asked again with every reply given: what the model said no to is not listed, the rest is.
    server.answerAll();
    await waitForAnswer(page, 30_000);
    server.asked.length = 0;
    await box.fill(question);
    await box.press('Enter');
    const checked = turns(page).nth(1);
    await checked.locator('.whole-items').first().waitFor({ timeout: 300_000 });
    await waitForAnswer(page, 120_000);
    const listed = (await checked.locator('.whole-items > li').allTextContents()).map((t) => t.replace(/\s*\d+$/, ''));
    const no = server.asked.filter((a) => !a.yes).map((a) => a.sentence);
    const yes = server.asked.filter((a) => a.yes).map((a) => a.sentence);
    expect(server.asked).toHaveLength(Number(checking));
    expect(no.length).toBeGreaterThan(0);
    expect(yes.length).toBeGreaterThan(0);
    for (const s of no)
      expect(
        listed.some((l) => l.includes(s)),
        s,
      ).toBe(false);
    for (const s of yes)
      expect(
        listed.some((l) => l.includes(s)),
        s,
      ).toBe(true);
    expect(await checked.locator('.whole-items .cite').count()).toBe(listed.length);
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    await server.stop();
  }
}, 600_000);
