import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';
import {
  baseUrl,
  documentNames,
  newRecordedPage,
  openApp,
  sourcesOf,
  turns,
  useBrowser,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

/**
 * "Open with Folio": the built app installed in real headless Chromium (DevTools' PWA.install, in
 * a profile of its own, as installing needs one), then real files launched into it the way the
 * system's "Open with" does (PWA.launchFilesInApp): they arrive through window.launchQueue and are
 * added to the library.
 */
test('the installed app registers its formats and adds the files it is opened with', { timeout: 300_000 }, async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-installed-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS.filter((a) => !/webgpu|swiftshader|angle/.test(a)),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openApp(page);

    const manifest = (await (await context.request.get(`${baseUrl()}manifest.webmanifest`)).json()) as {
      file_handlers: { action: string; accept: Record<string, string[]> }[];
      launch_handler: { client_mode: string };
    };
    expect(manifest.launch_handler).toEqual({ client_mode: 'focus-existing' });
    const accepted = manifest.file_handlers.flatMap((h) => Object.values(h.accept).flat());
    for (const ext of [
      '.pdf',
      '.docx',
      '.html',
      '.md',
      '.txt',
      '.epub',
      '.pptx',
      '.xlsx',
      '.csv',
      '.rtf',
      '.odt',
      '.png',
    ])
      expect(accepted).toContain(ext);

    const cdp = await context.newCDPSession(page);
    const manifestId = baseUrl();
    await cdp.send('PWA.install', { manifestId, installUrlOrBundleUrl: baseUrl() });
    const state = (await cdp.send('PWA.getOsAppState', { manifestId })) as { fileHandlers: { action: string }[] };
    expect(state.fileHandlers.map((h) => h.action)).toEqual([baseUrl()]);

    const files = [FIXTURE_FILES.pdf, FIXTURE_FILES.markdown].map((f) => path.join(FIXTURES_DIR, f));
    await cdp.send('PWA.launchFilesInApp', { manifestId, files });
    // The open window takes them (launch_handler focus-existing), as dropped files.
    await waitForDocuments(page, 2);
    expect((await documentNames(page)).sort()).toEqual(['multi_page.pdf', 'wiki-ibm.md']);
    expect(context.pages()).toHaveLength(1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

/**
 * "Share to Folio": what a phone's share sheet does is post a multipart form to the manifest's
 * share_target; here the page posts the same form (a real navigation, taken by the real service
 * worker), with a file and a question.
 */
test('a shared file is added and the question shared with it is asked about it', { timeout: 300_000 }, async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  await openApp(page);
  const manifest = (await (await context.request.get(`${baseUrl()}manifest.webmanifest`)).json()) as {
    share_target: {
      action: string;
      method: string;
      enctype: string;
      params: { text: string; files: { name: string; accept: string[] }[] };
    };
  };
  expect(manifest.share_target).toMatchObject({
    action: '/share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
  });
  expect(manifest.share_target.params.files[0]!.accept).toEqual(
    expect.arrayContaining(['application/pdf', '.pdf', '.md']),
  );
  await page.evaluate(() => navigator.serviceWorker.ready);

  // The share sheet opens the app with a POST navigation from outside it (the app's own pages may
  // not submit forms: form-action 'none'): here from a blank page.
  const pdf = [...fs.readFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.pdf))];
  const shared = await context.newPage();
  shared.on('pageerror', (e) => errors.push(String(e)));
  shared.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await Promise.all([
    shared.waitForURL(`${baseUrl()}`),
    shared.evaluate(
      ({ bytes, action }) => {
        const form = Object.assign(document.createElement('form'), {
          method: 'post',
          enctype: 'multipart/form-data',
          action,
        });
        const files = Object.assign(document.createElement('input'), { type: 'file', name: 'files' });
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'shared.pdf', { type: 'application/pdf' }));
        files.files = data.files;
        const text = Object.assign(document.createElement('input'), {
          name: 'text',
          value: 'Who patented the typewriter?',
        });
        form.append(files, text);
        document.body.append(form);
        form.submit();
      },
      { bytes: pdf, action: `${baseUrl()}share-target` },
    ),
  ]);
  await waitForDocuments(shared, 1);
  expect(await documentNames(shared)).toEqual(['shared.pdf']);
  const turn = turns(shared).first();
  await turn.getByText('Who patented the typewriter?').waitFor({ timeout: 60_000 });
  await sourcesOf(turn).first().waitFor({ timeout: 60_000 });
  expect(await sourcesOf(turn).first().textContent()).toContain('shared.pdf');
  // The address is the app's again, and the shared things are gone from the cache.
  expect(new URL(shared.url()).search).toBe('');
  expect(await shared.evaluate(() => caches.has('folio-shared'))).toBe(false);
  // Only the service worker can have taken the post (the server answers any path with the app's
  // page, which would have added nothing); and nothing went to any other origin.
  const origin = new URL(baseUrl()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
