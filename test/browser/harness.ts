/**
 * Built only for the browser tests (FOLIO_TEST_HARNESS=1): exposes the same main-thread client
 * the app uses, so tests drive the real worker, IndexedDB and transformers.js through it.
 */
import { openLibraryInWorker, type RemoteLibrary } from '../../src/client/library';
import { encryptedPdf, randomBytes, scannedPdf, truncated } from '../../scripts/lib/pdf';
import { engineHarness } from './engineHarness';

async function fixture(rel: string): Promise<File> {
  const res = await fetch(`/fixtures/${rel}`);
  if (!res.ok) throw new Error(`fixture ${rel}: HTTP ${res.status}`);
  return new File([await res.arrayBuffer()], rel.split('/').pop()!);
}

declare global {
  interface Window {
    folio: typeof folio;
    lib?: RemoteLibrary;
    harnessReady: boolean;
  }
}

const folio = {
  openLibraryInWorker,
  fixture,
  generate: { encryptedPdf, randomBytes, scannedPdf, truncated },
  /** Answer engines (test/browser/engineHarness.ts). */
  engines: engineHarness,
  /** Plain-data view of an outcome list, for asserting from the test. */
  summarize: (outcomes: Awaited<ReturnType<RemoteLibrary['addFiles']>>) =>
    outcomes.map((o) => ({
      file: o.file,
      status: o.status,
      code: o.status === 'added' ? undefined : o.error.code,
      message: o.status === 'added' ? undefined : o.error.message,
    })),
};

window.folio = folio;
window.harnessReady = true;
