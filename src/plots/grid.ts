// Pictures of generated images: n images (NHWC float32 in [−1, 1]) tiled into one
// grid, encoded as PNG. Pixels are kept exact (no resampling), so a tile can be
// compared value for value with G's output.
import sharp from 'sharp';
import { writeFileAtomic } from '../io/atomic.js';

export interface Picture {
  /** Row-major, `channels` bytes per pixel. */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface TileOptions {
  /** Images per row (default ceil(√n)). */
  columns?: number;
  /** Pixels between and around tiles (default 2). */
  padding?: number;
  /** Byte value 0..255 of the padding (default 255: white keeps dark-background images such as digits apart). */
  background?: number;
}

/** The byte for an image value: round((x + 1) · 127.5), clamped to 0..255 (NaN → 0). */
export function toByte(x: number): number {
  const v = Math.round((x + 1) * 127.5);
  return v > 255 ? 255 : v >= 0 ? v : 0;
}

/** Tiles n images (NHWC float32 in [−1, 1]) into one picture; columns default ceil(sqrt(n)); 2 px padding. */
export function tileImages(
  images: Float32Array,
  shape: [n: number, h: number, w: number, c: number],
  options: TileOptions = {},
): Picture {
  const [n, h, w, c] = shape;
  checkImages(images, shape);
  const columns = options.columns ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  const padding = options.padding ?? 2;
  const background = options.background ?? 255;
  if (!Number.isInteger(columns) || columns < 1)
    throw new Error(`Expected a positive integer for columns but received ${columns}`);
  if (!Number.isInteger(padding) || padding < 0)
    throw new Error(`Expected a non-negative integer for padding but received ${padding}`);
  if (!Number.isInteger(background) || background < 0 || background > 255) {
    throw new Error(`Expected a byte 0..255 for background but received ${background}`);
  }
  const rows = Math.max(1, Math.ceil(n / columns));
  const width = columns * (w + padding) + padding;
  const height = rows * (h + padding) + padding;
  const pixels = new Uint8Array(width * height * c).fill(background);
  for (let i = 0; i < n; i++) {
    const left = padding + (i % columns) * (w + padding);
    const top = padding + Math.floor(i / columns) * (h + padding);
    for (let y = 0; y < h; y++) {
      const source = (i * h + y) * w * c;
      const target = ((top + y) * width + left) * c;
      for (let k = 0; k < w * c; k++) pixels[target + k] = toByte(images[source + k]);
    }
  }
  return { pixels, width, height, channels: c as 1 | 3 };
}

/** Nearest-neighbour enlargement by an integer factor, so small images stay sharp when shown. */
export function upscale(picture: Picture, factor: number): Picture {
  if (!Number.isInteger(factor) || factor < 1)
    throw new Error(`Expected a positive integer for factor but received ${factor}`);
  const { pixels, width, height, channels } = picture;
  const out = new Uint8Array(width * height * channels * factor * factor);
  const outWidth = width * factor;
  for (let y = 0; y < height * factor; y++) {
    const sourceRow = Math.floor(y / factor) * width;
    for (let x = 0; x < outWidth; x++) {
      const source = (sourceRow + Math.floor(x / factor)) * channels;
      const target = (y * outWidth + x) * channels;
      for (let k = 0; k < channels; k++) out[target + k] = pixels[source + k];
    }
  }
  return { pixels: out, width: outWidth, height: height * factor, channels };
}

export async function encodePng(picture: Picture): Promise<Buffer> {
  const { pixels, width, height, channels } = picture;
  const input = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const image = sharp(input, { raw: { width, height, channels } });
  // sharp would widen one raw channel to sRGB; a grey PNG is a third of the size.
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

/**
 * An animated GIF that loops forever, one frame every `delayMs`, every pixel opaque.
 * Frames go to the encoder as one tall RGB image, a page per frame: given grey frames,
 * libvips stored black as the GIF's transparent colour, and dark garments vanished on a
 * light page.
 */
export async function encodeGif(frames: Picture[], delayMs = 80): Promise<Buffer> {
  if (frames.length === 0) throw new Error('Expected at least one frame for a GIF but received none');
  const { width, height } = frames[0];
  const page = width * height * 3;
  const rgb = Buffer.alloc(page * frames.length);
  frames.forEach((f, k) => {
    if (f.width !== width || f.height !== height)
      throw new Error(
        `Expected every GIF frame to be ${width}×${height} like the first but frame ${k} is ${f.width}×${f.height}`,
      );
    for (let i = 0; i < width * height; i++)
      for (let c = 0; c < 3; c++) rgb[k * page + 3 * i + c] = f.pixels[i * f.channels + (f.channels === 1 ? 0 : c)];
  });
  // A single delay would apply to the first frame only; one per frame applies to all.
  return sharp(rgb, { raw: { width, height: height * frames.length, channels: 3, pageHeight: height } })
    .gif({ loop: 0, delay: frames.map(() => delayMs) })
    .toBuffer();
}

export async function writeImageGrid(
  file: string,
  images: Float32Array,
  shape: [number, number, number, number],
  options?: { columns?: number },
): Promise<void> {
  await writeFileAtomic(file, await encodePng(tileImages(images, shape, options)));
}

function checkImages(images: Float32Array, shape: [number, number, number, number]): void {
  const [n, h, w, c] = shape;
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`Expected a shape [n, h, w, c] of positive integers for images but received [${shape.join(', ')}]`);
  }
  if (c !== 1 && c !== 3) throw new Error(`Expected 1 (grey) or 3 (RGB) channels for images but received ${c}`);
  if (images.length !== n * h * w * c) {
    throw new Error(
      `Expected ${n * h * w * c} values for images of shape [${shape.join(', ')}] but received ${images.length}`,
    );
  }
}
