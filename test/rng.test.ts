import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/rng.js';

test('the same seed gives the same stream, another seed another', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xs = Array.from({ length: 50 }, () => a.nextUint32());
  assert.deepEqual(
    xs,
    Array.from({ length: 50 }, () => b.nextUint32()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 50 }, () => c.nextUint32()),
  );
});

test('a saved state continues the stream exactly', () => {
  const a = new Rng(5);
  for (let i = 0; i < 17; i++) a.normal();
  const copy = Rng.fromState(a.getState());
  assert.deepEqual(a.fillNormal(new Float32Array(33)), copy.fillNormal(new Float32Array(33)));
});

test('normal and uniform draws have the right moments', () => {
  const rng = new Rng(1);
  const n = 200_000;
  const z = rng.fillNormal(new Float32Array(n));
  const mean = z.reduce((s, v) => s + v, 0) / n;
  const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const kurtosis = z.reduce((s, v) => s + (v - mean) ** 4, 0) / n / variance ** 2;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.015, `variance ${variance}`);
  assert.ok(Math.abs(kurtosis - 3) < 0.05, `kurtosis ${kurtosis}`);
  const u = rng.fillUniform(new Float32Array(n), -1, 1);
  assert.ok(u.every((v) => v >= -1 && v < 1));
  const uMean = u.reduce((s, v) => s + v, 0) / n;
  const uVar = u.reduce((s, v) => s + (v - uMean) ** 2, 0) / n;
  assert.ok(Math.abs(uVar - 1 / 3) < 0.005, `uniform variance ${uVar}`);
});

test('bad seeds and states are refused', () => {
  assert.throws(() => new Rng(1.5), /Expected an integer seed but received 1.5/);
  assert.throws(() => Rng.fromState([1, 2, 3] as never), /Expected an RNG state of four integers/);
});
