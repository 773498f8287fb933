// Spectral normalisation folded into plain tfjs layers, on a model's files alone (no tfjs):
// every GankitSpectral* layer (networks/spectral-norm.ts) becomes the tfjs layer it
// extends (Dense, Conv2D, Conv2DTranspose) holding W/σ(W), and its u is dropped, so the
// model computes what it computed and loads wherever tfjs does, without gankit's layers.
// `gankit export` writes G so, and the dashboard serves it so to the playground, whose
// browser tfjs does not know gankit's layers; the dashboard must not load tfjs, hence
// plain arithmetic on the weights' bytes here.
//
// σ as the layer's forward pass computes it from its saved u: K = the kernel with its
// output-channel axis moved last, flattened to [rest, fan-out]; û = u/(‖u‖ + 1e-12);
// σ = ‖K û‖. The output axis is the last for Dense ([in, out]) and Conv2D ([h, w, in,
// out]) kernels, the third for Conv2DTranspose ([h, w, out, in]), as spectral-norm.ts's
// KINDS says (test/io/fold-spectral.test.ts holds the two together: a wrong axis changes σ).
// Sums run in float64; W/σ is rounded to float32 once, as stored.
import { DTYPE_BYTES, type WeightSpec } from './model-weights.js';
import { WEIGHTS_FILE, type ModelFiles } from './model-json.js';

/** Each spectral class: the plain tfjs class it folds into, and its kernel's rank and output axis. */
const SPECTRAL_CLASSES: Record<string, { plain: string; rank: number; outAxis: number }> = {
  GankitSpectralDense: { plain: 'Dense', rank: 2, outAxis: 1 },
  GankitSpectralConv2D: { plain: 'Conv2D', rank: 4, outAxis: 3 },
  GankitSpectralConv2DTranspose: { plain: 'Conv2DTranspose', rank: 4, outAxis: 2 },
};
/** The config fields the spectral layers add to their tfjs layer's (tfjs writes keys in snake_case). */
const SPECTRAL_FIELDS = ['u_seed', 'uSeed'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface FoundLayer {
  /** The serialized layer ({class_name, config}), changed in place on a copy of the topology. */
  layer: Json;
  classKey: string;
  name: string;
  kind: (typeof SPECTRAL_CLASSES)[string];
}

/** The spectral layers in a topology, nested models' included (found by their class name anywhere in it). */
function spectralLayersIn(topology: unknown): FoundLayer[] {
  const found: FoundLayer[] = [];
  const stack: unknown[] = [topology];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) for (const item of value) stack.push(item); // no spread: a list may be long
    if (!isObject(value)) continue;
    // One entry per layer even if it spells its class both ways (it would be divided by σ twice).
    const classKey = ['class_name', 'className'].find((key) => Object.hasOwn(SPECTRAL_CLASSES, String(value[key])));
    if (classKey !== undefined) {
      const kind = SPECTRAL_CLASSES[String(value[classKey])];
      const config = value['config'];
      const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : value['name'];
      if (typeof name !== 'string') {
        throw new Error(
          `Expected the ${String(value[classKey])} layer of the model to have a name but it has none; ` +
            'the model.json is damaged: restore it or write it again',
        );
      }
      found.push({ layer: value, classKey, name, kind });
    }
    for (const item of Object.values(value)) stack.push(item);
  }
  return found;
}

/** Whether a model.json's modelTopology holds spectrally normalised layers (then it needs folding). */
export function hasSpectralLayers(topology: unknown): boolean {
  return spectralLayersIn(topology).length > 0;
}

/**
 * `files` with every spectral layer folded (see the file's top): its topology's class
 * names and configs plain, its kernels W/σ, its u weights gone; every other weight's bytes
 * as they were, in their order, listed by its manifest as one weights.bin. A model without spectral layers
 * comes back as it is.
 * Throws a sentence naming the layer when a spectral layer's weights are missing or not
 * the float32 kernel and u it needs.
 */
