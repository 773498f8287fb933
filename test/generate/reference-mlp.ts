// Independent references for tests of sampling and evaluation on 2D runs, in plain
// float64 loops that share no code with src/: an MLP's forward pass from its weights
// and its exact Jacobian by the chain rule, Jacobian-based truncation as its
// definition states it, and the PacGAN mode metrics.
import type * as tfl from '@tensorflow/tfjs-layers';

/** A dense layer's weights: kernel (inputs × units, row-major) and bias. */
interface Dense {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
}

/** An MLP: dense layers with one activation between them and none after the last. */
export interface Mlp {
  layers: Dense[];
  /** relu: the "mlp" preset's G; tanh: a smooth G, whose Jacobian norms never tie. */
  activation: 'relu' | 'tanh';
}

/** Reads the weights of a G made of dense → activation → … → dense. */
export function readMlp(model: tfl.LayersModel, activation: Mlp['activation'] = 'relu'): Mlp {
  const weights = model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array }));
  const layers: Dense[] = [];
  for (let i = 0; i < weights.length; i += 2) {
    const [inputs, units] = weights[i].shape;
    layers.push({ kernel: weights[i].values, bias: weights[i + 1].values, inputs, units });
  }
  return { layers, activation };
}

/** G(z) and ∂G/∂z (outputs × inputs) for one latent row, both in float64. */
export function forwardWithJacobian(mlp: Mlp, z: ArrayLike<number>): { x: number[]; jacobian: number[][] } {
  let h = Array.from(z);
  // J starts as the identity: ∂z/∂z.
  let jacobian: number[][] = h.map((_, i) => h.map((__, j) => (i === j ? 1 : 0)));
  mlp.layers.forEach((layer, l) => {
    const last = l === mlp.layers.length - 1;
    const next: number[] = [];
    const nextJ: number[][] = [];
    for (let u = 0; u < layer.units; u++) {
      let pre = layer.bias[u];
      for (let i = 0; i < layer.inputs; i++) pre += h[i] * layer.kernel[i * layer.units + u];
      // The activation's value and slope: ReLU passes its input only where positive; tanh' = 1 − tanh².
      const [value, slope] = last
        ? [pre, 1]
        : mlp.activation === 'relu'
          ? [Math.max(pre, 0), pre > 0 ? 1 : 0]
          : [Math.tanh(pre), 1 - Math.tanh(pre) ** 2];
      next.push(value);
      nextJ.push(
        jacobian[0].map((_, k) => {
          let s = 0;
          for (let i = 0; i < layer.inputs; i++) s += layer.kernel[i * layer.units + u] * jacobian[i][k];
          return slope * s;
        }),
      );
    }
    h = next;
    jacobian = nextJ;
  });
  return { x: h, jacobian };
}

/**
 * Jacobian-based truncation by its definition: the cut-off is the pool's (1 − ratio)
 * quantile of ‖J‖²_F (the value with ⌊ratio·pool⌋ values above it); the first n rows at
 * or under it are kept, in draw order (their indices).
 */
export function truncatedRows(norms: ArrayLike<number>, n: number, ratio: number): number[] {
  const values = Array.from(norms);
  const cutoff = [...values].sort((a, b) => a - b)[values.length - Math.floor(ratio * values.length) - 1];
  return values
    .map((v, i) => [v, i])
    .filter(([v]) => v <= cutoff)
    .map(([, i]) => i)
    .slice(0, n);
}

/** The relative gap between the cut-off and its nearest other norm: how far rounding is from changing the rows kept. */
export function cutoffMargin(norms: ArrayLike<number>, ratio: number): number {
  const sorted = Array.from(norms).sort((a, b) => a - b);
  const at = sorted.length - Math.floor(ratio * sorted.length) - 1;
  const cutoff = sorted[at];
  return Math.min((sorted[at + 1] ?? Infinity) - cutoff, cutoff - (sorted[at - 1] ?? -Infinity)) / cutoff;
}

/** ‖J‖²_F. */
export const frobenius2 = (jacobian: number[][]) => jacobian.flat().reduce((s, v) => s + v * v, 0);

/**
 * The PacGAN / VEEGAN mode metrics by hand: each point goes to its nearest mode, is
 * high quality within 3 std of it, a mode is covered by a high-quality point, and the
 * reverse KL is that of the nearest-mode histogram against the uniform one.
 */
export function modeMetricsByHand(points: ArrayLike<number>, modes: number[][], std: number) {
  const counts = new Array<number>(modes.length).fill(0);
  const covered = new Set<number>();
  let good = 0;
  const n = points.length / 2;
  for (let i = 0; i < n; i++) {
    const distances = modes.map(([mx, my]) => Math.hypot(points[2 * i] - mx, points[2 * i + 1] - my));
    const nearest = distances.indexOf(Math.min(...distances));
    counts[nearest]++;
    if (distances[nearest] <= 3 * std) {
      good++;
      covered.add(nearest);
    }
  }
  const reverseKL = counts.reduce((s, c) => (c > 0 ? s + (c / n) * Math.log((c / n) * modes.length) : s), 0);
  return { modes: covered.size, totalModes: modes.length, highQuality: good / n, reverseKL };
}

/** The centres of ring8: the unit circle at angles 2πk/8. */
export const RING8_MODES = Array.from({ length: 8 }, (_, k) => [
  Math.cos((2 * Math.PI * k) / 8),
  Math.sin((2 * Math.PI * k) / 8),
]);
