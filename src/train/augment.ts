// Differentiable augmentation, DiffAugment (Zhao et al. 2020, "Differentiable Augmentation
// for Data-Efficient GAN Training", NeurIPS): every batch D judges, real or generated, in
// D's steps and in G's, first goes through a random transform. D then cannot memorise the
// real images, and since each transform is differentiable with respect to the image, G's
// gradient flows back through it. The transforms and their ranges are those of the paper's
// policy 'color,translation,cutout'.
// Every random parameter is drawn on the CPU from the run's RNG in a fixed order, then
// uploaded, so seeded runs repeat and resumed runs continue exactly. Images only: batches
// [n, height, width, channels].
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';

/** The transforms, in the order they are applied whatever the order asked for (the paper's). */
export const AUGMENTATIONS = ['color', 'translation', 'cutout'] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

export interface AugmentOptions {
  /** DiffAugment's transforms before D (images only; empty: none, D sees the batches themselves). */
  augment: Augmentation[];
}

/** color's parameters, one per image. */
export interface ColorDraw {
  /** Added to every pixel: U(−0.5, 0.5). */
  brightness: Float32Array;
  /**
   * Each pixel's channels scaled around their mean: U(0, 2). null for one channel, where that mean is the pixel
   * itself and saturation changes nothing (so it is neither computed nor drawn).
   */
  saturation: Float32Array | null;
  /** The image scaled around its mean over pixels and channels: U(0.5, 1.5). */
  contrast: Float32Array;
}

/** translation's shifts, one per image: up to 1/8 of the side (rounded) each way, the pixels left behind zero. */
export interface TranslationDraw {
  /** Rows down (negative: up). */
  dy: Int32Array;
  /** Columns right (negative: left). */
  dx: Int32Array;
}

/** cutout's zero squares, one per image: half the side (rounded), anywhere that leaves half of each side inside. */
export interface CutoutDraw {
  /** Each square's first row and column; below 0 or past the edge, the image's edge cuts the square off. */
  top: Int32Array;
  left: Int32Array;
  /** The square's rows and columns. */
  height: number;
  width: number;
}

/** One draw of a policy for one batch: the parameters of the transforms it names. */
export interface AugmentDraw {
  color?: ColorDraw;
  translation?: TranslationDraw;
  cutout?: CutoutDraw;
}

/** x seen through a fresh random draw of the policy's transforms; x itself (and no draw) for an empty policy. */
export function augment(x: tf.Tensor, policy: readonly Augmentation[], rng: Rng): tf.Tensor {
  if (policy.length === 0) return x;
  return applyAugmentation(x as tf.Tensor4D, drawAugmentation(policy, rng, x.shape));
}

/**
 * Draws the policy's parameters for a batch of `shape` from the RNG, in a fixed order: the transforms in
 * AUGMENTATIONS's order, within each one parameter for every image before the next parameter.
 */
export function drawAugmentation(policy: readonly Augmentation[], rng: Rng, shape: readonly number[]): AugmentDraw {
  const [n, height, width, channels] = imageShape(shape);
  const uniform = (low: number, high: number) => rng.fillUniform(new Float32Array(n), low, high);
  const integers = (low: number, high: number) => Int32Array.from({ length: n }, () => low + rng.int(high - low + 1));
  const draw: AugmentDraw = {};
  if (policy.includes('color')) {
    const brightness = uniform(-0.5, 0.5);
    const saturation = channels > 1 ? uniform(0, 2) : null;
    const contrast = uniform(0.5, 1.5);
    draw.color = { brightness, saturation, contrast };
  }
  if (policy.includes('translation')) {
    // The paper's rounding: int(side · 1/8 + 0.5), 4 pixels at 28 and 32 px.
    const [my, mx] = [Math.floor(height / 8 + 0.5), Math.floor(width / 8 + 0.5)];
    const dy = integers(-my, my);
    const dx = integers(-mx, mx);
    draw.translation = { dy, dx };
  }
  if (policy.includes('cutout')) {
    const [h, w] = [Math.floor(height / 2 + 0.5), Math.floor(width / 2 + 0.5)];
    // As the paper's code, which centres the square on any pixel: at least half of each side stays inside.
    const top = integers(-Math.floor(h / 2), height - Math.ceil(h / 2));
    const left = integers(-Math.floor(w / 2), width - Math.ceil(w / 2));
    draw.cutout = { top, left, height: h, width: w };
  }
  return draw;
}

/** The drawn transforms applied to x, in AUGMENTATIONS's order. */
export function applyAugmentation(x: tf.Tensor4D, draw: AugmentDraw): tf.Tensor4D {
  imageShape(x.shape);
  return tf.tidy(() => {
    let y = x;
    if (draw.color) y = adjustColor(y, draw.color);
    if (draw.translation) y = translate(y, draw.translation);
    if (draw.cutout) y = cutout(y, draw.cutout);
    return y;
  });
}

