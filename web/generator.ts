// A run's generator in the page: G(z[, codes]) with tfjs, the codes a conditional G
// reads, and the Jacobian truncation of 2D runs. The truncation repeats
// src/generate/truncation.ts step for step (central differences of step 1e-3 in float32
// z, norms summed in float64, the cut-off at the pool's (1 − r) quantile, the first n
// rows under it in draw order), so the page keeps the rows `gankit sample` keeps.
import { tfGlobal, type LayersModel, type Tensor } from './tfjs.js';
import type { Prior } from './latent.js';

/** What G's second input holds: a one-hot class (cgan, acgan) or InfoGAN's categorical then continuous codes. */
export interface CodeLayout {
  model: 'cgan' | 'acgan' | 'infogan';
  /** Classes, or InfoGAN's categorical code values. */
  classes: number;
  /** InfoGAN's continuous codes (0 otherwise). */
  continuous: number;
}

export interface GeneratorInfo {
  latentDim: number;
  prior: Prior;
  /** One example's shape: [2] or [1] for points, [h, w, c] for images. */
  outputShape: number[];
  codes?: CodeLayout;
}

const JACOBIAN_STEP = 1e-3; // as src/generate/truncation.ts: in units of the prior
const BATCH = 500;

/** The generator's facts from its model and the run's options.json; throws when they disagree. */
export function generatorInfo(model: LayersModel, options: Record<string, unknown>): GeneratorInfo {
  const latentDim = model.inputs[0].shape[1] as number;
  const outputShape = model.outputs[0].shape.slice(1) as number[];
  const prior: Prior = options.prior === 'uniform' ? 'uniform' : 'normal';
  const name = String(options.model);
  if (model.inputs.length === 1) return { latentDim, prior, outputShape };
  const codeDim = model.inputs[1].shape[1] as number;
  const codes: CodeLayout =
    name === 'infogan'
      ? { model: name, classes: Number(options.infoCategories), continuous: Number(options.infoContinuous) }
      : { model: name === 'acgan' ? 'acgan' : 'cgan', classes: Number(options.numClasses), continuous: 0 };
  if (codes.classes + codes.continuous !== codeDim) {
    throw new Error(
      `Expected G's code input to be ${codes.classes + codes.continuous} wide for model ${name} as options.json ` +
        `says, but the checkpoint's G reads ${codeDim}; the run's files disagree`,
    );
  }
  return { latentDim, prior, outputShape, codes };
}

/** G's code input for n examples: row i one-hot at classes[i], then its continuous codes. */
export function encodeCodes(layout: CodeLayout, classes: Int32Array, continuous: Float32Array): Float32Array {
  const n = classes.length;
  const width = layout.classes + layout.continuous;
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    out[i * width + classes[i]] = 1;
    for (let j = 0; j < layout.continuous; j++)
      out[i * width + layout.classes + j] = continuous[i * layout.continuous + j];
  }
  return out;
}

/** Values of one example. */
export const exampleSize = (info: GeneratorInfo) => info.outputShape.reduce((a, b) => a * b, 1);

/** G on every row of z (and of the codes), BATCH rows at a time; the outputs concatenated. */
export async function runGenerator(
  model: LayersModel,
  info: GeneratorInfo,
  z: Float32Array,
  codes?: Float32Array,
): Promise<Float32Array> {
  const tf = tfGlobal();
  const n = z.length / info.latentDim;
  const codeDim = info.codes ? info.codes.classes + info.codes.continuous : 0;
  const out = new Float32Array(n * exampleSize(info));
  for (let start = 0; start < n; start += BATCH) {
    const m = Math.min(BATCH, n - start);
    const y = tf.tidy(() => {
      const zt = tf.tensor2d(z.subarray(start * info.latentDim, (start + m) * info.latentDim), [m, info.latentDim]);
      if (!info.codes) return model.predict(zt) as Tensor;
      if (!codes) throw new Error(`Expected codes for a conditional generator (${info.codes.model}) but received none`);
      const ct = tf.tensor2d(codes.subarray(start * codeDim, (start + m) * codeDim), [m, codeDim]);
      return model.predict([zt, ct]) as Tensor;
    });
    out.set(await y.data(), start * exampleSize(info));
    y.dispose();
  }
  return out;
}

/** ‖J_G(z)‖²_F for every row of z by central differences along each latent axis, codes held fixed. */
export async function jacobianNorms(
  model: LayersModel,
  info: GeneratorInfo,
  z: Float32Array,
  codes?: Float32Array,
): Promise<Float64Array> {
  const dim = info.latentDim;
  const n = z.length / dim;
  const norms = new Float64Array(n);
  for (let axis = 0; axis < dim; axis++) {
    const shifted = (delta: number) => {
      const moved = Float32Array.from(z);
      for (let i = 0; i < n; i++) moved[i * dim + axis] += delta;
      return runGenerator(model, info, moved, codes);
    };
    const ahead = await shifted(JACOBIAN_STEP);
    const behind = await shifted(-JACOBIAN_STEP);
    const perExample = ahead.length / n;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = i * perExample; j < (i + 1) * perExample; j++) {
        const slope = (ahead[j] - behind[j]) / (2 * JACOBIAN_STEP);
        sum += slope * slope;
      }
      norms[i] += sum;
    }
  }
  return norms;
}

/** Rows to draw so that n remain after dropping the fraction `ratio`: at least 1,000, for a steady cut-off. */
export function truncationPool(n: number, ratio: number): number {
  return ratio === 0 ? n : Math.max(Math.ceil(n / (1 - ratio)), 1000);
}

/** The pool rows kept: norm at most the pool's (1 − ratio) quantile, in draw order, the first n. */
export function keptRows(norms: Float64Array, n: number, ratio: number): Int32Array {
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`Expected a truncation ratio in [0, 1) but received ${ratio}`);
  const pool = norms.length;
  const cutoff = Float64Array.from(norms).sort()[pool - Math.floor(ratio * pool) - 1];
  const kept: number[] = [];
  for (let i = 0; i < pool && kept.length < n; i++) if (norms[i] <= cutoff) kept.push(i);
  if (kept.length < n)
    throw new Error(
      `Expected ${n} rows under the Jacobian cut-off but found ${kept.length}; G's outputs may not be finite`,
    );
  return Int32Array.from(kept);
}
