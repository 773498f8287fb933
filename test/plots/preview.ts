// Writes example figures for eyeballing: PLOTS_PREVIEW=1 node dist/test/plots/preview.js
// (then look at /tmp/plots-preview/*.png). A no-op otherwise, because `node --test
// dist/test/` also loads every file under a test/ folder.

import { mkdirSync, writeFileSync } from 'node:fs';
import { plot1d, plotCurves, plotDiscriminator2d, plotSamples2d, type Panel } from '../../src/plots/index.js';
import {
  gaussian,
  gridOf,
  mixtureDensity,
  normalPdf,
  RING_BOUNDS,
  ringModes,
  rng,
  sampleModes,
  sigmoid,
} from './fixtures.js';

export async function writePreviews(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const save = (name: string, png: Buffer) => {
    const p = `${dir}/${name}`;
    writeFileSync(p, png);
    files.push(p);
  };

  // 1) Ring of 8 Gaussians, std 0.02; G covers 6 modes (a bit wider) plus some stragglers.
  const modes = ringModes(8, 2);
  const density = gridOf(RING_BOUNDS, 300, 300, mixtureDensity(modes, 0.02));
  const real = sampleModes(modes, 2500, 0.02, 1);
  const fake = sampleModes(modes, 2500, 0.05, 2, [0, 1, 2, 4, 5, 6]);
  const r = rng(3);
  for (let i = 0; i < 150; i++) {
    fake[2 * i] = 1.5 * gaussian(r);
    fake[2 * i + 1] = 1.5 * gaussian(r);
  }
  save(
    'samples2d.png',
    await plotSamples2d({
      fake,
      real,
      density,
      modes,
      bounds: RING_BOUNDS,
      title: 'Ring of 8 Gaussians (std 0.02): generated samples',
      subtitle: 'step 2000 · modes 6/8 · high quality 91.3% · reverse KL 0.31',
    }),
  );
  // std 0.01 on a 200×200 grid (cells 1.5σ wide), as the trainer draws it: modes still show.
  const tight = gridOf(RING_BOUNDS, 200, 200, mixtureDensity(modes, 0.01));
  save(
    'samples2d-noreal.png',
    await plotSamples2d({
      fake: sampleModes(modes, 2500, 0.03, 7, [0, 3, 5]),
      density: tight,
      modes,
      bounds: RING_BOUNDS,
      title: 'Mode collapse onto 3 of 8 modes (std 0.01), no real samples',
      subtitle: 'step 600 · modes 3/8',
    }),
  );

  // 2) GAN Lab view: D high on a band around the ring, G's samples partly inside.
  const dField = (x: number, y: number) =>
    sigmoid(3 * (0.8 - Math.abs(Math.hypot(x, y) - 2) * 1.6) + 0.6 * Math.sin(2.5 * x));
  const field = gridOf(RING_BOUNDS, 120, 120, dField);
  const fake2 = new Float32Array(2 * 2500);
  const r2 = rng(4);
  for (let i = 0; i < 2500; i++) {
    const a = r2() * 2 * Math.PI;
    const rad = 1.1 + 0.35 * gaussian(r2);
    fake2[2 * i] = rad * Math.cos(a) + 0.3;
    fake2[2 * i + 1] = rad * Math.sin(a);
  }
  const K = 150;
  const points = fake2.slice(0, 2 * K);
  const dirs = new Float32Array(2 * K);
  const h = 1e-3;
  for (let k = 0; k < K; k++) {
    const x = points[2 * k];
    const y = points[2 * k + 1];
    // Non-saturating G ascends log D(x).
    dirs[2 * k] = (Math.log(dField(x + h, y)) - Math.log(dField(x - h, y))) / (2 * h);
    dirs[2 * k + 1] = (Math.log(dField(x, y + h)) - Math.log(dField(x, y - h))) / (2 * h);
  }
  save(
    'discriminator2d.png',
    await plotDiscriminator2d({
      field,
      fake: fake2,
      arrows: { points, dirs },
      real,
      bounds: RING_BOUNDS,
      title: 'Discriminator and generator gradients',
      subtitle: 'step 400 · D(x) on real 0.81 · D(G(z)) 0.22',
    }),
  );

  // 3) 1D: p_data = N(2, 0.5), p_g = N(0, 1).
  const n = 400;
  const xs = new Float32Array(n);
  const pData = new Float32Array(n);
  const pG = new Float32Array(n);
  const dOpt = new Float32Array(n);
  const dL = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = -4 + (9 * i) / (n - 1);
    xs[i] = x;
    pData[i] = normalPdf(x, 2, 0.5);
    pG[i] = normalPdf(x, 0, 1);
    dOpt[i] = pData[i] / (pData[i] + pG[i] + 1e-12);
    dL[i] = sigmoid(2.2 * (x - 1.1)) * (1 - 0.5 * sigmoid(3 * (x - 3.5)));
  }
  save(
    'plot1d.png',
    await plot1d({
      xs,
      dLearned: dL,
      dOptimal: dOpt,
      pData,
      pG,
      title: '1D GAN: p_data = N(2, 0.5), p_g = N(0, 1)',
      subtitle: 'step 0 · D trained 500 steps on fixed G',
    }),
  );

  // 4) Training curves, healthy and diverging.
  const steps: number[] = [];
  const dLoss: number[] = [];
  const gLoss: number[] = [];
  const dReal: number[] = [];
  const dFake: number[] = [];
  const cov: number[] = [];
  const hq: number[] = [];
  const rkl: number[] = [];
  const r3 = rng(5);
  for (let s = 0; s <= 5000; s += 10) {
    const t = s / 5000;
    steps.push(s);
    dLoss.push(1.38 - 0.3 * Math.exp(-t * 6) + 0.12 * gaussian(r3));
    gLoss.push(0.69 + 0.5 * Math.exp(-t * 4) + 0.15 * gaussian(r3));
    dReal.push(Math.min(1, Math.max(0, 0.5 + 0.25 * Math.exp(-t * 5) + 0.04 * gaussian(r3))));
    dFake.push(Math.min(1, Math.max(0, 0.5 - 0.3 * Math.exp(-t * 5) + 0.04 * gaussian(r3))));
  }
  const mSteps: number[] = [];
  for (let s = 0; s <= 5000; s += 250) {
    const t = s / 5000;
    mSteps.push(s);
    cov.push(Math.min(8, Math.round(1 + 8 * t * 1.3)));
    hq.push(Math.min(0.99, 0.1 + 0.9 * (1 - Math.exp(-t * 4))));
    rkl.push(3 * Math.exp(-t * 6) + 0.005);
  }
  const panels: Panel[] = [
    {
      title: 'Losses',
      smooth: 15,
      series: [
        { name: 'D loss', steps, values: dLoss },
        { name: 'G loss', steps, values: gLoss },
      ],
    },
    {
      title: 'Discriminator outputs',
      smooth: 15,
      yMin: 0,
      yMax: 1,
      series: [
        { name: 'D(x)', steps, values: dReal },
        { name: 'D(G(z))', steps, values: dFake },
      ],
    },
    { title: 'Modes covered', series: [{ name: 'modes (of 8)', steps: mSteps, values: cov }] },
    {
      title: 'Sample quality',
      yMin: 0,
      yMax: 1,
      series: [{ name: 'high-quality fraction', steps: mSteps, values: hq }],
    },
    { title: 'Reverse KL', logY: true, series: [{ name: 'reverse KL', steps: mSteps, values: rkl, dashed: true }] },
  ];
  save('curves.png', await plotCurves({ title: 'Training: ring of 8 Gaussians, 5000 steps', panels }));

  const dl2 = dLoss.map((v, i) => (i > 420 ? NaN : i > 400 ? v * (1 + (i - 400) ** 2) : v));
  const gl2 = gLoss.map((v, i) => (i > 420 ? (i % 3 ? NaN : Infinity) : v));
  save(
    'curves-nan.png',
    await plotCurves({
      title: 'Diverged run (NaN after step 4200)',
      panels: [
        {
          title: 'Losses',
          smooth: 9,
          series: [
            { name: 'D loss', steps, values: dl2 },
            { name: 'G loss', steps, values: gl2 },
          ],
        },
        {
          title: 'Single point',
          series: [
            { name: 'FID', steps: [2500], values: [42] },
            { name: 'empty', steps: [], values: [] },
          ],
        },
        { title: 'Empty panel', series: [] },
      ],
    }),
  );
  return files;
}

if (process.env.PLOTS_PREVIEW) {
  const dir = process.env.PLOTS_PREVIEW === '1' ? '/tmp/plots-preview' : process.env.PLOTS_PREVIEW;
  const t0 = Date.now();
  writePreviews(dir).then((f) => console.log(`${f.join('\n')}\n(${Date.now() - t0} ms)`));
}
