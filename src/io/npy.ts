// NumPy .npy files (format version 1.0): float32, C order. Every Python user can
// np.load them, so samples move freely between gankit and other tools.
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from './atomic.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"

export function encodeNpy(data: Float32Array, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`Expected ${count} values for shape [${shape.join(', ')}] but received ${data.length}`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
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

export async function writeNpy(file: string, data: Float32Array, shape: number[]): Promise<void> {
  await writeFileAtomic(file, encodeNpy(data, shape));
}

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

/** Reads a little-endian float32 or float64 C-order .npy file (float64 is converted). */
export function decodeNpy(bytes: Buffer, name = 'the .npy file'): NpyArray {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) {
    throw new Error(`Expected ${name} to start with the NumPy magic string \\x93NUMPY but it does not: is it an .npy file?`);
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`Expected a valid .npy header in ${name} but received: ${header.trim()}`);
  if (fortran === 'True') throw new Error(`Expected C-order data in ${name} but received Fortran order; save it with np.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  const width = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (width === 0) throw new Error(`Expected float32 ('<f4') or float64 ('<f8') data in ${name} but received '${descr}'`);
  if (bytes.length - dataStart !== count * width) {
    throw new Error(`Expected ${count * width} data bytes for shape (${shape.join(', ')}) in ${name} but received ${bytes.length - dataStart}: the file is truncated or corrupt`);
  }
  const copy = bytes.subarray(dataStart); // copied below so the result is aligned
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = width === 4 ? copy.readFloatLE(4 * i) : copy.readDoubleLE(8 * i);
  return { data, shape };
}

export async function readNpy(file: string): Promise<NpyArray> {
  return decodeNpy(await fs.readFile(file), file);
}
