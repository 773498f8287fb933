// TensorFlow.js in a dashboard page: the global `tf` the vendored scripts define (loaded
// by the page's <script> tags from /vendor/tfjs/, in src/export/vendor.ts's order),
// typed from the packages gankit itself uses, and the backend the page runs on.
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

export type Tf = typeof TfCore & {
  loadLayersModel: typeof TfLayers.loadLayersModel;
  wasm: { setWasmPaths(prefix: string): void };
};
export type LayersModel = TfLayers.LayersModel;
export type Tensor = TfCore.Tensor;

/** The global the vendored scripts define; throws a sentence when they did not load. */
export function tfGlobal(): Tf {
  const tf = (globalThis as unknown as { tf?: Tf }).tf;
  if (!tf?.loadLayersModel)
    throw new Error('Expected TensorFlow.js from /vendor/tfjs/ to have loaded, but it is missing; reload the page');
  return tf;
}

/**
 * Starts the fastest backend this page may run: WebAssembly where the server's
 * Content-Security-Policy allows compiling it ('wasm-unsafe-eval'), else plain
 * JavaScript (cpu). Asking first avoids a refused compilation, which Chromium reports
 * as an error on the console. `?backend=cpu` chooses.
 */
export async function startBackend(asked: string | null): Promise<string> {
  const tf = tfGlobal();
  const candidates = asked ? [asked] : (await wasmAllowed()) ? ['wasm', 'cpu'] : ['cpu'];
  tf.wasm.setWasmPaths(new URL('/vendor/tfjs/', location.href).href);
  for (const name of candidates) if (await tf.setBackend(name).catch(() => false)) return name;
  throw new Error(`Expected a TensorFlow.js backend to start but none of ${candidates.join(', ')} did`);
}

async function wasmAllowed(): Promise<boolean> {
  if (typeof WebAssembly !== 'object') return false;
  const response = await fetch(location.href, { method: 'GET', cache: 'no-store' });
  await response.body?.cancel();
  const policy = response.headers.get('content-security-policy');
  return policy === null || /'(wasm-)?unsafe-eval'/.test(policy);
}

/** A tfjs LayersModel from model.json under /files/ (weights.bin beside it), the token in its requests. */
export function loadModel(url: string, token: string): Promise<LayersModel> {
  // Absolute: given a relative path, tfjs looks for the weights at the site's root.
  return tfGlobal().loadLayersModel(new URL(url, location.href).href, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
}
