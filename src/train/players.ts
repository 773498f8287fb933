// The players of a run: G and D (the preset of the run's model, or the caller's own),
// G's moving average, and the game between them (gan.ts); on resume, their weights and
// optimizers as the latest checkpoint left them.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Conditioning } from '../games/conditional.js';
import { readAndDispose, readTensors } from '../backend/read.js';
import { presetNetworks } from '../networks/presets.js';
import type { Networks } from '../networks/options.js';
import { loadCheckpoint, type CheckpointState } from '../run/checkpoint.js';
import { Rng } from '../rng.js';
import { WeightAverage } from './ema.js';
import { Gan } from './gan.js';
import type { RunPlan } from './plan.js';

export interface Players {
  gan: Gan;
  average?: WeightAverage;
  /** The generator that samples: G's moving average when the run keeps one, else G. */
  sampler: tfl.LayersModel;
  /** What a checkpoint saves. */
  models: { generator: tfl.LayersModel; discriminator: tfl.LayersModel; generatorAverage?: tfl.LayersModel };
}

/** Builds the players; the run's RNG (seeded from the options) first draws the preset's initial weights. */
export async function buildPlayers(plan: RunPlan, networks?: Networks): Promise<Players> {
  const { options, data, conditioning } = plan;
  const rng = new Rng(options.seed);
  const { generator, discriminator } = networks ?? presetNetworks(options, data.shape, rng, conditioning);
  checkShapes(generator, discriminator, options.latentDim, data.shape, conditioning);
  const warmup = data.kind === 'images';
  const average = options.ema > 0 ? await WeightAverage.of(generator, options.ema, { warmup }) : undefined;
  const gan = new Gan(generator, discriminator, options, rng, average, conditioning);
  return {
    gan,
    average,
    sampler: average?.model ?? generator,
    models: { generator, discriminator, generatorAverage: average?.model },
  };
}

/** Restores weights, optimizers and the RNG from a checkpoint; returns its step. */
export async function restorePlayers(players: Players, checkpoint: string): Promise<number> {
  const saved = await loadCheckpoint(checkpoint);
  const { gan, average } = players;
  copyWeights(saved.models.generator, gan.generator);
  copyWeights(saved.models.discriminator, gan.discriminator);
  if (average && saved.models.generatorAverage) copyWeights(saved.models.generatorAverage, average.model);
  average?.invalidate();
  gan.optG.setState(saved.state.optimizers.generator);
  gan.optD.setState(saved.state.optimizers.discriminator);
  gan.rng.setState(saved.state.rng);
  return saved.state.step;
}

/**
 * The players at step 0, kept in memory: what a divergence before the first checkpoint
 * rolls back to. Values are copied out, since the native backend updates weights in place.
 */
export interface StartState {
  weights: { values: Float32Array; shape: number[] }[][];
  state: CheckpointState;
}

export async function captureStart(players: Players): Promise<StartState> {
  const models = Object.values(players.models).filter((m): m is tfl.LayersModel => m !== undefined);
  const weights: StartState['weights'] = [];
  for (const m of models) {
    const tensors = m.getWeights();
    const values = await readTensors(tensors);
    weights.push(tensors.map((w, i) => ({ values: values[i], shape: w.shape })));
  }
  return { weights, state: await players.gan.checkpointState(0) };
}

/** Puts the players back to a captured step 0; returns 0, the step they are at. */
export function restoreStart(players: Players, start: StartState): number {
  const models = Object.values(players.models).filter((m): m is tfl.LayersModel => m !== undefined);
  models.forEach((model, i) => {
    const tensors = start.weights[i].map((w) => tf.tensor(w.values.slice(), w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
  });
  players.average?.invalidate();
  players.gan.optG.setState(start.state.optimizers.generator);
  players.gan.optD.setState(start.state.optimizers.discriminator);
  players.gan.rng.setState(start.state.rng);
  return 0;
}

/** Whether every weight of every model is finite: a checkpoint is never written from a diverged state. */
export async function weightsFinite(players: Players): Promise<boolean> {
  const models = Object.values(players.models).filter((m): m is tfl.LayersModel => m !== undefined);
  const bad = tf.tidy(() => {
    const counts = models.flatMap((m) => m.getWeights().map((w) => tf.sum(tf.logicalNot(tf.isFinite(w)))));
    return tf.addN(counts);
  });
  const [count] = await readAndDispose<Int32Array>(bad);
  return count === 0;
}

function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  to.setWeights(from.getWeights());
  from.dispose();
}

/**
 * G: [z] (conditional: [z, c]) → one example;
 * D: the example (CGAN: and y) → [logit] (ACGAN, InfoGAN: [logit, aux…]).
 */
function checkShapes(
  G: tfl.LayersModel,
  D: tfl.LayersModel,
  latentDim: number,
  example: number[],
  cond?: Conditioning,
): void {
  const shapes = (ts: tfl.SymbolicTensor[]) => ts.map((t) => `[batch, ${t.shape.slice(1).join(', ')}]`).join(', ');
  const expect = (what: string, got: tfl.SymbolicTensor[], want: number[][]) => {
    const wanted = want.map((w) => `[batch, ${w.join(', ')}]`).join(', ');
    const plural = want.length > 1 ? 's' : '';
    if (shapes(got) !== wanted)
      throw new Error(`Expected ${what}${plural} of shape${plural} ${wanted} but received ${shapes(got)}`);
  };
  expect("the generator's input", G.inputs, cond ? [[latentDim], [cond.codeDim]] : [[latentDim]]);
  expect("the generator's output", G.outputs, [example]);
  expect("the discriminator's input", D.inputs, cond?.discriminatorReadsCode ? [example, [cond.classes]] : [example]);
  expect("the discriminator's output", D.outputs, [[1 + (cond?.auxDim ?? 0)]]);
}
