// Gradient penalties on D. Both differentiate D's output with respect to its input and
// are then differentiated again with respect to D's weights (double backpropagation).
import * as tf from '@tensorflow/tfjs-core';
import './zero-gradients.js';

export type Critic = (x: tf.Tensor) => tf.Tensor;

/** Per-example squared L2 norm of ∇ₓ Σ D(x), over all non-batch dimensions. */
function inputGradientSquaredNorms(critic: Critic, x: tf.Tensor): tf.Tensor1D {
  // Summing over the batch gives each example's own gradient, since D acts per example.
  const grad = tf.grad((input: tf.Tensor) => tf.sum(critic(input)))(x);
  const axes = Array.from({ length: grad.rank - 1 }, (_, i) => i + 1);
  return tf.sum(tf.square(grad), axes) as tf.Tensor1D;
}

/**
 * WGAN-GP (Gulrajani et al. 2017): λ·E[(‖∇D(x̂)‖₂ − 1)²] with x̂ = αx + (1 − α)G(z) and one
 * α ~ U(0, 1) per example. `alpha` has one value per example; the caller draws it so the
 * run's RNG stays the only source of randomness.
 */
export function gradientPenalty(
  critic: Critic,
  real: tf.Tensor,
  fake: tf.Tensor,
  alpha: tf.Tensor1D,
  weight: number,
): tf.Scalar {
  return tf.tidy(() => {
    const shape = [alpha.shape[0], ...real.shape.slice(1).map(() => 1)];
    const a = tf.reshape(alpha, shape);
    const mixed = tf.add(tf.mul(a, real), tf.mul(tf.sub(1, a), fake));
    const norms = tf.sqrt(tf.add(inputGradientSquaredNorms(critic, mixed), 1e-12));
    return tf.mul(weight, tf.mean(tf.square(tf.sub(norms, 1)))) as tf.Scalar;
  });
}

/** R1 (Mescheder et al. 2018): γ/2 · E[‖∇D(x)‖²] on real data. */
export function r1Penalty(critic: Critic, real: tf.Tensor, gamma: number): tf.Scalar {
  return tf.tidy(() => tf.mul(gamma / 2, tf.mean(inputGradientSquaredNorms(critic, real))) as tf.Scalar);
}
