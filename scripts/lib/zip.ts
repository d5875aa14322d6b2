import zlib from 'node:zlib';

/**
 * A minimal ZIP writer (deflate, correct CRCs and offsets) for archives no fixture has: bombs,
 * and archives whose headers lie about their sizes (`declaredSize`).
 */
export function makeZip(
  entries: { name: string; data: Uint8Array | string; declaredSize?: number; store?: boolean }[],
): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    // ODF and EPUB keep their `mimetype` entry stored (method 0), so its text can be read in place.
    const method = e.store ? 0 : 8;
    const packed = e.store ? Buffer.from(data) : zlib.deflateRawSync(data, { level: 9 });
    const crc = zlib.crc32(data);
    const size = e.declaredSize ?? data.length;
    // Local header: version 20, deflate (8), CRC, compressed and uncompressed size, name length.
    const local = record(30, [
      [0, 4, 0x04034b50],
      [4, 2, 20],
      [8, 2, method],
      [14, 4, crc],
      [18, 4, packed.length],
      [22, 4, size],
      [26, 2, name.length],
    ]);
    // Central directory entry: the same fields two bytes further on, plus the local header's offset.
    const central = record(46, [
      [0, 4, 0x02014b50],
      [4, 2, 20],
      [6, 2, 20],
      [10, 2, method],
      [16, 4, crc],
      [20, 4, packed.length],
      [24, 4, size],
      [28, 2, name.length],
      [42, 4, offset],
    ]);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = record(22, [
    [0, 4, 0x06054b50],
    [8, 2, entries.length],
    [10, 2, entries.length],
    [12, 4, dir.length],
    [16, 4, offset],
  ]);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

/** A fixed-size little-endian ZIP record from [offset, width in bytes, value] fields; the rest is zero. */
function record(size: number, fields: [number, 2 | 4, number][]): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, width, value] of fields) {
    if (width === 2) b.writeUInt16LE(value, at);
    else b.writeUInt32LE(value, at);
  }
  return b;
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';

/** A DOCX whose document.xml inflates to `bytes` of XML from a few hundred KB: a ZIP bomb. */
export function zipBombDocx(bytes: number, opts: { lie?: boolean } = {}): Uint8Array {
  const head =
    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const filler = Buffer.alloc(bytes, ' ');
  filler.write(head, 0);
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'word/document.xml', data: filler, ...(opts.lie ? { declaredSize: 4096 } : {}) },
  ]);
}
