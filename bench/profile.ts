// Per-kernel profile of one training step of a reference workload on one backend:
//   node dist/bench/profile.js [dcgan28|mlp2d] [native|wasm|cpu] [steps]
// Prints the kernels that took the most time over `steps` steps (after warm-up),
// with calls and milliseconds per step: where to look when a step is slow.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/index.js';
import { dcgan28Workload, mlp2dWorkload } from './workloads.js';

const [workload = 'dcgan28', backend = 'native', stepsText = '10'] = process.argv.slice(2);
const steps = Number(stepsText);
await initBackend(backend as 'native');
const { step, real } = workload === 'mlp2d' ? mlp2dWorkload() : dcgan28Workload();
for (let i = 0; i < 5; i++) step.step(real);

const totals = new Map<string, { ms: number; calls: number }>();
const began = performance.now();
for (let i = 0; i < steps; i++) {
  const info = await tf.profile(() => {
    step.step(real);
  });
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const t = totals.get(key) ?? { ms: 0, calls: 0 };
    t.ms += k.kernelTimeMs as number;
    t.calls += 1;
    totals.set(key, t);
  }
}
const wall = (performance.now() - began) / steps;
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((a, [, t]) => a + t.ms, 0) / steps;
console.log(
  `${workload} on ${backend}: ${wall.toFixed(1)} ms/step under the profiler, ${kernelMs.toFixed(1)} ms in kernels, ${rows.reduce((a, [, t]) => a + t.calls, 0) / steps} kernel calls/step`,
);
for (const [key, t] of rows.slice(0, 40))
  console.log(`${(t.ms / steps).toFixed(2).padStart(8)} ms ${String(t.calls / steps).padStart(4)}× ${key}`);
