import type { Raster } from './types';

/**
 * Windows bitmaps (uncompressed 1/4/8/24/32-bit, and 16/32-bit with bit-field masks), for Node,
 * where libvips has no BMP reader. Browsers decode BMP themselves. Bounds are checked against the
 * file's length, so a damaged file throws instead of reading past its end.
 */
export function decodeBmp(b: Uint8Array): Raster {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dataAt = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  const core = headerSize === 12;
  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const rawHeight = core ? v.getInt16(20, true) : v.getInt32(22, true);
  const bpp = v.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : v.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0 || width * height > 60_000_000) throw new Error(`bad bitmap size ${width} × ${height}`);
  if (compression !== 0 && compression !== 3) throw new Error('compressed bitmaps (RLE) are not supported');
  const paletteAt = 14 + headerSize;
  const paletteEntry = core ? 3 : 4;
  let masks = [0xff0000, 0xff00, 0xff];
  if (compression === 3) masks = [v.getUint32(54, true), v.getUint32(58, true), v.getUint32(62, true)];
  else if (bpp === 16) masks = [0x7c00, 0x3e0, 0x1f];
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataAt + stride * height > b.length) throw new Error('the bitmap is cut off');
  const channel = (value: number, mask: number) => {
    if (!mask) return 0;
    const shift = 31 - Math.clz32(mask & -mask);
    const max = mask >>> shift;
    return Math.round((((value & mask) >>> shift) * 255) / max);
  };
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataAt + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, bl: number;
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = (b[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const p = paletteAt + index * paletteEntry;
        [bl, g, r] = p + 2 < b.length ? [b[p]!, b[p + 1]!, b[p + 2]!] : [0, 0, 0];
      } else if (bpp === 24) {
        const p = row + x * 3;
        [bl, g, r] = [b[p]!, b[p + 1]!, b[p + 2]!];
      } else if (bpp === 32 || bpp === 16) {
        const value = bpp === 32 ? v.getUint32(row + x * 4, true) : v.getUint16(row + x * 2, true);
        [r, g, bl] = [channel(value, masks[0]!), channel(value, masks[1]!), channel(value, masks[2]!)];
      } else throw new Error(`${bpp}-bit bitmaps are not supported`);
      const o = (y * width + x) * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = bl;
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** Nearest-neighbour resampling to `maxSide` on the longer side (up or down). */
export function fitRaster(image: Raster, maxSide: number): Raster {
  const f = maxSide / Math.max(image.width, image.height);
  if (Math.abs(f - 1) < 1e-3) return image;
  const width = Math.max(1, Math.round(image.width * f));
  const height = Math.max(1, Math.round(image.height * f));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y / f));
    for (let x = 0; x < width; x++) {
      const s = (sy * image.width + Math.min(image.width - 1, Math.floor(x / f))) * 4;
      data.set(image.data.subarray(s, s + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}
