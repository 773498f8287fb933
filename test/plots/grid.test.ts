// Grids of images: layout, exact pixels, value mapping, PNG and GIF encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { encodeGif, encodePng, tileImages, toByte, upscale, writeImageGrid } from '../../src/plots/grid.js';
import { tempDir } from '../sampling/fixtures.js';

/** n images of h×w×c with distinct values in [−1, 1]. */
function ramp(n: number, h: number, w: number, c: number): Float32Array {
  const size = n * h * w * c;
  return Float32Array.from({ length: size }, (_, i) => -1 + (2 * i) / (size - 1));
}

test('values map to bytes by round((x + 1)·127.5), clamped', () => {
  assert.deepEqual([-1, 0, 1, -3, 2, 0.5, NaN].map(toByte), [0, 128, 255, 0, 255, 191, 0]);
});

test('tiles: columns ceil(√n), 2 px padding, each tile the image it came from', () => {
  const [n, h, w, c] = [5, 3, 2, 1];
  const images = ramp(n, h, w, c);
  const picture = tileImages(images, [n, h, w, c]);
  assert.equal(picture.channels, 1);
  assert.equal(picture.width, 3 * (w + 2) + 2);
  assert.equal(picture.height, 2 * (h + 2) + 2);
  for (let i = 0; i < n; i++) {
    const left = 2 + (i % 3) * (w + 2);
    const top = 2 + Math.floor(i / 3) * (h + 2);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        assert.equal(
          picture.pixels[(top + y) * picture.width + left + x],
          toByte(images[(i * h + y) * w + x]),
          `image ${i} (${x}, ${y})`,
        );
      }
    }
  }
  assert.equal(picture.pixels[0], 255, 'padding is white by default');
  // The sixth slot of the 3×2 grid is empty: background.
  assert.equal(picture.pixels[(2 + h + 2) * picture.width + 2 + 2 * (w + 2)], 255);
});

test('RGB tiles, chosen columns, padding and background', () => {
  const images = ramp(4, 2, 2, 3);
  const picture = tileImages(images, [4, 2, 2, 3], { columns: 4, padding: 1, background: 7 });
  assert.deepEqual([picture.width, picture.height, picture.channels], [4 * 3 + 1, 2 + 2, 3]);
  assert.equal(picture.pixels[0], 7);
  const second = (1 * picture.width + 1 + 3) * 3; // image 1, pixel (0, 0)
  assert.deepEqual(
    Array.from(picture.pixels.subarray(second, second + 3)),
    Array.from(images.subarray(12, 15), toByte),
  );
});

test('bad shapes are refused with what was expected', () => {
  assert.throws(
    () => tileImages(new Float32Array(10), [1, 2, 2, 1]),
    /Expected 4 values for images of shape \[1, 2, 2, 1\] but received 10/,
  );
  assert.throws(
    () => tileImages(new Float32Array(16), [1, 2, 2, 4]),
    /Expected 1 \(grey\) or 3 \(RGB\) channels for images but received 4/,
  );
  assert.throws(
    () => tileImages(new Float32Array(4), [1, 2, 2, 1], { columns: 0 }),
    /Expected a positive integer for columns but received 0/,
  );
});

test('PNG keeps every byte; grey stays one channel', async () => {
  for (const c of [1, 3] as const) {
    const picture = tileImages(ramp(3, 5, 4, c), [3, 5, 4, c]);
    const png = await encodePng(picture);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [picture.width, picture.height, c]);
    // sharp widens grey to sRGB on output unless asked not to.
    const decoded = await sharp(png)
      .toColourspace(c === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(decoded.info.channels, c);
    assert.ok(Buffer.from(picture.pixels).equals(decoded.data));
  }
});

test('upscale repeats each pixel factor × factor times', () => {
  const big = upscale({ pixels: Uint8Array.from([1, 2, 3, 4]), width: 2, height: 2, channels: 1 }, 2);
  assert.deepEqual([big.width, big.height], [4, 4]);
  assert.deepEqual(Array.from(big.pixels), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

test('GIF: one page per frame, looping, 80 ms each', async () => {
  const frames = [0, 1, 2].map((k) =>
    tileImages(
      ramp(1, 4, 4, 1).map((v) => -v * (k - 1)),
      [1, 4, 4, 1],
      { padding: 0 },
    ),
  );
  const meta = await sharp(await encodeGif(frames)).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.pages, 3);
  assert.equal(meta.loop, 0);
  assert.deepEqual(meta.delay, [80, 80, 80]);
});

test('GIF: every pixel of every frame opaque, black kept black (grey and RGB frames)', async () => {
  for (const c of [1, 3] as const) {
    const images = ramp(3, 4, 4, c); // −1 (black) … 1 (white)
    const frames = [0, 1, 2].map((k) =>
      tileImages(images.subarray(k * 16 * c, (k + 1) * 16 * c), [1, 4, 4, c], { padding: 0 }),
    );
    const { data, info } = await sharp(await encodeGif(frames), { animated: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [4, 12, 4]);
    for (let i = 0; i < 48; i++) {
      assert.equal(data[4 * i + 3], 255, `pixel ${i} opaque (${c} channels)`);
      // GIF has 256 colours a frame: 16 grey levels come back as they were (RGB within the palette's rounding).
      const expected = Array.from({ length: 3 }, (_, k) => toByte(images[i * c + (c === 1 ? 0 : k)]));
      const got = Array.from(data.subarray(4 * i, 4 * i + 3));
      assert.ok(
        got.every((v, k) => Math.abs(v - expected[k]) <= 8),
        `pixel ${i}: ${got} vs ${expected}`,
      );
    }
  }
});

test('writeImageGrid writes a PNG atomically', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'grid.png');
  await writeImageGrid(file, ramp(6, 7, 7, 1), [6, 7, 7, 1], { columns: 2 });
  const meta = await sharp(file).metadata();
  assert.deepEqual([meta.width, meta.height], [2 * 9 + 2, 3 * 9 + 2]);
  assert.deepEqual(readdirSync(dir), ['grid.png']);
  assert.ok(existsSync(file));
});
