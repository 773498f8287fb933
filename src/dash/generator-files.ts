// A model's files as the playground loads them (docs/dashboard.md §2): the browser's
// tfjs does not know gankit's spectrally normalised layers, so a model.json holding them
// is served folded into plain tfjs layers (io/fold-spectral.ts), and the weights.bin
// beside it as the folded weights its manifest then lists. Every other file, and the
// model files of a model without such layers, are served as the bytes on the disk.
// Nothing is kept between requests: a checkpoint's G is a few MB and folds in moments.
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { foldSpectral, hasSpectralLayers } from '../io/fold-spectral.js';
import { modelJsonText, parseModelJson, readModelJson, WEIGHTS_FILE, type ModelFiles } from '../io/model-json.js';
import { checkManifest, readWeights } from '../io/model-weights.js';
import { checkTopology } from '../io/model-topology.js';

/**
 * Whether `relative` (inside the runs folder) names a model.json or the weights.bin
 * beside one, and so may have to be folded: the model.json's path relative to the runs
 * folder, or undefined for any other file.
 */
export function modelJsonOf(relative: string): string | undefined {
  const base = path.posix.basename(relative);
  if (base === 'model.json') return relative;
  if (base === WEIGHTS_FILE) return path.posix.join(path.posix.dirname(relative), 'model.json');
  return undefined;
}

/**
 * The folded model of the model.json at `jsonFile` (a checked path inside the runs
 * folder), or undefined when it holds no spectral layer (or is not a model gankit reads
 * at all: then it is served as any file is, and the page says what tfjs makes of it). A
 * model with spectral layers that cannot be folded throws, saying why.
 */
export async function foldedModel(jsonFile: string): Promise<ModelFiles | undefined> {
  let modelJson: Record<string, unknown>;
  try {
    modelJson = parseModelJson(jsonFile, await readModelJson(jsonFile));
  } catch {
    return undefined;
  }
  if (!hasSpectralLayers(modelJson['modelTopology'])) return undefined;
  // Checked as gankit checks any model it loads: the weights read are the size the manifest says, from inside
  // the model's folder.
  checkTopology(jsonFile, modelJson['modelTopology']);
  const manifest = await checkManifest(jsonFile, path.dirname(jsonFile), modelJson['weightsManifest']);
  const weights = new Uint8Array(await readWeights(manifest));
  return foldSpectral({ modelJson, specs: manifest.specs, weights });
}

/** Sends `which` file of a folded model: its model.json (naming one weights.bin) or those weights. */
export function sendFolded(response: ServerResponse, folded: ModelFiles, which: 'model.json' | 'weights'): void {
  const body = which === 'model.json' ? Buffer.from(modelJsonText(folded)) : folded.weights;
  response.writeHead(200, {
    'Content-Type': which === 'model.json' ? 'application/json' : 'application/octet-stream',
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-cache',
  });
  response.end(body);
}