export function foldSpectral(files: ModelFiles): ModelFiles {
  const modelJson = structuredClone(files.modelJson);
  const layers = spectralLayersIn(modelJson['modelTopology']);
  if (layers.length === 0) return files;
  const offsets = weightOffsets(files.specs, files.weights.byteLength);
  const index = new Map(files.specs.map((spec, i) => [spec.name, i]));
  const folded = new Map<number, Float32Array>(); // kernel index → W/σ
  const dropped = new Set<number>(); // u indices
  for (const { layer, classKey, name, kind } of layers) {
    const at = (weight: string) => {
      const i = index.get(`${name}/${weight}`);
      const spec = i === undefined ? undefined : files.specs[i];
      if (i === undefined || spec?.dtype !== 'float32') {
        throw new Error(
          `Expected layer ${name} (${String(layer[classKey])}) to have a float32 weight ${name}/${weight} but ` +
            `${spec ? `it is ${spec.dtype}` : 'the weights manifest has none'}; the model.json is damaged: ` +
            'restore it or write it again',
        );
      }
      return i;
    };
    const [k, u] = [at('kernel'), at('u')];
    const shape = files.specs[k].shape;
    const fanOut = shape[kind.outAxis];
    if (shape.length !== kind.rank || files.specs[u].shape.join() !== String(fanOut)) {
      throw new Error(
        `Expected layer ${name} (${String(layer[classKey])}) to have a kernel of rank ${kind.rank} and u of ` +
          `its output channels' size but they are [${shape}] and [${files.specs[u].shape}]; the model.json is ` +
          'damaged: restore it or write it again',
      );
    }
    const floats = (i: number) => new Float32Array(files.weights.slice(offsets[i], offsets[i + 1]).buffer);
    folded.set(k, divideBySigma(floats(k), shape, kind.outAxis, floats(u)));
    dropped.add(u);
    for (const key of ['class_name', 'className']) if (key in layer) layer[key] = kind.plain;
    const config = layer['config'];
    if (isObject(config)) for (const field of SPECTRAL_FIELDS) delete config[field];
  }
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  files.specs.forEach((spec, i) => {
    if (dropped.has(i)) return;
    specs.push(spec);
    const kernel = folded.get(i);
    parts.push(kernel ? new Uint8Array(kernel.buffer) : files.weights.subarray(offsets[i], offsets[i + 1]));
  });
  const weights = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  parts.reduce((at, p) => (weights.set(p, at), at + p.byteLength), 0);
  modelJson['weightsManifest'] = [{ paths: [`./${WEIGHTS_FILE}`], weights: specs }];
  return { modelJson, specs, weights };
}

/** Each spec's first byte in `total` bytes of weights, and `total` last; throws when the sizes disagree. */
function weightOffsets(specs: WeightSpec[], total: number): number[] {
  const offsets = [0];
  for (const spec of specs) {
    offsets.push(offsets[offsets.length - 1] + DTYPE_BYTES[spec.dtype] * spec.shape.reduce((a, b) => a * b, 1));
  }
  if (offsets[offsets.length - 1] !== total) {
    throw new Error(
      `Expected ${offsets[offsets.length - 1]} bytes of weights, as the manifest lists, but received ${total}; ` +
        'the model is damaged: restore it or write it again',
    );
  }
  return offsets;
}

/** W/σ with σ = ‖K û‖ (K: W's output axis last, flattened; û = u/(‖u‖ + 1e-12)). */
function divideBySigma(W: Float32Array, shape: number[], outAxis: number, u: Float32Array): Float32Array {
  const fanOut = shape[outAxis];
  const inner = shape.slice(outAxis + 1).reduce((a, b) => a * b, 1); // W's values between two along the out axis
  let uSquares = 0;
  for (const v of u) uSquares += v * v;
  const uNorm = Math.sqrt(uSquares) + 1e-12;
  // Row r of K gathers the values of W that differ only in the output channel: with W's
  // flat index i = (outer·fanOut + o)·inner + j, that is r = outer·inner + j, channel o.
  const Ku = new Float64Array(W.length / fanOut);
  for (let i = 0; i < W.length; i++) {
    const j = i % inner;
    const o = Math.floor(i / inner) % fanOut;
    const outer = Math.floor(i / (inner * fanOut));
    Ku[outer * inner + j] += W[i] * (u[o] / uNorm);
  }
  let sumOfSquares = 0;
  for (const v of Ku) sumOfSquares += v * v;
  const sigma = Math.sqrt(sumOfSquares);
  return W.map((w) => w / sigma);
}
