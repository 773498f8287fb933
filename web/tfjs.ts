// TensorFlow.js in a dashboard page: the global `tf` the vendored scripts define (loaded
// by the page's <script> tags from /vendor/tfjs/, in src/export/vendor.ts's order),
// typed from the packages gankit itself uses, and the backend the page runs on: the best
// that runs G correctly here (webgpu → webgl → wasm → cpu), as the exported page picks.
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

export type Tf = typeof TfCore & {
  loadLayersModel: typeof TfLayers.loadLayersModel;
  wasm: { setWasmPaths(prefix: string): void };
};
export type LayersModel = TfLayers.LayersModel;
export type Tensor = TfCore.Tensor;
export type ModelArtifacts = TfCore.io.ModelArtifacts;

/** The global the vendored scripts define; throws a sentence when they did not load. */
export function tfGlobal(): Tf {
  const tf = (globalThis as unknown as { tf?: Tf }).tf;
  if (!tf?.loadLayersModel)
    throw new Error('Expected TensorFlow.js from /vendor/tfjs/ to have loaded, but it is missing; reload the page');
  return tf;
}

/**
 * The backends the playground tries, best first, as the exported page does
 * (src/export/vendor.ts's PAGE_BACKENDS): the GPU through WebGPU, then through WebGL,
 * then WebAssembly, then plain JavaScript.
 */
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
/** Renderer and adapter names of a CPU emulating a GPU: several times slower than wasm at G (README). */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;
/** How far G may stray from the cpu backend, × its outputs' scale (src/export/page.ts's PROBE_TOLERANCE). */
const TOLERANCE = 0.01;

export interface StartedBackend {
  name: string;
  /** The GPU it runs on, as the browser names it (webgpu, webgl). */
  gpu?: string;
  /** Each backend tried before it, with why it was passed over. */
  passed: string[];
}

/** The one sentence the page shows about its backend. */
export const describeBackend = ({ name, gpu, passed }: StartedBackend) =>
  `Backend: ${name}${gpu ? ` on ${gpu}` : ''}${passed.length ? `. Passed over: ${passed.join('; ')}` : ''}.`;

/** A model's files (model.json and its weights), fetched once with the token, to build G on several backends. */
export function fetchArtifacts(url: string, token: string): Promise<ModelArtifacts> {
  const handler = tfGlobal().io.http(new URL(url, location.href).href, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  return handler.load!();
}

/**
 * Starts the first backend that runs G (built from `artifacts`) on two fixed rows as
 * the cpu backend does. A GPU backend is passed over when the browser offers no
 * adapter, or only a software one, and any backend when G throws on it or strays
 * from cpu. wasm is tried only where the server's Content-Security-Policy allows
 * compiling it ('wasm-unsafe-eval'): asking first avoids a refused compilation, which
 * Chromium reports as an error on the console. `?backend=NAME[,NAME…]` chooses the
 * candidates, software adapters included.
 */
export async function startBackend(asked: string | null, artifacts: ModelArtifacts): Promise<StartedBackend> {
  const tf = tfGlobal();
  const wasm = await wasmAllowed();
  const candidates = asked
    ? asked.split(',').map((name) => name.trim())
    : BACKENDS.filter((name) => name !== 'wasm' || wasm);
  tf.wasm.setWasmPaths(new URL('/vendor/tfjs/', location.href).href);
  await tf.setBackend('cpu');
  const expected = await outputsOn(artifacts);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  const passed: string[] = [];
  for (const name of candidates) {
    try {
      const gpu = await gpuOf(name);
      if (gpu === undefined) throw new Error(name === 'webgpu' ? 'no WebGPU adapter' : 'no WebGL 2');
      if (!tf.findBackendFactory(name)) throw new Error('not in this TensorFlow.js');
      if (gpu?.software && !asked) throw new Error(`software adapter ${gpu.description}, slower than wasm`);
      if (!(await tf.setBackend(name))) throw new Error('did not start');
      const values = await outputsOn(artifacts).catch((err: Error) => {
        throw new Error(`G failed: ${err.message}`);
      });
      const diff = values.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected[i])), 0);
      if (!(diff <= TOLERANCE * scale)) throw new Error(`G is off the cpu backend by ${diff}`);
      return { name, gpu: gpu?.description, passed };
    } catch (err) {
      passed.push(`${name} (${(err as Error).message})`);
    }
  }
  throw new Error(`Expected a TensorFlow.js backend to run G, but none did: ${passed.join('; ')}`);
}

/** G built from `artifacts` on the current backend, on two fixed rows (each input's shape, values in [−1, 1]). */
async function outputsOn(artifacts: ModelArtifacts): Promise<Float32Array> {
  const tf = tfGlobal();
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const inputs = model.inputs.map((input) => {
    const shape = [2, ...(input.shape.slice(1) as number[])];
    const size = shape.reduce((a, b) => a * b);
    return tf.tensor(
      Float32Array.from({ length: size }, (_, i) => Math.sin(1.7 * i + 0.3)),
      shape,
    );
  });
  try {
    const y = model.predict(inputs.length === 1 ? inputs[0] : inputs) as Tensor;
    const values = (await y.data()) as Float32Array;
    y.dispose();
    return values;
  } finally {
    tf.dispose(inputs);
    model.dispose();
  }
}

interface Gpu {
  description: string;
  software: boolean;
}
/** The slice of WebGPU the page reads (TypeScript's DOM types have no WebGPU yet). */
interface GpuAdapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** The GPU a backend would run on, and whether it is software; undefined: the browser offers none; null: no GPU. */
async function gpuOf(name: string): Promise<Gpu | null | undefined> {
  if (name === 'webgpu') {
    const gpu = (navigator as { gpu?: { requestAdapter(o: object): Promise<GpuAdapter | null> } }).gpu;
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    if (!adapter) return undefined;
    const info = adapter.info ?? {};
    const description =
      info.description ||
      [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') ||
      'an unnamed adapter';
    const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
    return { description, software: Boolean(fallback) || SOFTWARE.test(description) };
  }
  if (name === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return undefined;
    const named = gl.getExtension('WEBGL_debug_renderer_info');
    const description = String(gl.getParameter(named ? named.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext(); // tfjs makes its own; browsers cap live contexts
    return { description, software: SOFTWARE.test(description) };
  }
  return null;
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
