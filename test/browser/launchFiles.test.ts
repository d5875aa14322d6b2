import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../helpers/paths';
import { baseUrl, CHROMIUM_ARGS, CHROMIUM_PATH, documentNames, openApp, waitForDocuments } from './chromium';

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
