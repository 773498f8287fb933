// Runs a function with TensorFlow.js's gradient tape paused.
//
// Why: a training step records G's forward pass on a tape (tf.variableGrads over
// G's weights) and updates D before D judges that same generated batch again, so
// G runs once per step as in PyTorch's DCGAN loop. D's update must not be recorded
// on G's tape: recorded kernels keep their inputs alive until the step ends, and
// the native backend's fused batch-norm gradient steps aside while a backward pass
// is itself being recorded. tfjs has no public switch for this; the engine's
// tape lives in `state.gradientDepth` / `state.activeTape` (tfjs-core 4.22, pinned
// in package.json). test/train/untaped.test.ts checks that gradients taken inside
// and around a paused tape are the ones taken separately.
import * as tf from '@tensorflow/tfjs-core';

interface TapeState {
  gradientDepth: number;
  activeTape: unknown[] | null;
}

export function untaped<T>(f: () => T): T {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (typeof state?.gradientDepth !== 'number') {
    throw new Error(
      'Expected the tfjs-core engine of version 4.22 (with state.gradientDepth) but found another; gankit pins ' +
        '@tensorflow/tfjs-core',
    );
  }
  const { gradientDepth, activeTape } = state;
  state.gradientDepth = 0;
  state.activeTape = null;
  try {
    return f();
  } finally {
    state.gradientDepth = gradientDepth;
    state.activeTape = activeTape;
  }
}
