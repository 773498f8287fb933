// Saves and loads tfjs LayersModels as model.json + weights.bin in a directory: the
// format tf.loadLayersModel reads in a browser, written here without tfjs-node.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const WEIGHTS_FILE = 'weights.bin';

/** Writes dir/model.json and dir/weights.bin (dir must exist; callers make it atomic). */
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
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      await fs.writeFile(path.join(dir, WEIGHTS_FILE), Buffer.from(weights));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  const jsonPath = path.join(dir, 'model.json');
  let modelJson: {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  try {
    modelJson = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new Error(`Expected a tfjs model at ${jsonPath} but could not read it: ${(err as Error).message}`);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const buffers = await Promise.all(
    modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => fs.readFile(path.join(dir, p)))),
  );
  const joined = Buffer.concat(buffers);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
}
