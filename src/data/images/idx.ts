// IDX files, the format of MNIST, Fashion-MNIST and KMNIST: a big-endian magic number
// (0x0000 08 nn: unsigned bytes, nn dimensions), nn big-endian uint32 sizes, then the
// bytes. Files may be gzipped (recognised by content, not by name).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ImageDataset, Split } from './types.js';

const gunzipAsync = promisify(gunzip);

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Reads a file, decompressing it when it is gzip (first bytes 1f 8b). */
export async function readMaybeGzip(file: string): Promise<Buffer> {
  const bytes = await fs.readFile(file);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (err) {
    const message = (err as Error).message;
    if (/unexpected end of file/i.test(message)) {
      throw new Error(
        `Expected a complete gzip stream in ${file} but it ends early (${message}): the file is truncated; delete ` +
          'it and download or copy it again',
      );
    }
    throw new Error(
      `Expected a valid gzip stream in ${file} but decompression failed (${message}): the file is corrupt; delete ` +
        'it and download or copy it again',
    );
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, file: string, kind: 'images' | 'labels'): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  if (bytes.length < 4)
    throw new Error(
      `Expected an IDX ${kind} file at ${file} but it has only ${bytes.length} bytes: the file is truncated`,
    );
  const magic = view.getUint32(0);
  if (magic !== expected) {
    const hint =
      magic === (kind === 'images' ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC)
        ? `: it is an IDX ${kind === 'images' ? 'labels' : 'images'} file`
        : ': is it an IDX file?';
    throw new Error(
      `Expected IDX magic number ${hex(expected)} (${kind}: unsigned bytes, ${expected & 0xff} ` +
        `dimension${expected === IDX_LABELS_MAGIC ? '' : 's'}) in ${file} but received ${hex(magic)}${hint}`,
    );
  }
  const headerBytes = 4 + 4 * (magic & 0xff);
  if (bytes.length < headerBytes)
    throw new Error(
      `Expected an IDX header of ${headerBytes} bytes in ${file} but the file has only ${bytes.length}: it is ` +
        'truncated',
    );
  const dims = Array.from({ length: magic & 0xff }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== size) {
    const what = actual < size ? 'the file is truncated' : 'bytes follow the data: the file is corrupt';
    throw new Error(
      `Expected ${size} data bytes (${dims.join('×')}, as the header says) in ${file} but ` +
        `received ${actual}: ${what}; delete it and download or copy it again`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Images (and labels, when given) from a pair of IDX files. */
export async function readIdxImages(
  imagesFile: string,
  labelsFile?: string,
): Promise<Omit<ImageDataset, 'name' | 'source'>> {
  const images = parseIdx(await readMaybeGzip(imagesFile), imagesFile, 'images');
  const [count, height, width] = images.dims;
  const result = { images: plain(images.data), count, height, width, channels: 1 };
  if (labelsFile === undefined) return result;
  const labels = parseIdx(await readMaybeGzip(labelsFile), labelsFile, 'labels');
  if (labels.dims[0] !== count) {
    throw new Error(
      `Expected as many labels as images but ${imagesFile} has ${count} images and ${labelsFile} ` +
        `has ${labels.dims[0]} labels: are they from the same data set and split?`,
    );
  }
  return { ...result, labels: plain(labels.data) };
}

/**
 * The images and labels files of a split in a folder: `*train-images*idx3*` and
 * `*train-labels*idx1*`, or `t10k`/`test` for the test split. Labels may be absent.
 */
export async function findIdxFiles(dir: string, split: Split): Promise<{ images: string; labels?: string }> {
  const names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.') && !n.endsWith('.part'));
  const prefix = split === 'train' ? 'train' : '(?:t10k|test)';
  const images = pick(names, new RegExp(`${prefix}-images.*idx3`, 'i'), dir, `${split} images`);
  if (images === undefined) {
    throw new Error(
      `Expected a ${split} images file (*${split === 'train' ? 'train' : 't10k'}-images*idx3*) in ${dir} but ` +
        `found none among: ${names.join(', ') || '(an empty folder)'}`,
    );
  }
  const labels = pick(names, new RegExp(`${prefix}-labels.*idx1`, 'i'), dir, `${split} labels`);
  return { images: path.join(dir, images), labels: labels && path.join(dir, labels) };
}

export async function isIdxFolder(dir: string): Promise<boolean> {
  return (await fs.readdir(dir)).some((n) => /images.*idx3/i.test(n));
}

/** One match, preferring an uncompressed file over its .gz twin; several different matches are an error. */
function pick(names: string[], pattern: RegExp, dir: string, what: string): string | undefined {
  const matches = names.filter((n) => pattern.test(n)).sort();
  const bases = [...new Set(matches.map((n) => n.replace(/\.gz$/i, '')))];
  if (bases.length > 1)
    throw new Error(
      `Expected one ${what} file in ${dir} but found ${bases.length}: ${matches.join(', ')}; point to a folder ` +
        'that holds one data set',
    );
  return matches.find((n) => !/\.gz$/i.test(n)) ?? matches[0];
}

/** A Uint8Array (not a Node Buffer) over the same memory: no copy of tens of megabytes. */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
