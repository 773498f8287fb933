// NumPy .npy files written in the browser (the playground's "Download .npy"): float32,
// little-endian, C order, format version 1.0, the header padded so the data start at a
// multiple of 64 bytes as the format asks. np.load and src/io/npy.ts read them.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array<ArrayBuffer> {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`Expected ${count} values for shape [${shape.join(', ')}] but received ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1; // magic, version, length field, header, newline
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = MAGIC.length + 4 + header.length;
  const out = new Uint8Array(head + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Float32Array is in the machine's byte order; write each value little-endian explicitly.
  const view = new DataView(out.buffer, head);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}
