// The games: each is a pair of losses over D's raw outputs (logits), one for each
// player, chosen by name. D minimises `discriminator`, G minimises `generator`.
// Logistic games use softplus identities: −log σ(t) = softplus(−t) and
// −log(1 − σ(t)) = softplus(t), which stay finite where σ saturates.
import * as tf from '@tensorflow/tfjs-core';

export const GAMES = ['nonsaturating', 'minimax', 'lsgan', 'wgan', 'wgan-gp', 'hinge'] as const;
export type GameName = (typeof GAMES)[number];

export interface Game {
  name: GameName;
  /** D's loss given its logits on a real batch and a generated batch. */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss given D's logits on a generated batch. */
  generator(fakeLogits: tf.Tensor): tf.Scalar;
}

const mean = (t: tf.Tensor) => tf.mean(t) as tf.Scalar;

/** −E[log D(x)] − E[log(1 − D(G(z)))]: the value function of Goodfellow et al. 2014, negated. */
const logisticDiscriminator = (real: tf.Tensor, fake: tf.Tensor) => tf.add(mean(tf.softplus(tf.neg(real))), mean(tf.softplus(fake))) as tf.Scalar;

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
  // Arjovsky et al. 2017; the trainer clips D's weights after each D step.
  wgan: {
    name: 'wgan',
    discriminator: criticDiscriminator,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
  },
  // Gulrajani et al. 2017; the trainer adds the gradient penalty to D's loss.
  'wgan-gp': {
    name: 'wgan-gp',
    discriminator: criticDiscriminator,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
  },
  // Lim & Ye 2017 / Miyato et al. 2018.
  hinge: {
    name: 'hinge',
    discriminator: (real, fake) =>
      tf.add(mean(tf.relu(tf.sub(1, real))), mean(tf.relu(tf.add(1, fake)))) as tf.Scalar,
    generator: (fake) => tf.neg(mean(fake)) as tf.Scalar,
  },
};

export function game(name: string): Game {
  if (!(GAMES as readonly string[]).includes(name)) {
    throw new Error(`Expected loss to be one of ${GAMES.join(', ')} but received "${name}"`);
  }
  return games[name as GameName];
}
