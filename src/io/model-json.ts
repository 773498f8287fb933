// A tfjs model's files read as untrusted input without tfjs: model.json's bytes (its size
// checked before reading) and the object they parse to, and a model held in memory as
// model.json's object with its weights (ModelFiles), written as model.json + weights.bin.
// model-files.ts builds tfjs models from these; the dashboard, which must not load tfjs,
// uses them to fold spectral normalisation (fold-spectral.ts) for the playground.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { explained } from './atomic.js';
import type { WeightSpec } from './model-weights.js';

/** The one weights file gankit writes beside model.json. */
export const WEIGHTS_FILE = 'weights.bin';
/** A model.json larger than this is refused unread: gankit's are tens of kilobytes. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** A model in memory: model.json's object, and every weight (all groups, in manifest order) with their bytes. */
export interface ModelFiles {
  modelJson: Record<string, unknown>;
  specs: WeightSpec[];
  weights: Uint8Array;
}

/** model.json's bytes, its size checked before reading. */
export async function readModelJson(file: string): Promise<Uint8Array> {
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

/** model.json's bytes (read from `file`) as an object; throws naming the file when they are not one. */
export function parseModelJson(file: string, bytes: Uint8Array): Record<string, unknown> {
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new Error(`Expected a tfjs model at ${file} but it is not JSON: ${(err as Error).message}`);
  }
  if (typeof modelJson !== 'object' || modelJson === null || Array.isArray(modelJson)) {
    throw new Error(`Expected a tfjs model (an object with modelTopology) at ${file} but it holds another value`);
  }
  return modelJson as Record<string, unknown>;
}

/**
 * model.json as written beside one weights.bin: `files`' object with its manifest
 * replaced by one group holding every weight.
 */
export function modelJsonText(files: ModelFiles): string {
  return JSON.stringify({
    ...files.modelJson,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: files.specs }],
  });
}

/** Writes dir/model.json and dir/weights.bin (dir must exist; callers make it atomic and durable). */
export async function writeModelFiles(dir: string, files: ModelFiles): Promise<void> {
  const write = async (name: string, data: string | Uint8Array) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, data).catch((err) => {
      throw explained(err, file, `writing ${name}`);
    });
  };
  await write('model.json', modelJsonText(files));
  await write(WEIGHTS_FILE, files.weights);
}
