import { parseHTML } from 'linkedom';
import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';
import { htmlToBlocks } from './html';
import { attr, resolvePath, utf8 } from './xml';
import { readZip } from './zip';

/**
 * EPUB: the spine's XHTML documents in reading order, each a chapter whose title (its first
 * heading, else its table-of-contents label or <title>) heads its passages. A book whose content
 * files are encrypted (DRM) is refused by name; font obfuscation, which many books use, is not DRM.
 */
export async function parseEpub(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const files = await readZip(bytes, fileName, 'EPUB book', (n) => /\.(x?html?|xml|opf|ncx)$/i.test(n));
  const container = utf8(files.get('META-INF/container.xml'));
  const opfPath = /<rootfile\b([^>]*?)\/?>/.exec(container)?.[1];
  const opfFile = opfPath ? attr(opfPath, 'full-path') : undefined;
  const opf = opfFile ? utf8(files.get(opfFile)) : '';
  if (!opfFile || !opf)
    throw new FolioError('corrupt-file', 'it is not a valid EPUB book (its package document is missing)', fileName);

  const encryption = utf8(files.get('META-INF/encryption.xml'));
  for (const m of encryption.matchAll(/<(?:\w+:)?EncryptedData\b[\s\S]*?<\/(?:\w+:)?EncryptedData>/g)) {
    const algorithm = /Algorithm\s*=\s*"([^"]*)"/.exec(m[0])?.[1] ?? '';
    const uri = /URI\s*=\s*"([^"]*)"/.exec(m[0].replace(/<(?:\w+:)?EncryptionMethod\b[^>]*>/, ''))?.[1] ?? '';
    const fontObfuscation = /idpf\.org\/2008\/embedding|ns\.adobe\.com\/pdf\/enc#RC/.test(algorithm);
    if (!fontObfuscation && /\.x?html?$/i.test(uri)) {
      throw new FolioError(
        'encrypted-file',
        'the book is locked with DRM (its chapters are encrypted); only DRM-free EPUB files can be read',
        fileName,
      );
    }
  }

  const manifest = new Map<string, { href: string; type: string }>();
  for (const m of opf.matchAll(/<(?:\w+:)?item\b([^>]*?)\/?>/g)) {
    const id = attr(m[1]!, 'id');
    const href = attr(m[1]!, 'href');
    if (id && href)
      manifest.set(id, {
        href: resolvePath(opfFile, decodeURIComponent(href.split('#')[0]!)),
        type: attr(m[1]!, 'media-type') ?? '',
      });
  }
  const spine = [...opf.matchAll(/<(?:\w+:)?itemref\b([^>]*?)\/?>/g)].flatMap((m) => {
    const item = manifest.get(attr(m[1]!, 'idref') ?? '');
    return item && /html/.test(item.type) && attr(m[1]!, 'linear') !== 'no' ? [item.href] : [];
  });
  const labels = tocLabels(files, manifest);
  const title = /<dc:title\b[^>]*>([\s\S]*?)<\/dc:title>/
    .exec(opf)?.[1]
    ?.replace(/<[^>]+>/g, '')
    .trim();

  const builder = new DocumentBuilder('epub');
  for (const href of spine) {
    const html = utf8(files.get(href));
    if (!html) continue;
    const { document } = parseHTML(html.replace(/^<\?xml[^>]*>/, ''));
    for (const el of document.querySelectorAll('script, style, nav[epub\\:type="toc"]')) el.remove();
    const body = document.body;
    if (!body) continue;
    const chapterTitle = labels.get(href) ?? (document.querySelector('title')?.textContent?.trim() || undefined);
    htmlToBlocks(body, builder, chapterTitle);
  }
  return builder.build(title ? { title } : {});
}

/** Table-of-contents labels by file, from the EPUB 3 nav document or the EPUB 2 NCX. */
function tocLabels(
  files: Map<string, Uint8Array>,
  manifest: Map<string, { href: string; type: string }>,
): Map<string, string> {
  const labels = new Map<string, string>();
  for (const item of manifest.values()) {
    const text = utf8(files.get(item.href));
    if (item.type === 'application/x-dtbncx+xml') {
      for (const m of text.matchAll(/<navPoint\b[\s\S]*?<text>([\s\S]*?)<\/text>[\s\S]*?<content\b([^>]*?)\/?>/g)) {
        const src = attr(m[2]!, 'src');
        const file = src ? resolvePath(item.href, decodeURIComponent(src.split('#')[0]!)) : undefined;
        if (file && !labels.has(file)) labels.set(file, m[1]!.trim());
      }
    }
  }
  return labels;
}
