// CIFAR-10's binary version: files of 3073-byte records, each 1 label byte then a
// 32×32 image as three planes (all red, all green, all blue), turned into NHWC here.
// Every file is checked whole: record size, at least one record, labels 0..9, and
// exactly ten class names in batches.meta.txt when it is there.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { withFileErrors } from '../../io/file-errors.js';
import { checkLabelRange } from './labels.js';
import type { ImageDataset, Split } from './types.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;
export const CIFAR_FOLDER = 'cifar-10-batches-bin';
export const CIFAR_CLASSES = 10;
const AGAIN = 'delete it and download or extract it again';

/** The folder holding the .bin files: `dir` itself or its cifar-10-batches-bin. */
export async function cifarBatchesDir(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, path.join(dir, CIFAR_FOLDER)]) {
    if (!existsSync(candidate) || !(await fs.stat(candidate)).isDirectory()) continue;
    if ((await fs.readdir(candidate)).some((n) => /^(data_batch_\d+|test_batch)\.bin$/.test(n))) return candidate;
  }
  return undefined;
}

export async function readCifarFolder(dir: string, split: Split): Promise<Omit<ImageDataset, 'name'>> {
  const batches = await cifarBatchesDir(dir);
  if (batches === undefined)
    throw new Error(`Expected CIFAR-10 binary files (data_batch_1.bin … test_batch.bin) in ${dir} but found none`);
  const names = await withFileErrors(batches, 'reading the folder', () => fs.readdir(batches));
  const files =
    split === 'train'
      ? names.filter((n) => /^data_batch_\d+\.bin$/.test(n)).sort((a, b) => batchNumber(a) - batchNumber(b))
      : names.filter((n) => n === 'test_batch.bin');
  if (files.length === 0)
    throw new Error(
      `Expected the ${split} split's ${split === 'train' ? 'data_batch_*.bin' : 'test_batch.bin'} in ${batches} ` +
        'but it is not there',
    );
  const parts = await Promise.all(
    files.map(async (n) => {
      const file = path.join(batches, n);
      return decodeCifarRecords(
        await withFileErrors(file, 'reading the CIFAR-10 batch', () => fs.readFile(file)),
        file,
      );
    }),
  );
  const count = parts.reduce((sum, p) => sum + p.labels.length, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    images.set(part.images, at * 3 * PLANE);
    labels.set(part.labels, at);
    at += part.labels.length;
  }
  const classNames = await readClassNames(path.join(batches, 'batches.meta.txt'));
  return {
    source: batches,
    images,
    labels,
    count,
    height: SIDE,
    width: SIDE,
    channels: 3,
    ...(classNames && { classNames }),
  };
}

/** Records → NHWC images and labels. */
export function decodeCifarRecords(bytes: Uint8Array, file: string): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0)
    throw new Error(
      `Expected CIFAR-10 records (${CIFAR_RECORD_BYTES} bytes each) in ${file} but it is empty: ${AGAIN}`,
    );
  if (bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `Expected a multiple of ${CIFAR_RECORD_BYTES} bytes (1 label + 3×32×32 pixels per record) in ${file} but ` +
        `received ${bytes.length}: ` +
        `the file is truncated, or not CIFAR-10's binary version (CIFAR-100's records have 2 label bytes); ${AGAIN}`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) labels[n] = bytes[n * CIFAR_RECORD_BYTES];
  checkLabelRange(labels, CIFAR_CLASSES, file, "CIFAR-10 has 10 classes; label n is record n's first byte");
  const images = new Uint8Array(count * 3 * PLANE);
  for (let n = 0; n < count; n++) {
    const record = n * CIFAR_RECORD_BYTES;
    const out = n * 3 * PLANE;
    for (let c = 0; c < 3; c++) {
      const plane = record + 1 + c * PLANE;
      for (let p = 0; p < PLANE; p++) images[out + 3 * p + c] = bytes[plane + p];
    }
  }
  return { images, labels };
}

/** batches.meta.txt's class names, one a line; a file there must name exactly the ten classes. */
export async function readClassNames(file: string): Promise<string[] | undefined> {
  if (!existsSync(file)) return undefined;
  const text = await withFileErrors(file, 'reading the class names', () => fs.readFile(file, 'utf8'));
  return parseClassNames(text, file);
}

export function parseClassNames(text: string, file: string): string[] {
  const names = text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length !== CIFAR_CLASSES) {
    throw new Error(
      `Expected ${CIFAR_CLASSES} class names, one a line, in ${file} but found ${names.length}: the file is damaged; ` +
        `${AGAIN} (or delete just it: gankit then numbers the classes 0..9)`,
    );
  }
  return names;
}

function batchNumber(name: string): number {
  return Number(/\d+/.exec(name)![0]);
}
