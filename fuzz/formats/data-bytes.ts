// Byte-level knowledge of the data formats, written independently of gankit's readers so
// that the fuzzer's valid instances and targeted damage do not share their assumptions:
// IDX and CIFAR-10 records, .npy headers, PNG chunks (with their CRCs), JPEG frame
// headers and tar headers (with their checksums).
import { promises as fs } from 'node:fs';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';

/** An IDX file: big-endian magic (0x0000 08 nn), nn big-endian uint32 sizes, then the bytes. */
export function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Bytes that differ from position to position. */
export function pattern(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + salt * 101 + ((i * i) >> 3)) % 256);
}

/** CIFAR-10 records: a label byte, then 3×32×32 planar pixels. */
export function cifarRecords(labels: number[], salt = 0): Buffer {
  const out = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, n) => {
    out[n * 3073] = label;
    out.set(pattern(3072, salt + n), n * 3073 + 1);
  });
  return out;
}

/** A .npy file with a hand-written header (version 1 has a 2-byte header length, 2 and 3 a 4-byte one). */
export function npy(version: 1 | 2 | 3, descr: string, shape: number[], body: Uint8Array): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const prefix = version === 1 ? 10 : 12;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(prefix);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = version;
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

/** The header text of a .npy file and where it sits, or undefined when the prefix is unreadable. */
function npyHeader(bytes: Buffer): { prefix: number; length: number; text: string } | undefined {
  if (bytes.length < 12) return undefined;
  const prefix = bytes[6] === 1 ? 10 : 12;
  const length = prefix === 10 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  if (prefix + length > bytes.length) return undefined;
  return { prefix, length, text: bytes.subarray(prefix, prefix + length).toString('latin1') };
}

/** Rewrites a .npy file's header text, keeping its length when the padding allows (so the data stay put). */
export async function editNpyHeader(file: string, change: (header: string) => string): Promise<void> {
  const bytes = await fs.readFile(file);
  const header = npyHeader(bytes);
  if (!header) return;
  let text = change(header.text.trimEnd());
  text = text.length + 1 <= header.length ? text.padEnd(header.length - 1) + '\n' : text + '\n';
  const head = Buffer.from(bytes.subarray(0, header.prefix));
  if (header.prefix === 10) head.writeUInt16LE(Math.min(text.length, 0xffff), 8);
  else head.writeUInt32LE(text.length, 8);
  await fs.writeFile(
    file,
    Buffer.concat([head, Buffer.from(text, 'latin1'), bytes.subarray(header.prefix + header.length)]),
  );
}

/** Changes the bytes inside a gzip file and compresses them again (so the damage reaches the parser). */
export async function editGzipped(file: string, change: (inner: Buffer) => Buffer): Promise<void> {
  let inner: Buffer;
  try {
    inner = gunzipSync(await fs.readFile(file));
  } catch {
    return;
  }
  await fs.writeFile(file, gzipSync(change(inner)));
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG and gzip compute it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Sets a PNG's width and height in its IHDR chunk, with a correct CRC, so only the sizes lie. */
export function setPngSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  if (out.length < 33 || out.toString('latin1', 12, 16) !== 'IHDR') return out;
  out.writeUInt32BE(width >>> 0, 16);
  out.writeUInt32BE(height >>> 0, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** Sets the first chunk's length field after IHDR (usually IDAT's) to `length`. */
export function setPngChunkLength(png: Buffer, length: number): Buffer {
  const out = Buffer.from(png);
  if (out.length >= 37) out.writeUInt32BE(length >>> 0, 33);
  return out;
}

/** Sets a JPEG's frame size (the SOFn marker's height and width). */
export function setJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length;) {
    if (out[i] !== 0xff) return out;
    const marker = out[i + 1];
    const length = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      out.writeUInt16BE(height & 0xffff, i + 5);
      out.writeUInt16BE(width & 0xffff, i + 7);
      return out;
    }
    i += 2 + length;
  }
  return out;
}

/** Rewrites field [offset, offset+size) of the tar header at `at` and fixes the header's checksum. */
export function setTarField(tar: Buffer, at: number, offset: number, size: number, value: string): void {
  if (at + 512 > tar.length) return;
  tar.fill(0, at + offset, at + offset + size);
  tar.write(value.slice(0, size), at + offset, 'latin1');
  tar.fill(0x20, at + 148, at + 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[at + i];
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 'latin1');
}

/** Offsets of the tar headers (each entry: a 512-byte header, then its data padded to 512). */
export function tarHeaders(tar: Buffer): number[] {
  const found: number[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    if (tar.subarray(at, at + 512).every((b) => b === 0)) break;
    found.push(at);
    const size = parseInt(
      tar
        .toString('latin1', at + 124, at + 136)
        .replace(/\0.*$/, '')
        .trim() || '0',
      8,
    );
    if (!Number.isFinite(size)) break;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

let zerosMember: Promise<Buffer> | undefined;

/**
 * A gzip member that inflates to 768 MB of zeros (it is under 1 MB), made once by streaming so
 * the fuzzer never holds the zeros. Appended to a gzip file it makes a bomb: gunzip reads
 * concatenated members as one stream.
 */
export function gzipBombMember(): Promise<Buffer> {
  zerosMember ??= new Promise((resolve, reject) => {
    const gzip = createGzip();
    const out: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => out.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(out)));
    gzip.on('error', reject);
    const zeros = Buffer.alloc(1 << 20);
    let left = 768;
    const write = () => {
      while (left > 0) {
        left--;
        if (!gzip.write(zeros)) return gzip.once('drain', write);
      }
      gzip.end();
    };
    write();
  });
  return zerosMember;
}
