// Saves and loads tfjs LayersModels as model.json + weights.bin in a directory: the
// format tf.loadLayersModel reads in a browser, written here without tfjs-node. A
// model.json is read as untrusted input: its weights manifest (model-weights.ts) and its
// graph (model-topology.ts) are checked before tfjs sees them, so a damaged or crafted
// file is refused with the file named and the reason, within moments, instead of making
// tfjs loop forever or allocate what a field says.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { explained } from './atomic.js';
import { checkManifest, readWeights } from './model-weights.js';
import { checkTopology } from './model-topology.js';

const WEIGHTS_FILE = 'weights.bin';
/** A model.json larger than this is refused unread: gankit's are tens of kilobytes. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** Writes dir/model.json and dir/weights.bin (dir must exist; callers make it atomic and durable). */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData;
      if (!(weights instanceof ArrayBuffer)) throw new Error('Expected the model weights in one ArrayBuffer');
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'gankit',
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
      };
      const write = async (name: string, data: string | Uint8Array) => {
        const file = path.join(dir, name);
        await fs.writeFile(file, data).catch((err) => {
          throw explained(err, file, `writing ${name}`);
        });
      };
      await write('model.json', JSON.stringify(modelJson));
      await write(WEIGHTS_FILE, new Uint8Array(weights));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

export interface LoadModelOptions {
  /**
   * Called with each file's bytes as it is read (model.json first, then the weight
   * files), before tfjs sees them; throws to refuse the file. A checkpoint checks them
   * against the checksums of its state.json.
   */
  check?: (file: string, bytes: Uint8Array) => void;
}

/** Loads the model in `dir` (model.json and the files its manifest names, all inside `dir`). */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<tfl.LayersModel> {
  const jsonPath = path.join(dir, 'model.json');
  const bytes = await readModelJson(jsonPath);
  options.check?.(jsonPath, bytes);
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new Error(`Expected a tfjs model at ${jsonPath} but it is not JSON: ${(err as Error).message}`);
  }
  if (typeof modelJson !== 'object' || modelJson === null || Array.isArray(modelJson)) {
    throw new Error(`Expected a tfjs model (an object with modelTopology) at ${jsonPath} but it holds another value`);
  }
  const { modelTopology, weightsManifest } = modelJson as Record<string, unknown>;
  const manifest = await checkManifest(jsonPath, dir, weightsManifest);
  checkTopology(jsonPath, modelTopology);
  const weightData = await readWeights(manifest, options.check);
  try {
    return await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelTopology as object, weightSpecs: manifest.specs, weightData }),
    );
  } catch (err) {
    throw new Error(
      `Expected a tfjs model at ${jsonPath} that tfjs can build but tfjs failed: ${(err as Error)?.message ?? err}; ` +
        'the file is damaged or was not written by tfjs: restore it or write it again',
    );
  }
}

/** model.json's bytes, its size checked before reading. */
async function readModelJson(file: string): Promise<Uint8Array> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error('it is not a regular file');
    if (stat.size > MAX_MODEL_JSON_BYTES) {
      throw new Error(`it holds ${stat.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json may`);
    }
    return await fs.readFile(file);
  } catch (err) {
    throw new Error(`Expected a tfjs model at ${file} but could not read it: ${(err as Error).message}`);
  }
}
