// The games: one row each, citing its paper. A game is a pair of losses over D's raw
// outputs (logits), one for each player: D minimises `discriminator`, G minimises
// `generator`. A game also owns what its paper adds to D's update: a penalty on D's
// loss (WGAN-GP) and a hook after each D update (WGAN's clipping).
// Logistic games use softplus identities: −log σ(t) = softplus(−t) and
// −log(1 − σ(t)) = softplus(t), which stay finite where σ saturates.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import { gradientPenalty, type Critic } from './penalties.js';

export const GAMES = ['nonsaturating', 'minimax', 'lsgan', 'wgan', 'wgan-gp', 'hinge'] as const;
export type GameName = (typeof GAMES)[number];

export interface Game {
  name: GameName;
  /** D's loss given its logits on a real batch and a generated batch. */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss given D's logits on a generated batch. */
  generator(fakeLogits: tf.Tensor): tf.Scalar;
  /** A penalty the game adds to D's loss. */
  penalty?: GamePenalty;
  /** Runs after each D update, on D's weights (WGAN: clipping). */
  afterDiscriminatorUpdate?(weights: tf.Variable[], settings: GameSettings): void;
}

/** The settings a game's extras read (the run's options hold them). */
export interface GameSettings {
  /** WGAN-GP's penalty weight λ. */
  gpWeight: number;
  /** WGAN's clipping bound c. */
  clip: number;
}

export interface GamePenalty {
  /**
   * Draws what the penalty needs for n examples from the run's RNG, before D's step, so the RNG stays the only source
   * of randomness.
   */
  draw(rng: Rng, n: number): tf.Tensor1D;
  /** The penalty on D for a real and a generated batch. */
  loss(critic: Critic, real: tf.Tensor, fake: tf.Tensor, drawn: tf.Tensor1D, settings: GameSettings): tf.Scalar;
}

const mean = (t: tf.Tensor) => tf.mean(t) as tf.Scalar;

/** −E[log D(x)] − E[log(1 − D(G(z)))]: the value function of Goodfellow et al. 2014, negated. */
const logisticDiscriminator = (real: tf.Tensor, fake: tf.Tensor) =>
  tf.add(mean(tf.softplus(tf.neg(real))), mean(tf.softplus(fake))) as tf.Scalar;

/** Wasserstein critic: E[D(G(z))] − E[D(x)]. */
const criticDiscriminator = (real: tf.Tensor, fake: tf.Tensor) => tf.sub(mean(fake), mean(real)) as tf.Scalar;

const games: Record<GameName, Game> = {
  // G maximises log D(G(z)): strong gradients while D still rejects G's samples.
  nonsaturating: {
    name: 'nonsaturating',
    discriminator: logisticDiscriminator,
    generator: (fake) => mean(tf.softplus(tf.neg(fake))),
  },
  // G minimises E[log(1 − D(G(z)))] = −E[softplus(D(G(z)))]: the original minimax game.
  minimax: {
    name: 'minimax',
    discriminator: logisticDiscriminator,
    generator: (fake) => tf.neg(mean(tf.softplus(fake))) as tf.Scalar,
  },
  // Least squares (Mao et al. 2017) with targets a = 0, b = c = 1, halved as in the paper.
  lsgan: {
    name: 'lsgan',
    discriminator: (real, fake) =>
      tf.mul(0.5, tf.add(mean(tf.square(tf.sub(real, 1))), mean(tf.square(fake)))) as tf.Scalar,
    generator: (fake) => tf.mul(0.5, mean(tf.square(tf.sub(fake, 1)))) as tf.Scalar,
  },
  // Arjovsky et al. 2017: every weight of D clipped into [−c, c] after each D update.
  wgan: {
    name: 'wgan',
    discriminator: criticDiscriminator,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
    afterDiscriminatorUpdate: (weights, { clip }) =>
      tf.tidy(() => weights.forEach((w) => w.assign(tf.clipByValue(w, -clip, clip)))),
  },
  // Gulrajani et al. 2017: λ·E[(‖∇D(x̂)‖₂ − 1)²] at points x̂ between real and generated
  // examples, one uniform α per example.
  'wgan-gp': {
    name: 'wgan-gp',
    discriminator: criticDiscriminator,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
    penalty: {
      draw: (rng, n) => tf.tensor1d(rng.fillUniform(new Float32Array(n))),
      loss: (critic, real, fake, alpha, { gpWeight }) => gradientPenalty(critic, real, fake, alpha, gpWeight),
    },
  },
  // Lim & Ye 2017 / Miyato et al. 2018.
  hinge: {
    name: 'hinge',
    discriminator: (real, fake) => tf.add(mean(tf.relu(tf.sub(1, real))), mean(tf.relu(tf.add(1, fake)))) as tf.Scalar,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
  },
};

export function game(name: string): Game {
  if (!(GAMES as readonly string[]).includes(name)) {
    throw new Error(`Expected loss to be one of ${GAMES.join(', ')} but received "${name}"`);
  }
  return games[name as GameName];
}
