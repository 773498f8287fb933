// The feature network as the metrics use it: loaded once per process (the shipped
// one, or a user's --features folder), with its extractor.
import path from 'node:path';
import { featureExtractor, type FeatureExtractor } from './extract.js';
import { loadFeatureNetwork, type FeatureNetwork } from './load.js';

export { featureExtractor, penultimateLayer, type FeatureExtractor, type Features } from './extract.js';
export {
  loadFeatureNetwork,
  shippedFeaturesDir,
  sha256File,
  FEATURE_INFO_FILE,
  SHIPPED_FEATURES,
  type FeatureInfo,
  type FeatureNetwork,
} from './load.js';
export { featureNetwork, FEATURE_LAYER, FEATURE_INPUT_SHAPE, FEATURE_CLASSES } from './network.js';

export interface FeatureModel {
  network: FeatureNetwork;
  extractor: FeatureExtractor;
  /** How messages name it. */
  label: string;
}

const open = new Map<string, Promise<FeatureModel>>();

/** The shipped network (no argument) or the one in `dir`; loaded once per process and kept. */
export function openFeatureModel(dir?: string): Promise<FeatureModel> {
  const key = dir === undefined ? '(shipped)' : path.resolve(dir);
  let model = open.get(key);
  if (!model) {
    model = loadFeatureNetwork(dir).then((network) => {
      try {
        const extractor = featureExtractor(network.model, network.featureLayer);
        return {
          network,
          extractor,
          label: network.shipped ? "gankit's feature network" : `the feature network in ${network.dir}`,
        };
      } catch (err) {
        network.model.dispose();
        throw err;
      }
    });
    model.catch(() => open.delete(key)); // a failure is not remembered: the user may fix the folder
    open.set(key, model);
  }
  return model;
}

/** Frees every feature network openFeatureModel kept. */
export async function releaseFeatureModels(): Promise<void> {
  const models = [...open.values()];
  open.clear();
  for (const m of models) (await m.catch(() => undefined))?.network.model.dispose();
}

/** Throws unless the network takes images of `shape` ([h, w, c]). */
export function checkFeatureInput(model: FeatureModel, shape: readonly number[], what: string): void {
  const expected = model.extractor.inputShape;
  if (expected.every((d, i) => d === shape[i])) return;
  throw new Error(
    `Expected ${what} of ${expected.join('×')} pixels for ${model.label} but they are ${shape.join('×')}: ` +
      `gankit does not resize images for a feature network (out of scope); ` +
      `pass --features with a tfjs network that takes ${shape.join('×')} images, ` +
      'or use the pixel-space metrics (nn, parzen)',
  );
}
