// NumPy .npy files (format versions 1–3), C order, little-endian: float32 and uint8
// are written; float32, float64 and uint8 are read. Every Python user can np.load
// them, so samples and data sets move freely between gankit and other tools.
import { promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { writeFileAtomic } from './atomic.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"

/** The element types gankit reads; float64 files arrive as float32. */
export type NpyDtype = 'float32' | 'uint8';

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

/** An array in the type it was stored in (float64 converted to float32). */
export type NpyTypedArray =
  { dtype: 'float32'; data: Float32Array; shape: number[] } | { dtype: 'uint8'; data: Uint8Array; shape: number[] };

/** Encodes float32 data as '<f4' and uint8 data as '|u1' (NumPy's own spelling). */
export function encodeNpy(data: Float32Array | Uint8Array, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`Expected ${count} values for shape [${shape.join(', ')}] but received ${data.length}`);
  }
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The header is padded with spaces and ends in a newline so the data start on a
  // multiple of 64 bytes, as the format asks.
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head, 0);
  head[6] = 1; // major version
  head[7] = 0; // minor version
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

export async function writeNpy(file: string, data: Float32Array | Uint8Array, shape: number[]): Promise<void> {
  await writeFileAtomic(file, encodeNpy(data, shape));
}

/**
 * Reads a C-order .npy file of any rank and returns float32 values: float32 as is,
 * float64 rounded to float32, uint8 as the numbers 0..255 (as `.astype(np.float32)`).
 */
export function decodeNpy(bytes: Buffer, name = 'the .npy file'): NpyArray {
  const typed = decodeNpyTyped(bytes, name);
  if (typed.dtype === 'float32') return { data: typed.data, shape: typed.shape };
  return { data: Float32Array.from(typed.data), shape: typed.shape };
}

/** Reads a C-order .npy file of any rank, keeping uint8 data as bytes. */
export function decodeNpyTyped(bytes: Buffer, name = 'the .npy file'): NpyTypedArray {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) {
    throw new Error(
      `Expected ${name} to start with the NumPy magic string \\x93NUMPY but it does not: is it an .npy file?`,
    );
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new Error(`Expected a valid .npy header in ${name} but received: ${header.trim()}`);
  if (fortran === 'True')
    throw new Error(`Expected C-order data in ${name} but received Fortran order; save it with np.ascontiguousarray`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new Error(`Expected a shape of non-negative integers in ${name} but received (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  // A byte has no byte order, so NumPy may spell uint8 '|u1', '<u1' or '>u1'.
  const kind = descr === '<f4' ? 'f4' : descr === '<f8' ? 'f8' : /^[|<>=]?u1$/.test(descr) ? 'u1' : undefined;
  if (kind === undefined) {
    throw new Error(
      `Expected float32 ('<f4'), float64 ('<f8') or uint8 ('|u1') data in ${name} but received '${descr}'; ` +
        'convert it with .astype(np.float32) or .astype(np.uint8)',
    );
  }
  const width = kind === 'f4' ? 4 : kind === 'f8' ? 8 : 1;
  if (bytes.length - dataStart !== count * width) {
    throw new Error(
      `Expected ${count * width} data bytes for shape (${shape.join(', ')}) in ${name} but ` +
        `received ${bytes.length - dataStart}: the file is truncated or corrupt`,
    );
  }
  const body = bytes.subarray(dataStart, dataStart + count * width);
  if (kind === 'u1') return { dtype: 'uint8', data: new Uint8Array(body), shape };
  const data = new Float32Array(count);
  if (kind === 'f4' && endianness() === 'LE') {
    new Uint8Array(data.buffer).set(body); // a byte copy: the file's data need not be 4-byte aligned
  } else {
    for (let i = 0; i < count; i++) data[i] = kind === 'f4' ? body.readFloatLE(4 * i) : body.readDoubleLE(8 * i);
  }
  return { dtype: 'float32', data, shape };
}

export async function readNpy(file: string): Promise<NpyArray> {
  return decodeNpy(await fs.readFile(file), file);
}

export async function readNpyTyped(file: string): Promise<NpyTypedArray> {
  return decodeNpyTyped(await fs.readFile(file), file);
}
