import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The JavaScript a build's index.html loads before anything is lazily imported, each file gzipped. */
export function firstDownload(dist: string): { file: string; gzip: number; text: string }[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/([^"]+\.js)"/g)].map((m) => {
    const bytes = fs.readFileSync(path.join(dist, m[1]!));
    return { file: m[1]!, gzip: gzipSync(bytes).length, text: bytes.toString('utf8') };
  });
}
