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

test('damaged headers are refused before anything is allocated, naming the file and what to do', () => {
  const good = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);
  const version = Buffer.from(good);
  version[6] = 9;
  assert.throws(
    () => decodeNpy(version, 'x.npy'),
    /^Error: Expected .npy format version 1, 2 or 3 in x.npy but received version 9.0: the file is corrupt, or from a NumPy newer than gankit knows; save it again with np.save$/,
  );
  const long = Buffer.from(good);
  long.writeUInt16LE(0xffff, 8);
  assert.throws(
    () => decodeNpy(long, 'x.npy'),
    new RegExp(
      `^Error: Expected a header of 65535 bytes in x.npy, as its length field says, but only ${good.length - 10} bytes follow: the file is truncated or corrupt`,
    ),
  );
  const v2 = Buffer.from(good);
  v2[6] = 2; // a version 2 prefix is 12 bytes with a 4-byte length: read from the same bytes, it is absurd
  assert.throws(() => decodeNpy(v2, 'x.npy'), /^Error: Expected a header of \d+ bytes in x.npy, as its length field/);
  // The same file with another shape in its header, the padding shortened to keep the data where they were.
  const withShape = (shape: string) => {
    const header = good.toString('latin1', 10, 128).replace('(2, 2)', `(${shape})`);
    const fitted = header.replace(`${' '.repeat(header.length - 118)}\n`, '\n');
    return Buffer.concat([good.subarray(0, 10), Buffer.from(fitted, 'latin1'), good.subarray(128)]);
  };
  assert.equal(withShape('2, 2').length, good.length);
  for (const shape of ['0x10, 1', '1e3,', '-1, 4', '2.0, 2', '99999999999999999999, 0']) {
    assert.throws(
      () => decodeNpy(withShape(shape), 'x.npy'),
      new RegExp(
        `^Error: Expected a shape of non-negative integers in x.npy but received \\(${shape.replace(/[.()+]/g, '\\$&')}\\)`,
      ),
      shape,
    );
  }
  // A shape far larger than the file is refused by comparing sizes, not by allocating it.
  assert.throws(
    () => decodeNpy(withShape('4294967295, 4294967295'), 'x.npy'),
    /^Error: Expected 7378697\d{13} data bytes for shape \(4294967295, 4294967295\) in x.npy but received 16:/,
  );
});

test('a failed write names the file and leaves nothing behind; a failed read names the file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-npy-'));
  const notAFolder = path.join(dir, 'plain');
  await writeNpy(notAFolder, new Uint8Array(1), [1]);
  const target = path.join(notAFolder, 'a.npy');
  await assert.rejects(writeNpy(target, new Uint8Array(4), [4]), (err: Error & { file?: string }) => {
    assert.match(err.message, new RegExp(`^Failed writing a.npy: ${target}: ENOTDIR`));
    assert.equal(err.file, target);
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['plain']);
  await assert.rejects(readNpy(dir), new RegExp(`^Error: Failed reading the .npy file: ${dir}: EISDIR`));
});
