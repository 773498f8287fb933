// IDX files, the format of MNIST, Fashion-MNIST and KMNIST: a big-endian magic number
// (0x0000 08 nn: unsigned bytes, nn dimensions), nn big-endian uint32 sizes, then the
// bytes. Files may be gzipped (recognised by content, not by name). Every size in a
// header is checked against the bytes really there, and labels against the classes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { withFileErrors } from '../../io/file-errors.js';
import { checkLabelRange, checkLabelsPlausible } from './labels.js';
import type { ImageDataset, Split } from './types.js';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

const AGAIN = 'delete it and download or copy it again';

/**
 * An IDX file's bytes, decompressed when it is gzip (first bytes 1f 8b). The output of a
 * gzip file is bounded by what its own IDX header promises, so a damaged or malicious
 * file cannot make gankit inflate gigabytes.
 */
export async function readMaybeGzip(file: string): Promise<Buffer> {
  const bytes = await withFileErrors(file, 'reading the IDX file', () => fs.readFile(file));
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  return gunzipIdx(bytes, file);
}

async function gunzipIdx(compressed: Buffer, file: string): Promise<Buffer> {
  const gunzip = createGunzip();
  gunzip.end(compressed);
  const chunks: Buffer[] = [];
  let total = 0;
  let promised: { bytes: number; dims: number[] } | undefined;
  let tooLong: Error | undefined;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (promised === undefined) {
        const head = Buffer.concat(chunks);
        if (!plausibleMagic(head)) break; // parseIdx says what is wrong with the magic number
        promised = promisedSize(head);
      }
      if (promised !== undefined && total > promised.bytes) {
        throw (tooLong = new Error(
          `Expected ${file} to decompress to ${promised.bytes} bytes (a header and ` +
            `${promised.dims.join('×')} data bytes, as its header says) but it decompresses to more: the file is ` +
            `corrupt; ${AGAIN}`,
        ));
      }
    }
  } catch (err) {
    if (err === tooLong) throw err;
    const message = (err as Error).message;
    const [what, state] = /unexpected end of file/i.test(message)
      ? ['a complete gzip stream', 'it ends early']
      : ['a valid gzip stream', 'decompression failed'];
    const why = what === 'a complete gzip stream' ? 'the file is truncated' : 'the file is corrupt';
    throw new Error(`Expected ${what} in ${file} but ${state} (${message}): ${why}; ${AGAIN}`);
  } finally {
    gunzip.destroy();
  }
  return Buffer.concat(chunks, total);
}

/** Whether the first bytes may start an IDX file of unsigned bytes (00 00 08 nn); true until 4 bytes are known. */
function plausibleMagic(head: Buffer): boolean {
  return head.length < 4 || (head[0] === 0 && head[1] === 0 && head[2] === 0x08);
}

/** The whole file's size as its header gives it, once the header has arrived. */
function promisedSize(head: Buffer): { bytes: number; dims: number[] } | undefined {
  if (head.length < 4) return undefined;
  const headerBytes = 4 + 4 * head[3];
  if (head.length < headerBytes) return undefined;
  const dims = Array.from({ length: head[3] }, (_, i) => head.readUInt32BE(4 + 4 * i));
  return { bytes: headerBytes + dims.reduce((a, b) => a * b, 1), dims };
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
      `Expected an IDX ${kind} file at ${file} but it has only ${bytes.length} bytes: the file is truncated; ${AGAIN}`,
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
        `truncated; ${AGAIN}`,
    );
  const dims = Array.from({ length: magic & 0xff }, (_, i) => view.getUint32(4 + 4 * i));
  if (dims[0] === 0)
    throw new Error(
      `Expected at least one ${kind === 'images' ? 'image' : 'label'} in ${file} but its header says 0: ${AGAIN}`,
    );
  if (kind === 'images' && (dims[1] === 0 || dims[2] === 0))
    throw new Error(
      `Expected images of at least 1×1 pixel in ${file} but its header says ${dims[1]}×${dims[2]}: ${AGAIN}`,
    );
  const size = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== size) {
    const what = actual < size ? 'the file is truncated' : 'bytes follow the data: the file is corrupt';
    throw new Error(
      `Expected ${size} data bytes (${dims.join('×')}, as the header says) in ${file} but ` +
        `received ${actual}: ${what}; ${AGAIN}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Images (and labels, when given) from a pair of IDX files. `classes`: the data set's class
 * count when it is known (mnist: 10); otherwise the labels must be plausible (see labels.ts).
 */
export async function readIdxImages(
  imagesFile: string,
  labelsFile?: string,
  classes?: { count: number; why: string },
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
  if (classes) checkLabelRange(labels.data, classes.count, labelsFile, classes.why);
  else checkLabelsPlausible(labels.data, labelsFile);
  return { ...result, labels: plain(labels.data) };
}

/**
 * The images and labels files of a split in a folder: `*train-images*idx3*` and
 * `*train-labels*idx1*`, or `t10k`/`test` for the test split. Labels may be absent.
 */
export async function findIdxFiles(dir: string, split: Split): Promise<{ images: string; labels?: string }> {
  const entries = await withFileErrors(dir, 'reading the folder', () => fs.readdir(dir));
  const names = entries.filter((n) => !n.startsWith('.') && !n.endsWith('.part'));
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
  return (await withFileErrors(dir, 'reading the folder', () => fs.readdir(dir))).some((n) => /images.*idx3/i.test(n));
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
