import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeNpy, decodeNpyTyped, encodeNpy, readNpy, readNpyTyped, writeNpy } from '../../src/io/npy.js';
import { skipUnless } from '../requirements.js';

test('round trip keeps shape and values; data start on a 64-byte boundary', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-npy-'));
  const data = new Float32Array([1.5, -2, 3.25, 0, 1e-8, -7]);
  const file = path.join(dir, 'a.npy');
  await writeNpy(file, data, [3, 2]);
  const back = await readNpy(file);
  assert.deepEqual(back.shape, [3, 2]);
  assert.deepEqual(Array.from(back.data), Array.from(data));
  const bytes = encodeNpy(data, [3, 2]);
  assert.equal((bytes.length - data.byteLength) % 64, 0);
  assert.deepEqual(readdirSync(dir), ['a.npy']); // no temporary file left behind
});

test(
  'NumPy reads what gankit writes, when NumPy is installed',
  { skip: skipUnless(hasNumpy(), 'python3 with numpy not found: apt-get install python3-numpy') },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gankit-npy-'));
    const file = path.join(dir, 'b.npy');
    await writeNpy(file, new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const out = execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy as np; a = np.load(${JSON.stringify(file)}); print(a.dtype, a.shape, a.sum())`,
    ])
      .toString()
      .trim();
    assert.equal(out, 'float32 (2, 3) 21.0');
    // And gankit reads NumPy's uint8 images.
    const u8 = path.join(dir, 'c.npy');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy as np; np.save(${JSON.stringify(u8)}, (np.arange(24) * 11 % 256).astype(np.uint8).reshape(2, 3, 4))`,
    ]);
    const typed = await readNpyTyped(u8);
    assert.equal(typed.dtype, 'uint8');
    assert.deepEqual(typed.shape, [2, 3, 4]);
    assert.deepEqual(
      Array.from(typed.data),
      Array.from({ length: 24 }, (_, i) => (i * 11) % 256),
    );
  },
);

test('bad files get clear errors', () => {
  assert.throws(
    () => decodeNpy(Buffer.from('hello world, not numpy')),
    /Expected the .npy file to start with the NumPy magic string/,
  );
  const good = encodeNpy(new Float32Array([1, 2, 3, 4]), [4]);
  assert.throws(
    () => decodeNpy(good.subarray(0, good.length - 3)),
    /Expected 16 data bytes .* but received 13: the file is truncated/,
  );
  const ints = Buffer.from(good);
  ints.write("'<i4'", ints.indexOf("'<f4'"), 'latin1');
  assert.throws(
    () => decodeNpy(ints),
    /Expected float32 \('<f4'\), float64 \('<f8'\) or uint8 \('\|u1'\) data .* but received '<i4'/,
  );
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 2]), /Expected 4 values for shape \[2, 2\] but received 5/);
});

test('uint8 arrays of any rank round-trip as bytes, and decodeNpy gives their values as float32', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-npy-'));
  const data = Uint8Array.from({ length: 2 * 3 * 4 * 3 }, (_, i) => (i * 37) % 256);
  const file = path.join(dir, 'u8.npy');
  await writeNpy(file, data, [2, 3, 4, 3]);
  const typed = await readNpyTyped(file);
  assert.equal(typed.dtype, 'uint8');
  assert.deepEqual(typed.shape, [2, 3, 4, 3]);
  assert.deepEqual(Array.from(typed.data), Array.from(data));
  const floats = await readNpy(file);
  assert.ok(floats.data instanceof Float32Array);
  assert.deepEqual(Array.from(floats.data), Array.from(data));
  // NumPy may spell uint8 with any byte-order mark.
  const bytes = encodeNpy(data, [72]);
  bytes.write("'<u1'", bytes.indexOf("'|u1'"), 'latin1');
  assert.deepEqual(Array.from(decodeNpyTyped(bytes).data), Array.from(data));
});

test('float32 of rank 0, 1 and 4 decode at any byte offset; float64 arrives as float32', () => {
  for (const shape of [[], [5], [1, 2, 1, 3]]) {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: count }, (_, i) => i - 0.5);
    const bytes = encodeNpy(data, shape);
    // Move the file to an odd offset in a larger buffer: the decoder must not need alignment.
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    const typed = decodeNpyTyped(shifted);
    assert.equal(typed.dtype, 'float32');
    assert.deepEqual(typed.shape, shape);
    assert.deepEqual(Array.from(typed.data), Array.from(data));
  }
  const f8 = Buffer.from(encodeNpy(new Float32Array([0, 0]), [2]));
  f8.write("'<f8'", f8.indexOf("'<f4'"), 'latin1');
  const body = Buffer.alloc(16);
  body.writeDoubleLE(0.1, 0);
  body.writeDoubleLE(-3, 8);
  const f8File = Buffer.concat([f8.subarray(0, f8.length - 8), body]);
  assert.deepEqual(Array.from(decodeNpyTyped(f8File).data), [Math.fround(0.1), -3]);
});

function hasNumpy(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
