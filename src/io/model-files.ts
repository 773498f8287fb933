// Saves and loads tfjs LayersModels as model.json + weights.bin in a directory: the
// format tf.loadLayersModel reads in a browser, written here without tfjs-node. A
// model.json is read as untrusted input: its weights manifest (model-weights.ts) and its
// graph (model-topology.ts) are checked before tfjs sees them, so a damaged or crafted
// file is refused with the file named and the reason, within moments, instead of making
// tfjs loop forever or allocate what a field says. What needs no tfjs (reading model.json,
// writing the files) is in model-json.ts, which the dashboard uses too.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkManifest, readWeights, type WeightSpec } from './model-weights.js';
import { checkTopology } from './model-topology.js';
import { parseModelJson, readModelJson, WEIGHTS_FILE, writeModelFiles, type ModelFiles } from './model-json.js';

/** Writes dir/model.json and dir/weights.bin (dir must exist; callers make it atomic and durable). */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await writeModelFiles(dir, await modelFiles(model));
}

/** `model` as saveModel writes it, in memory: model.json's object and the weights' bytes. */
export async function modelFiles(model: tfl.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData;
      if (!(weights instanceof ArrayBuffer)) throw new Error('Expected the model weights in one ArrayBuffer');
      const specs = (artifacts.weightSpecs ?? []) as WeightSpec[];
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'gankit',
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: specs }],
      };
      files = { modelJson, specs, weights: new Uint8Array(weights) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
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
  const { modelTopology, weightsManifest } = parseModelJson(jsonPath, bytes);
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
