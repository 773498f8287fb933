import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../src/io/npy.js';

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

test('NumPy reads what gankit writes, when NumPy is installed', { skip: !hasNumpy() && 'python3 with numpy not found' }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-npy-'));
  const file = path.join(dir, 'b.npy');
  await writeNpy(file, new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  const out = execFileSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(file)}); print(a.dtype, a.shape, a.sum())`]).toString().trim();
  assert.equal(out, 'float32 (2, 3) 21.0');
});

test('bad files get clear errors', () => {
  assert.throws(() => decodeNpy(Buffer.from('hello world, not numpy')), /Expected the .npy file to start with the NumPy magic string/);
  const good = encodeNpy(new Float32Array([1, 2, 3, 4]), [4]);
  assert.throws(() => decodeNpy(good.subarray(0, good.length - 3)), /Expected 16 data bytes .* but received 13: the file is truncated/);
  const ints = Buffer.from(good);
  ints.write("'<i4'", ints.indexOf("'<f4'"), 'latin1');
  assert.throws(() => decodeNpy(ints), /Expected float32 \('<f4'\) or float64 \('<f8'\) data .* but received '<i4'/);
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 2]), /Expected 4 values for shape \[2, 2\] but received 5/);
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
