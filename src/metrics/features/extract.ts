// Features and class probabilities of many images from one feature network, a batch
// at a time (so memory stays bounded however many images), as plain Float32Arrays.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readTensors } from '../../backend/read.js';

export interface Features {
  /** n × featureDim, row-major. */
  features: Float32Array;
  /** n × classes, row-major; rows sum to 1. */
  probabilities: Float32Array;
  count: number;
  featureDim: number;
  classes: number;
}

export interface FeatureExtractor {
  /** [height, width, channels] the network takes. */
  inputShape: [number, number, number];
  featureDim: number;
  classes: number;
  /** The layer the features come from. */
  featureLayer: string;
  /** Images NHWC float32 in [−1, 1]; `onBatch` hears how many are done after each batch. */
  fromFloats(images: Float32Array, count: number, onBatch?: BatchProgress): Promise<Features>;
  /** Images NHWC bytes 0..255 (an ImageDataset's), mapped to [−1, 1] batch by batch. */
  fromBytes(images: Uint8Array, count: number, onBatch?: BatchProgress): Promise<Features>;
}

/** Images done so far, of `total` (a command's progress line). */
export type BatchProgress = (done: number, total: number) => void;

const BATCH = 500;
// x/127.5 − 1 for each byte: the [−1, 1] convention of gankit's samples.
const TO_SIGNED = Float32Array.from({ length: 256 }, (_, x) => x / 127.5 - 1);

/**
 * A view of `model` with two outputs: the feature layer's (flattened) and the model's
 * own output as class probabilities. `featureLayer` defaults to the penultimate layer.
 * The view shares the model's weights: dispose the model, not the view.
 */
export function featureExtractor(model: tfl.LayersModel, featureLayer?: string): FeatureExtractor {
  const layerName = featureLayer ?? penultimateLayer(model);
  let layer: tfl.layers.Layer;
  try {
    layer = model.getLayer(layerName);
  } catch {
    throw new Error(
      `Expected a layer named "${layerName}" in the feature network but it ` +
        `has ${model.layers.map((l) => l.name).join(', ')}; fix featureLayer in its features.json`,
    );
  }
  const view = tfl.model({ inputs: model.inputs, outputs: [layer.output as tfl.SymbolicTensor, model.outputs[0]] });
  const inputShape = model.inputs[0].shape.slice(1);
  if (
    model.inputs.length !== 1 ||
    inputShape.length !== 3 ||
    !inputShape.every((d) => typeof d === 'number' && d > 0)
  ) {
    throw new Error(
      'Expected a feature network that takes images [batch, H, W, C] but it takes ' +
        `[${model.inputs[0].shape.map(String).join(', ')}]`,
    );
  }
  const featureDim = (view.outputs[0].shape.slice(1) as number[]).reduce((a, d) => a * d, 1);
  const classes = (model.outputs[0].shape.slice(1) as number[]).reduce((a, d) => a * d, 1);
  const size = (inputShape as number[]).reduce((a, d) => a * d, 1);
  // Whether the output is already a probability distribution (a softmax) or logits,
  // decided on the first batch and kept, so every image is treated alike.
  let needsSoftmax: boolean | undefined;

  const run = async (
    count: number,
    fill: (target: Float32Array, start: number, m: number) => void,
    onBatch?: BatchProgress,
  ): Promise<Features> => {
    const features = new Float32Array(count * featureDim);
    const probabilities = new Float32Array(count * classes);
    const input = new Float32Array(Math.min(BATCH, count) * size);
    for (let start = 0; start < count; start += BATCH) {
      const m = Math.min(BATCH, count - start);
      fill(input, start, m);
      const [f, out] = tf.tidy(() => {
        const x = tf.tensor4d(input.subarray(0, m * size), [m, ...(inputShape as [number, number, number])]);
        const [f, out] = view.apply(x, { training: false }) as tf.Tensor[];
        return [tf.reshape(f, [m, featureDim]), tf.reshape(out, [m, classes])];
      });
      try {
        // The first batch's outputs are read once more, to decide; later batches need one read each.
        needsSoftmax ??= !isDistribution((await out.data()) as Float32Array, classes);
        const p = needsSoftmax ? tf.softmax(out) : out;
        const [fv, pv] = await readTensors([f, p]).finally(() => p !== out && p.dispose());
        features.set(fv, start * featureDim);
        probabilities.set(pv, start * classes);
      } finally {
        tf.dispose([f, out]);
      }
      onBatch?.(start + m, count);
    }
    return { features, probabilities, count, featureDim, classes };
  };

  return {
    inputShape: inputShape as [number, number, number],
    featureDim,
    classes,
    featureLayer: layerName,
    fromFloats: (images, count, onBatch) => {
      checkLength(images.length, count, size);
      const fill = (target: Float32Array, start: number, m: number) =>
        target.set(images.subarray(start * size, (start + m) * size));
      return run(count, fill, onBatch);
    },
    fromBytes: (images, count, onBatch) => {
      checkLength(images.length, count, size);
      const fill = (target: Float32Array, start: number, m: number) => {
        for (let j = 0, from = start * size; j < m * size; j++) target[j] = TO_SIGNED[images[from + j]];
      };
      return run(count, fill, onBatch);
    },
  };
}

/** The name of the layer before the output layer (Inception's pool3 sits there, as does gankit's). */
export function penultimateLayer(model: tfl.LayersModel): string {
  if (model.layers.length < 3)
    throw new Error(
      `Expected a feature network with at least one hidden layer but ${model.name} has ${model.layers.length} layers`,
    );
  return model.layers[model.layers.length - 2].name;
}

function isDistribution(values: Float32Array, classes: number): boolean {
  for (let i = 0; i < values.length; i += classes) {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      if (!(values[i + k] >= 0)) return false;
      sum += values[i + k];
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

function checkLength(length: number, count: number, size: number): void {
  if (!Number.isInteger(count) || count < 0 || length < count * size) {
    throw new Error(
      `Expected ${count} images of ${size} values (${count * size} in all) but received ${length} values`,
    );
  }
}
