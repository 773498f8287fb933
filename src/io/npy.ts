// NumPy .npy files (format versions 1–3), C order, little-endian: float32 and uint8
// are written (atomically); float32, float64 and uint8 are read. Every Python user can
// np.load them, so samples and data sets move freely between gankit and other tools.
// A file is untrusted input: every header field is checked against the file's real size
// before anything is allocated, and every refusal names the file.
import { promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { writeFileAtomic } from './atomic.js';
import { withFileErrors } from './file-errors.js';

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

/** Writes atomically (a reader never sees half a file); a failure names the file and what to do. */
export async function writeNpy(file: string, data: Float32Array | Uint8Array, shape: number[]): Promise<void> {
  const bytes = encodeNpy(data, shape);
  await withFileErrors(file, 'writing the .npy file', () => writeFileAtomic(file, bytes));
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
  const { shape, count, kind, dataStart } = parseHeader(bytes, name);
  const width = WIDTH[kind];
  // Every size in the header is checked against the bytes that are really there before
  // anything is allocated: a damaged header cannot ask for gigabytes.
  if (bytes.length - dataStart !== count * width) {
    throw new Error(
      `Expected ${count * width} data bytes for shape (${shape.join(', ')}) in ${name} but ` +
        `received ${bytes.length - dataStart}: the file is truncated or corrupt; save it again with np.save`,
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

type Kind = 'f4' | 'f8' | 'u1';
const WIDTH: Record<Kind, number> = { f4: 4, f8: 8, u1: 1 };

/** The header's shape and dtype, each checked; the data's offset. */
function parseHeader(bytes: Buffer, name: string): { shape: number[]; count: number; kind: Kind; dataStart: number } {
  const again = 'save it again with np.save';
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) {
    throw new Error(
      `Expected ${name} to start with the NumPy magic string \\x93NUMPY but it does not: is it an .npy file?`,
    );
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw new Error(
      `Expected .npy format version 1, 2 or 3 in ${name} but received version ${major}.${bytes[7]}: the file is ` +
        `corrupt, or from a NumPy newer than gankit knows; ${again}`,
    );
  }
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start)
    throw new Error(`Expected a ${start}-byte .npy prefix in ${name} but the file has ${bytes.length} bytes: ${again}`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  if (start + headerLength > bytes.length) {
    throw new Error(
      `Expected a header of ${headerLength} bytes in ${name}, as its length field says, but only ` +
        `${bytes.length - start} bytes follow: the file is truncated or corrupt; ${again}`,
    );
  }
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new Error(`Expected a valid .npy header in ${name} but received: ${quote(header.trim())}; ${again}`);
  if (fortran === 'True')
    throw new Error(`Expected C-order data in ${name} but received Fortran order; save it with np.ascontiguousarray`);
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // Python 2's NumPy wrote long integers with an L (3L); anything but digits is damage.
  const shape = parts.map((s) => (/^\d{1,15}L?$/.test(s) ? parseInt(s, 10) : NaN));
  if (!shape.every((d) => Number.isSafeInteger(d)))
    throw new Error(
      `Expected a shape of non-negative integers in ${name} but received (${quote(shapeText)}); ${again}`,
    );
  // A byte has no byte order, so NumPy may spell uint8 '|u1', '<u1' or '>u1'.
  const kind = descr === '<f4' ? 'f4' : descr === '<f8' ? 'f8' : /^[|<>=]?u1$/.test(descr) ? 'u1' : undefined;
  if (kind === undefined) {
    throw new Error(
      `Expected float32 ('<f4'), float64 ('<f8') or uint8 ('|u1') data in ${name} but received '${quote(descr)}'; ` +
        'convert it with .astype(np.float32) or .astype(np.uint8)',
    );
  }
  return { shape, count: shape.reduce((a, b) => a * b, 1), kind, dataStart: start + headerLength };
}

/** Header text as it may be shown: control bytes escaped, at most 200 characters. */
function quote(text: string): string {
  const shown = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text).slice(1, -1);
  return shown.replace(/\\"/g, '"');
}

export async function readNpy(file: string): Promise<NpyArray> {
  return decodeNpy(await readWhole(file), file);
}

export async function readNpyTyped(file: string): Promise<NpyTypedArray> {
  return decodeNpyTyped(await readWhole(file), file);
}

function readWhole(file: string): Promise<Buffer> {
  return withFileErrors(file, 'reading the .npy file', () => fs.readFile(file));
}
