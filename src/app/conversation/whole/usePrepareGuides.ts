import { useEffect, useRef } from 'react';
import type { RemoteLibrary } from '../../../client/library';
import type { DocumentRecord } from '../../../core';
import { whenIdle } from '../../idle';

/**
 * Source guides are computed in the library worker once adding or re-indexing has settled, in the
 * background, so opening a document (or the empty conversation's samples) finds its guide stored.
 * Asked again whenever the set of documents changes; the library skips guides it already holds.
 */
export function usePrepareGuides(
  library: () => Promise<RemoteLibrary | null>,
  documents: DocumentRecord[],
  adding: boolean,
): void {
  const ids = documents.map((d) => d.id).join(',');
  const prepared = useRef('');
  useEffect(() => {
    if (adding || !ids || prepared.current === ids) return;
    let live = true;
    const t = setTimeout(
      () =>
        whenIdle(() => {
          if (!live) return;
          prepared.current = ids;
          void library()
            .then((lib) => lib?.prepareGuides())
            .catch(() => {
              // A guide is a convenience: one that cannot be made is made on demand, or not shown.
              prepared.current = '';
            });
        }),
      1500,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [library, ids, adding]);
}
