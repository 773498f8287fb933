// The verdict sentence, band by band, for each kind of data: its words, its numbers
// and the pictures it points to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdict, type VerdictInput } from '../../src/train/verdict.js';

const base = { data: 'ring8', warnings: [], runDir: 'runs/x', loss: 'nonsaturating' } as const;
const say = (v: Partial<VerdictInput> & Pick<VerdictInput, 'kind' | 'final'>) => verdict({ ...base, ...v });
const ring = (modes: number, highQuality: number, reverseKL: number, more = {}) => ({
  final: { modes, totalModes: 8, highQuality, reverseKL, rollbacks: 0, ...more },
  kind: 'mixture' as const,
});

test('mixtures: good, fair (what is missing), poor (collapse, low quality)', () => {
  assert.equal(
    say(ring(8, 0.991, 0.0021)),
    'good — 8/8 modes, 99.1% high quality, reverse KL 0.002; look at runs/x/samples.png',
  );
  assert.equal(
    say(ring(7, 0.95, 0.05)),
    'fair — 7/8 modes, 95.0% high quality, reverse KL 0.050; look at runs/x/samples.png for the 1 missing mode ' +
      'and try more --steps',
  );
  assert.match(say(ring(8, 0.8, 0.01)), /^fair — .*for the samples between modes/);
  assert.match(say(ring(8, 0.95, 0.3)), /^fair — .*for the uneven mode weights/);
  assert.equal(
    say(ring(3, 0.97, 1.1)),
    'poor — 3/8 modes, 97.0% high quality, reverse KL 1.100 (mode collapse); look at runs/x/samples.png and ' +
      'runs/x/curves.png and try more --steps, a larger --r1 or --loss wgan-gp',
  );
  assert.match(say({ ...ring(4, 0.9, 1), loss: 'wgan-gp' }), /\(mode collapse\).* or another --loss$/);
  assert.match(say(ring(8, 0.4, 0.01)), /^poor — 8\/8 modes, 40\.0% high quality.*lower learning rates$/);
  assert.match(say(ring(8, NaN, NaN)), /^poor — /);
});

test('mixtures, conditional: accuracy in the sentence; below 90% it is fair', () => {
  assert.match(say(ring(8, 0.99, 0.001, { classAccuracy: 1 })), /^good — .*, class accuracy 100\.0%; look at/);
  assert.match(
    say(ring(8, 0.99, 0.001, { codeAccuracy: 0.6 })),
    /^fair — .*code accuracy 60\.0%; look at runs\/x\/samples\.png for the samples at the wrong mode/,
  );
});

test('warnings and rollbacks are said after the judgement', () => {
  assert.match(
    say({ ...ring(8, 0.99, 0.001, { rollbacks: 2 }), warnings: ['vanishing gradients: …'] }),
    /^good — .*samples\.png \(2 rollbacks after divergences; 1 warning above; see curves\.png\)$/,
  );
});

test('1D: judged by KS beside the real pair; W1 in the data units', () => {
  const line = (ks: number, w1 = 0.02) => ({
    kind: 'line' as const,
    data: 'gauss1d',
    final: { wasserstein1: w1, wasserstein1_real: 0.017, ks, ks_real: 0.025 },
  });
  assert.equal(
    say(line(0.022, 0.013)),
    'good — p_g matches p_data: Wasserstein-1 0.013 (real vs real 0.017), KS 0.022 (real vs real 0.025); ' +
      'look at runs/x/samples.png',
  );
  assert.match(say(line(0.1, 0.1)), /^fair — Wasserstein-1 0\.10 .*KS 0\.10 .*discriminator\.png.*more --steps$/);
  assert.match(say(line(0.64, 0.78)), /^poor — Wasserstein-1 0\.78/);
  // A real pair that differs a lot (few samples) widens "good" to twice its KS.
  assert.match(say({ ...line(0.09), final: { wasserstein1: 0.1, ks: 0.09, ks_real: 0.05 } }), /^good — /);
});

test('images: fashion-mnist judged against DCGAN-28 numbers; other data without a band', () => {
  const fid = (fid10k: number, more = {}) => ({
    kind: 'images' as const,
    data: 'fashion-mnist',
    final: { fid10k, fid10k_real: 0.158, epochs: 1, ...more },
  });
  const known = 'DCGAN-28 scores 73.8 after 1 epoch and 22.7 after 5';
  assert.equal(
    say(fid(21.3, { epochs: 5 })),
    `good — fid10k 21.3 (real vs real 0.16); ${known}; look at runs/x/samples.png`,
  );
  assert.equal(
    say(fid(73.8)),
    `fair — fid10k 73.8 (real vs real 0.16); ${known}; look at runs/x/samples.png and train longer (--epochs 5)`,
  );
  assert.equal(
    say(fid(486.6, { epochs: 0.003 })),
    `poor — fid10k 486.6 (real vs real 0.16); ${known}; look at runs/x/samples.png and runs/x/curves.png and ` +
      'train longer (--epochs 5) or try another --loss',
  );
  assert.match(say(fid(150, { epochs: 20 })), /and train longer or try another --loss$/);
  assert.match(
    say(fid(40, { headAccuracy: 0.852 })),
    /^fair — fid10k 40\.0 \(real vs real 0\.16\), D's class head 85\.2%;/,
  );
  assert.match(say(fid(40, { qAccuracy: 0.5 })), /Q's code as a classifier 50\.0%/);
  assert.equal(
    say({ ...fid(12.5), data: 'mnist' }),
    'measured — fid10k 12.5 (real vs real 0.16); gankit knows no numbers for mnist to judge it by, so compare ' +
      'runs with each other; look at runs/x/samples.png',
  );
  assert.equal(
    say({ kind: 'images', data: 'fashion-mnist', final: { epochs: 1 } }),
    'not measured — no FID at the end; look at runs/x/samples.png, or score it with gankit eval --run runs/x',
  );
});

test('2D data without modes: not scored, look at the samples', () => {
  assert.equal(
    say({ kind: 'plane', data: 'spiral', final: {} }),
    'not scored — spiral has no modes to count; look at runs/x/samples.png',
  );
});
