// The conditioning of cgan, acgan and infogan: the codes G reads, and the auxiliary
// losses against hand computations on fixed logits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { classLoss, conditioningFor, Conditioning, infoLoss } from '../../src/games/conditional.js';
import { Rng } from '../../src/rng.js';

await initBackend();

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-5, `${what}: ${a} vs ${b}`);
/** −log softmax(row)[k], computed plainly. */
const crossEntropy = (row: number[], k: number) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];
const scalar = (t: tf.Tensor) => t.dataSync()[0];

test('codes: one-hot class then continuous codes; a fixed class keeps the other draws', () => {
  const info = new Conditioning('infogan', 4, 2);
  assert.deepEqual([info.codeDim, info.auxDim, info.discriminatorReadsCode], [6, 6, false]);
  const codes = info.encode(Int32Array.from([2, 0]), Float32Array.from([0.5, -1, 0.25, 0.75]));
  assert.deepEqual(Array.from(codes.input), [0, 0, 1, 0, 0.5, -1, 1, 0, 0, 0, 0.25, 0.75]);
  const free = info.draw(new Rng(3), 50);
  const fixed = info.draw(new Rng(3), 50, 1);
  assert.deepEqual(fixed.continuous, free.continuous);
  assert.ok(fixed.classes.every((c) => c === 1));
  assert.ok(free.continuous.every((v) => v >= -1 && v < 1));
  assert.equal(new Set(free.classes).size, 4);

  const cgan = new Conditioning('cgan', 10);
  assert.deepEqual([cgan.codeDim, cgan.auxDim, cgan.discriminatorReadsCode], [10, 0, true]);
  assert.deepEqual([new Conditioning('acgan', 10).auxDim], [10]);
  assert.throws(
    () => cgan.draw(new Rng(1), 3, 10),
    /Expected the class to be an integer in 0\.\.9 \(model cgan, 10 classes\) but received 10/,
  );
  assert.throws(() => new Conditioning('cgan', 10, 2), /Expected no continuous codes for model cgan/);
  assert.equal(
    conditioningFor({
      model: 'dcgan',
      numClasses: 0,
      infoCategories: 10,
      infoContinuous: 2,
      infoLambdaCat: 1,
      infoLambdaCont: 0.1,
    }),
    undefined,
  );
});

test("ACGAN's auxiliary losses: class cross-entropy on real and generated (D), on generated (G)", () => {
  const acgan = new Conditioning('acgan', 3);
  const realAux = [
    [2, 0.5, -1],
    [0, 0, 3],
  ];
  const fakeAux = [
    [-0.5, 1.5, 0.2],
    [1, -2, 0.7],
  ];
  const realLabels = Int32Array.from([0, 1]);
  const fakeCodes = acgan.encode(Int32Array.from([2, 0]));
  const judge = (aux: number[][]) => ({ logits: tf.zeros([2, 1]), aux: tf.tensor2d(aux) });
  const realCE = (crossEntropy(realAux[0], 0) + crossEntropy(realAux[1], 1)) / 2;
  const fakeCE = (crossEntropy(fakeAux[0], 2) + crossEntropy(fakeAux[1], 0)) / 2;
  close(scalar(acgan.discriminatorLoss(judge(realAux), realLabels, judge(fakeAux), fakeCodes)!), realCE + fakeCE, 'D');
  close(scalar(acgan.generatorLoss(judge(fakeAux), fakeCodes)!), fakeCE, 'G');
  close(scalar(classLoss(tf.tensor2d(realAux), realLabels, 3)), realCE, 'classLoss');
  assert.equal(new Conditioning('cgan', 3).generatorLoss(judge(fakeAux), fakeCodes), undefined);
});

test("InfoGAN's information loss: λ_cat·CE(Q, c) + λ_cont·E[Σ ½(μ − c)²], for D and G alike", () => {
  const lambda = { cat: 1, cont: 0.1 };
  const info = new Conditioning('infogan', 3, 2, lambda);
  // Q's outputs: 3 categorical logits, then 2 means.
  const q = [
    [0.3, -1, 2, 0.5, -0.2],
    [1, 1, -1, -0.7, 0.9],
  ];
  const codes = info.encode(Int32Array.from([2, 1]), Float32Array.from([0.1, -0.4, -0.9, 0.3]));
  const cat = (crossEntropy(q[0].slice(0, 3), 2) + crossEntropy(q[1].slice(0, 3), 1)) / 2;
  const cont = (0.5 * ((0.5 - 0.1) ** 2 + (-0.2 + 0.4) ** 2) + 0.5 * ((-0.7 + 0.9) ** 2 + (0.9 - 0.3) ** 2)) / 2;
  const expected = lambda.cat * cat + lambda.cont * cont;
  const judged = { logits: tf.zeros([2, 1]), aux: tf.tensor2d(q) };
  close(scalar(infoLoss(tf.tensor2d(q), codes, 3, lambda)), expected, 'infoLoss');
  close(scalar(info.generatorLoss(judged, codes)!), expected, 'G');
  close(scalar(info.discriminatorLoss(judged, undefined, judged, codes)!), expected, 'D');
  // A Q that is sure of c_cat and whose means are c_cont scores (almost) 0.
  const perfect = info.encode(Int32Array.from([0]), Float32Array.from([0.5, -0.5]));
  const exact = tf.tensor2d([[30, 0, 0, 0.5, -0.5]]);
  close(scalar(infoLoss(exact, perfect, 3, lambda)), 0, 'a Q that knows c');
});

test('D sees x alone (acgan, infogan: logit and head split) or x and y (cgan)', () => {
  const info = new Conditioning('infogan', 3, 1);
  const D = { apply: (x: tf.Tensor) => tf.tensor2d([[0.5, 1, 2, 3, 4]]) } as never;
  const out = info.judge(D, tf.zeros([1, 2]), undefined, false);
  assert.deepEqual(Array.from(out.logits.dataSync()), [0.5]);
  assert.deepEqual(Array.from(out.aux!.dataSync()), [1, 2, 3, 4]);
  const cgan = new Conditioning('cgan', 3);
  let seen: tf.Tensor[] = [];
  const D2 = { apply: (inputs: tf.Tensor[]) => ((seen = inputs), tf.zeros([1, 1])) } as never;
  cgan.judge(D2, tf.zeros([1, 2]), cgan.encode(Int32Array.from([1])), false);
  assert.deepEqual(Array.from(seen[1].dataSync()), [0, 1, 0]);
  assert.throws(
    () => cgan.judge(D2, tf.zeros([1, 2]), undefined, false),
    /Expected labels for model cgan's discriminator/,
  );
});
