import { parseHTML } from 'linkedom';

/** XML entities and character references → text. */
export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export const utf8 = (bytes: Uint8Array | undefined): string => (bytes ? new TextDecoder('utf-8').decode(bytes) : '');

/** An attribute's value from a start tag's attribute text. */
export function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? unescapeXml(m[2] ?? m[3] ?? '') : undefined;
}

type XDocument = ReturnType<InstanceType<ReturnType<typeof parseHTML>['DOMParser']>['parseFromString']>;
export type XElement = NonNullable<XDocument['documentElement']>;

/** An XML document as a DOM (linkedom: the same in Node and in a worker; never runs or loads anything). */
export function parseXml(text: string): XElement | null {
  const { DOMParser } = parseHTML('<!doctype html><html></html>');
  return new DOMParser().parseFromString(text, 'text/xml').documentElement as XElement | null;
}

/** An element's name without its namespace prefix ("text:p" → "p"). */
export const local = (el: { tagName: string }): string => el.tagName.slice(el.tagName.indexOf(':') + 1);

/** Descendant elements with this local name, in document order. */
export function all(root: XElement, name: string): XElement[] {
  const out: XElement[] = [];
  const walk = (el: XElement) => {
    for (const child of el.children as unknown as XElement[]) {
      if (local(child) === name) out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Resolves a package-relative target ("../slides/slide1.xml") against the folder of `from`. */
export function resolvePath(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Relationship id → target path, from an OOXML .rels part. */
export function relationships(xml: string, partPath: string): Map<string, { target: string; type: string }> {
  const base = partPath.replace(/_rels\/[^/]+\.rels$/, '').replace(/[^/]*$/, '');
  const map = new Map<string, { target: string; type: string }>();
  for (const m of xml.matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const id = attr(m[1]!, 'Id');
    const target = attr(m[1]!, 'Target');
    if (id && target && attr(m[1]!, 'TargetMode') !== 'External')
      map.set(id, { target: resolvePath(`${base}x`, target), type: attr(m[1]!, 'Type') ?? '' });
  }
  return map;
}
