// Gradient penalties differentiate D twice. The first derivative of ReLU-like
// activations contains comparisons (x > 0), for which tfjs registers no gradient, so
// the second differentiation stops with "gradient function not found for Greater".
// A comparison is piecewise constant: its gradient is zero almost everywhere. Register
// that, once, for the comparisons gradients use.
import * as tf from '@tensorflow/tfjs-core';

const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'];

for (const kernelName of COMPARISONS) {
  if (tf.getGradient(kernelName)) continue; // a future tfjs may define them itself
  tf.registerGradient({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved as tf.Tensor[];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