/**
 * Brightness, then saturation, then contrast, each image with its own amounts. Written as one scale and one shift per
 * step, which is the same map: a brightness b moves every mean by b too, so saturation s and contrast c of x + b are
 * s·x + (1 − s)·mean_channels(x) + b and then c·y + (1 − c)·mean(y) with b carried along: fewer full-size ops.
 */
export function adjustColor(x: tf.Tensor4D, draw: ColorDraw): tf.Tensor4D {
  return tf.tidy(() => {
    const perImage = (values: Float32Array) => tf.tensor4d(values, [values.length, 1, 1, 1]);
    /** scale·t + (1 − scale)·mean (+ shift), t's mean over `axes` kept per image or per pixel. */
    const around = (t: tf.Tensor, axes: number[], scale: tf.Tensor, shift?: tf.Tensor) => {
      let offset = tf.mul(tf.sub(1, scale), tf.mean(t, axes, true));
      if (shift) offset = tf.add(offset, shift);
      return tf.add(tf.mul(t, scale), offset) as tf.Tensor4D;
    };
    const saturated = draw.saturation ? around(x, [3], perImage(draw.saturation)) : x;
    return around(saturated, [1, 2, 3], perImage(draw.contrast), perImage(draw.brightness));
  });
}

/**
 * Each image moved by whole pixels, zeros where nothing moves in. Moving rows is a product with a 0/1 matrix per image
 * (output row i reads input row i − dy, or nothing), and columns likewise from the right: batched matrix products,
 * which every backend runs and differentiates, and exact here, since each output sums one pixel and zeros.
 */
export function translate(x: tf.Tensor4D, draw: TranslationDraw): tf.Tensor4D {
  const [n, height, width, channels] = x.shape;
  return tf.tidy(() => {
    // One plane per image and channel; for one channel that is a reshape, not a copy.
    const planes =
      channels === 1
        ? tf.reshape(x, [n, height, width])
        : tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * channels, height, width]);
    const rows = tf.tensor3d(shiftMatrices(draw.dy, height, channels), [n * channels, height, height]);
    const columns = tf.tensor3d(shiftMatrices(draw.dx, width, channels), [n * channels, width, width]);
    const moved = tf.matMul(tf.matMul(rows, planes), columns, false, true);
    return (
      channels === 1
        ? tf.reshape(moved, [n, height, width, 1])
        : tf.transpose(tf.reshape(moved, [n, channels, height, width]), [0, 2, 3, 1])
    ) as tf.Tensor4D;
  });
}

/** For each image, `copies` times (one per channel): the size × size matrix S with S[i][i − shift] = 1. */
function shiftMatrices(shifts: Int32Array, size: number, copies: number): Float32Array {
  const out = new Float32Array(shifts.length * copies * size * size);
  for (let b = 0; b < shifts.length; b++) {
    for (let copy = 0; copy < copies; copy++) {
      const base = (b * copies + copy) * size * size;
      for (let i = 0; i < size; i++) {
        const j = i - shifts[b];
        if (j >= 0 && j < size) out[base + i * size + j] = 1;
      }
    }
  }
  return out;
}

/** Each image times a mask that is 0 on its square and 1 elsewhere, the same for every channel. */
export function cutout(x: tf.Tensor4D, draw: CutoutDraw): tf.Tensor4D {
  const [n, height, width] = x.shape;
  const mask = new Float32Array(n * height * width).fill(1);
  for (let b = 0; b < n; b++) {
    const [r0, r1] = [Math.max(0, draw.top[b]), Math.min(height, draw.top[b] + draw.height)];
    const [c0, c1] = [Math.max(0, draw.left[b]), Math.min(width, draw.left[b] + draw.width)];
    for (let r = r0; r < r1; r++) mask.fill(0, (b * height + r) * width + c0, (b * height + r) * width + c1);
  }
  return tf.tidy(() => tf.mul(x, tf.tensor4d(mask, [n, height, width, 1])) as tf.Tensor4D);
}

/** A batch's shape as [n, height, width, channels]; other shapes are refused. */
function imageShape(shape: readonly number[]): [number, number, number, number] {
  if (shape.length !== 4) {
    throw new Error(
      `Expected image batches [n, height, width, channels] for --augment (DiffAugment transforms images) but ` +
        `received a batch of shape [${shape.join(', ')}]; leave --augment out (or set it to none) for 1D/2D data`,
    );
  }
  return shape as [number, number, number, number];
}
