// Loading a feature network: the one gankit ships (assets/features/fashion-mnist, its
// weights checked against the SHA-256 in its features.json before use), or a user's
// tfjs layers model (--features DIR), e.g. an Inception network they converted.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadModel } from '../../io/model-files.js';

export const FEATURE_INFO_FILE = 'features.json';
/** Where the shipped network lives, relative to the package root. */
export const SHIPPED_FEATURES = 'assets/features/fashion-mnist';

/** features.json: what a feature network is and how it was made. */
export interface FeatureInfo {
  format: 'gankit-features';
  /** SHA-256 (hex) of weights.bin. */
  sha256: string;
  featureLayer: string;
  inputShape: number[];
  valueRange: [number, number];
  classNames: string[];
  /** Accuracy on the test set named by testSet. */
  testAccuracy: number;
  testSet: string;
  trainedOn: string[];
  seed: number;
  epochs: number;
  /** Random shifts of up to 2 pixels during training. */
  augment: boolean;
  /** The command that trained it. */
  script: string;
}

export interface FeatureNetwork {
  model: tfl.LayersModel;
  /** The folder it was read from. */
  dir: string;
  /** SHA-256 of its weight files (concatenated in manifest order): names the network in caches. */
  sha256: string;
  /** The feature layer from features.json; undefined means the penultimate layer. */
  featureLayer?: string;
  info?: Partial<FeatureInfo>;
  shipped: boolean;
}

/** The shipped network's folder, found by walking up from this file (works from src/ and dist/src/). */
export function shippedFeaturesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, SHIPPED_FEATURES);
    if (existsSync(path.join(candidate, FEATURE_INFO_FILE))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(
        `Expected gankit's feature network in ${SHIPPED_FEATURES} of the package but it is missing; reinstall ` +
          'gankit or run npm run train-features',
      );
    dir = parent;
  }
}

/** Loads the shipped network (no argument) or the tfjs layers model in `dir`; the caller disposes `model`. */
export async function loadFeatureNetwork(dir?: string): Promise<FeatureNetwork> {
  const shipped = dir === undefined;
  const folder = dir ?? shippedFeaturesDir();
  const modelJson = await readModelJson(folder);
  const info = await readInfo(folder, shipped);
  const sha256 = await sha256Files(modelJson.weightFiles.map((f) => path.join(folder, f)));
  if (info?.sha256 !== undefined && info.sha256 !== sha256) {
    throw new Error(
      `Expected the weights in ${folder} to have SHA-256 ${info.sha256} (from its ${FEATURE_INFO_FILE}) ` +
        `but they have ${sha256}: the file was changed or corrupted; ` +
        (shipped
          ? 'restore it (git checkout -- assets/features) or retrain it with npm run train-features'
          : `restore it, or fix sha256 in ${FEATURE_INFO_FILE}`),
    );
  }
  const model = await loadModel(folder);
  return { model, dir: folder, sha256, featureLayer: info?.featureLayer, info, shipped };
}

export async function sha256File(file: string): Promise<string> {
  return sha256Files([file]);
}

async function sha256Files(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) hash.update(await fs.readFile(file));
  return hash.digest('hex');
}

async function readModelJson(dir: string): Promise<{ weightFiles: string[] }> {
  const file = path.join(dir, 'model.json');
  let json: { format?: string; modelTopology?: unknown; weightsManifest?: { paths: string[] }[] };
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `Expected a tfjs model (model.json + weights) for --features in ${dir} but could not ` +
        `read ${file}: ${(err as Error).message}`,
    );
  }
  if (json.format === 'graph-model') {
    throw new Error(
      `Expected a tfjs layers model for --features but ${file} is a graph model: its layers cannot be read by ` +
        'name; convert the network with tensorflowjs_converter --output_format tfjs_layers_model',
    );
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(
      `Expected modelTopology and weightsManifest in ${file} but it lacks them: is it a tfjs model.json?`,
    );
  }
  return { weightFiles: json.weightsManifest.flatMap((group) => group.paths) };
}

async function readInfo(dir: string, required: boolean): Promise<Partial<FeatureInfo> | undefined> {
  const file = path.join(dir, FEATURE_INFO_FILE);
  if (!existsSync(file)) {
    if (required)
      throw new Error(
        `Expected ${file} beside the shipped feature network but it is missing; restore it (git checkout -- ` +
          'assets/features)',
      );
    return undefined;
  }
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`Expected JSON in ${file} but could not parse it: ${(err as Error).message}`);
  }
}
