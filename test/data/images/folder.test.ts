// Folders of PNG/JPEG images: exact pixels from PNGs, class folders as labels,
// grayscale kept as one channel, alpha flattened onto black, --size resizing and
// centre-cropping, and clear errors for mixed sizes and unreadable files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { loadImages } from '../../../src/data/images/index.js';
import { patternBytes, temporaryDir } from './fixtures.js';

async function writeImage(
  file: string,
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  format: 'png' | 'jpeg' = 'png',
): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  let image = sharp(pixels, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w'); // else sharp writes gray as RGB
  await (format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toFile(file);
}

test('grayscale PNGs load as one channel, exactly, in file-name order, searched recursively', async () => {
  const dir = temporaryDir();
  const a = patternBytes(4 * 3, 1);
  const b = patternBytes(4 * 3, 2);
  const c = patternBytes(4 * 3, 3);
  await writeImage(path.join(dir, 'b.png'), b, 4, 3, 1);
  await writeImage(path.join(dir, 'a.png'), a, 4, 3, 1);
  await writeImage(path.join(dir, 'more', 'c.png'), c, 4, 3, 1);
  writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
  const data = await loadImages(dir);
  assert.deepEqual([data.count, data.height, data.width, data.channels], [3, 3, 4, 1]);
  assert.deepEqual(Array.from(data.images), [...a, ...b, ...c]);
  assert.equal(data.labels, undefined);
});

test('class folders give labels and class names in sorted order; gray images join RGB ones as three equal channels', async () => {
  const dir = temporaryDir();
  const cat = patternBytes(2 * 2 * 3, 1);
  const dog1 = patternBytes(2 * 2 * 3, 2);
  const dog2 = patternBytes(2 * 2, 3);
  await writeImage(path.join(dir, 'dogs', '1.png'), dog1, 2, 2, 3);
  await writeImage(path.join(dir, 'dogs', '2.png'), dog2, 2, 2, 1);
  await writeImage(path.join(dir, 'cats', 'x.png'), cat, 2, 2, 3);
  writeFileSync(path.join(dir, 'README.txt'), 'class folders below');
  const data = await loadImages(dir);
  assert.deepEqual(data.classNames, ['cats', 'dogs']);
  assert.deepEqual(Array.from(data.labels!), [0, 1, 1]);
  assert.equal(data.channels, 3);
  const gray = Array.from(dog2).flatMap((v) => [v, v, v]);
  assert.deepEqual(Array.from(data.images), [...cat, ...dog1, ...gray]);
});

test('transparent pixels are flattened onto black and alpha is dropped', async () => {
  const dir = temporaryDir();
  const rgba = Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 0]);
  await writeImage(path.join(dir, 'a.png'), rgba, 2, 1, 4);
  const data = await loadImages(dir);
  assert.equal(data.channels, 3);
  assert.deepEqual(Array.from(data.images), [10, 20, 30, 0, 0, 0]);
});

test('JPEGs decode (lossy, so close to what was written)', async () => {
  const dir = temporaryDir();
  const flat = new Uint8Array(8 * 8 * 3);
  for (let p = 0; p < 64; p++) flat.set([200, 40, 90], 3 * p);
  await writeImage(path.join(dir, 'a.jpg'), flat, 8, 8, 3, 'jpeg');
  const data = await loadImages(dir);
  assert.deepEqual([data.count, data.height, data.width, data.channels], [1, 8, 8, 3]);
  data.images.forEach((v, i) => assert.ok(Math.abs(v - flat[i]) <= 4, `pixel byte ${i}: ${v} vs ${flat[i]}`));
});

test('--size resizes the short side and crops the centre; without it, mixed sizes are an error naming two files', async () => {
  const dir = temporaryDir();
  // 20×10: columns 0–4 blue, 5–14 green, 15–19 red; its centre 10×10 is all green.
  const wide = new Uint8Array(20 * 10 * 3);
  for (let y = 0; y < 10; y++)
    for (let x = 0; x < 20; x++) wide.set(x < 5 ? [0, 0, 255] : x < 15 ? [0, 255, 0] : [255, 0, 0], (y * 20 + x) * 3);
  await writeImage(path.join(dir, 'wide.png'), wide, 20, 10, 3);
  const small = new Uint8Array(5 * 5 * 3).fill(77);
  await writeImage(path.join(dir, 'small.png'), small, 5, 5, 3);

  await assert.rejects(
    loadImages(dir),
    /Expected all images in .* to share one size but .*small.png is 5×5 and .*wide.png is 20×10: pass --size N/,
  );

  const data = await loadImages(dir, { size: 10 });
  assert.deepEqual([data.count, data.height, data.width, data.channels], [2, 10, 10, 3]);
  const [smallOut, wideOut] = [data.images.subarray(0, 300), data.images.subarray(300)];
  smallOut.forEach((v) => assert.ok(Math.abs(v - 77) <= 1));
  for (let p = 0; p < 100; p++)
    assert.deepEqual(Array.from(wideOut.subarray(3 * p, 3 * p + 3)), [0, 255, 0], `pixel ${p}`);
});

test('an unreadable image is named in the error', async () => {
  const dir = temporaryDir();
  await writeImage(path.join(dir, 'good.png'), patternBytes(4), 2, 2, 1);
  writeFileSync(path.join(dir, 'broken.png'), Buffer.from('this is not a PNG'));
  await assert.rejects(
    loadImages(dir),
    /Expected a readable PNG or JPEG image at .*broken.png but decoding failed .*: fix or remove the file/,
  );
});

test('an empty folder, and a test split of a single folder, are errors', async () => {
  const dir = temporaryDir();
  await assert.rejects(loadImages(dir), /Expected PNG or JPEG images .* in .* but found none/);
  await writeImage(path.join(dir, 'a.png'), patternBytes(4), 2, 2, 1);
  await assert.rejects(
    loadImages(dir, { split: 'test' }),
    /Expected a data set with a test split but .* holds one set of images/,
  );
});

test('a class folder without images is refused, naming it', async () => {
  const dir = temporaryDir();
  await writeImage(path.join(dir, 'cats', 'a.png'), patternBytes(4), 2, 2, 1);
  mkdirSync(path.join(dir, 'dogs'));
  writeFileSync(path.join(dir, 'dogs', 'notes.txt'), 'no images here');
  await assert.rejects(
    loadImages(dir),
    new RegExp(`^Error: Expected PNG or JPEG images in every class folder of ${dir} but ${dir}/dogs holds none`),
  );
});

test('a folder reached again through a symbolic link is read once; a pipe named like an image is refused', async () => {
  const dir = temporaryDir();
  const a = patternBytes(4, 1);
  await writeImage(path.join(dir, 'sub', 'a.png'), a, 2, 2, 1);
  symlinkSync(dir, path.join(dir, 'sub', 'loop')); // sub/loop → the top folder → sub → …
  const data = await loadImages(dir);
  assert.equal(data.count, 1);
  assert.deepEqual(Array.from(data.images), Array.from(a));

  const fifo = path.join(dir, 'sub', 'b.png');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(
    loadImages(dir),
    new RegExp(`^Error: Expected ${fifo} to be an image file but it is not a regular file: remove it from the folder`),
  );
  await assert.rejects(
    loadImages(fifo),
    new RegExp(`^Error: Expected a folder or an .npy file for data but ${fifo} is neither`),
  );
});
