// TensorFlow.js's WebGPU backend in Node, on Google's Dawn from the optional npm package
// `webgpu` (dawn.node). Finds an adapter — Dawn's default route (Vulkan, Metal, D3D12), then
// OpenGL ES in WebGPU's compatibility mode, the route by which Mesa's llvmpipe software
// rasteriser serves a machine without a GPU — creates navigator.gpu before
// @tensorflow/tfjs-backend-webgpu loads (the package checks navigator.gpu on import and in
// its backend's constructor), and registers that backend on the device found. Also
// describes every adapter for `gankit doctor`.
// Synchronous reads (dataSync, arraySync) cannot work here: tfjs's readSync copies through
// OffscreenCanvas, which Node lacks, and Dawn maps buffers only asynchronously (a mapAsync
// completes only once the event loop runs), so readSync says so instead of failing on
// "OffscreenCanvas is not defined".
// Longer than 300 lines because adapter discovery, description and registration share
// the optional package's hand-written types; split, each part would repeat them.
import * as tf from '@tensorflow/tfjs-core';

/** What gankit uses of WebGPU's adapter (typed here: the package is optional, its types too). */
interface GpuAdapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  limits: Record<string, number>;
  features: Set<string>;
  requestDevice(descriptor?: object): Promise<GpuDevice>;
}
interface GpuDevice {
  destroy(): void;
}
interface Gpu {
  requestAdapter(options?: object): Promise<GpuAdapter | null>;
}
interface Dawn {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

/** One way of asking Dawn for an adapter. */
interface Route {
  name: string;
  flags: string[];
  options: object;
  /** Skipped when this route found an adapter. */
  unlessFound?: string;
}

const ROUTES: Route[] = [
  { name: 'default', flags: [], options: { powerPreference: 'high-performance' } },
  // A GPU whose driver offers no full WebGPU (older ones) may still offer compatibility
  // mode; where the default route found one, this would find the same one again.
  {
    name: 'compatibility',
    flags: [],
    options: { powerPreference: 'high-performance', featureLevel: 'compatibility' },
    unlessFound: 'default',
  },
  // Dawn's default route on Linux is Vulkan only; OpenGL ES must be asked for by name.
  { name: 'opengles', flags: ['backend=opengles'], options: { featureLevel: 'compatibility' } },
];

/** The limits doctor prints: the ones that bound the tensors and kernels tfjs can run. */
export const SHOWN_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
] as const;

// Renderers that run on the CPU: useful for testing, never faster than the native backend.
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render/i;

export interface AdapterDescription {
  /** Which route found it (see ROUTES): default, compatibility or opengles. */
  route: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A renderer on the CPU (llvmpipe, lavapipe, SwiftShader) or a fallback adapter. */
  software: boolean;
  limits: Record<(typeof SHOWN_LIMITS)[number], number>;
}

export const INSTALL_HINT =
  'for a GPU, its vendor driver with Vulkan; for the software adapter (tests, not speed) on Debian: ' +
  'apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri';

const PACKAGE_HINT = 'install it with npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0';

interface Found {
  gpu: Gpu;
  adapter: GpuAdapter;
  description: AdapterDescription;
}

interface Registered {
  device: GpuDevice;
  adapter: AdapterDescription;
}

let dawn: Dawn | undefined;
let registered: Registered | undefined;
/** The adapter probeWebgpuAdapter found, kept for registerWebgpuBackend (an adapter gives one device). */
let probed: Found | undefined;

/** Loads dawn.node once; returns why not when the optional package is missing or broken. */
async function loadDawn(): Promise<{ dawn?: Dawn; why?: string }> {
  if (dawn) return { dawn };
  // Mesa's EGL otherwise looks for an X11 or Wayland display; a server or CI has none.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  try {
    const name = 'webgpu'; // a variable, so TypeScript does not require the optional package
    dawn = (await import(name)) as Dawn;
    return { dawn };
  } catch (err) {
    return { why: whyNotLoaded('webgpu', err) };
  }
}

function whyNotLoaded(pkg: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') {
    return `the optional package ${pkg} is not installed (${PACKAGE_HINT})`;
  }
  return `the package ${pkg} does not load (${e.message}); reinstall it (${PACKAGE_HINT})`;
}

function describe(route: string, adapter: GpuAdapter): AdapterDescription {
  const { vendor = '', architecture = '', device = '', description = '', isFallbackAdapter } = adapter.info;
  const limits = Object.fromEntries(SHOWN_LIMITS.map((k) => [k, adapter.limits[k]])) as AdapterDescription['limits'];
  const software = isFallbackAdapter === true || SOFTWARE.test(`${vendor} ${architecture} ${device} ${description}`);
  return { route, vendor, architecture, device, description, software, limits };
}

/** Every adapter each route finds (doctor), or the first one only (`first`). */
async function findAdapters(first: boolean): Promise<{ found: Found[]; why?: string }> {
  const loaded = await loadDawn();
  if (!loaded.dawn) return { found: [], why: loaded.why };
  const found: Found[] = [];
  const failures: string[] = [];
  // One Dawn instance per set of flags: each new one repeats its warnings on stderr.
  const instances = new Map<string, Gpu>();
  for (const route of ROUTES) {
    if (route.unlessFound && found.some((f) => f.description.route === route.unlessFound)) continue;
    try {
      const key = route.flags.join(',');
      const gpu = instances.get(key) ?? loaded.dawn.create(route.flags);
      instances.set(key, gpu);
      const adapter = await gpu.requestAdapter(route.options);
      if (!adapter) {
        failures.push(`${route.name}: none`);
        continue;
      }
      found.push({ gpu, adapter, description: describe(route.name, adapter) });
      if (first) break;
    } catch (err) {
      failures.push(`${route.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const why = found.length ? undefined : `no WebGPU adapter (Dawn's routes: ${failures.join(', ')}; ${INSTALL_HINT})`;
  return { found, why };
}

/** The adapters on this machine, for doctor; `why` says why there are none. */
export async function listWebgpuAdapters(): Promise<{ adapters: AdapterDescription[]; why?: string }> {
  const { found, why } = await findAdapters(false);
  return { adapters: found.map((f) => f.description), why };
}

/**
 * The adapter registerWebgpuBackend would run on, without creating a device (auto asks
 * this first: only a hardware adapter is worth timing); `why` says why there is none.
 */
export async function probeWebgpuAdapter(): Promise<{ adapter?: AdapterDescription; why?: string }> {
  if (registered) return { adapter: registered.adapter };
  if (!probed) {
    const { found, why } = await findAdapters(true);
    if (!found.length) return { why };
    probed = found[0];
  }
  return { adapter: probed.description };
}

/** The adapter the registered backend runs on, if any. */
export function webgpuAdapter(): AdapterDescription | undefined {
  return registered?.adapter;
}

/** One line naming an adapter: its device and driver, and whether it is software. */
export function describeAdapter(a: AdapterDescription): string {
  const name = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed adapter';
  const kind = a.software ? 'software adapter, slower than native' : 'hardware adapter';
  return `${name}${a.description ? `, ${a.description}` : ''}; ${kind}`;
}

/**
 * Registers tfjs's "webgpu" backend on the first adapter found. Returns undefined on
 * success, else why not: what was found and what to install.
 */
export async function registerWebgpuBackend(): Promise<string | undefined> {
  if (registered) return undefined;
  let first = probed;
  probed = undefined;
  if (!first) {
    const { found, why } = await findAdapters(true);
    if (!found.length) return why;
    first = found[0];
  }
  const { gpu, adapter, description } = first;
  // The backend package and its kernels reach for navigator.gpu and WebGPU's constants
  // (GPUBufferUsage, GPUMapMode…) as browser globals; Node 20 has neither.
  Object.assign(globalThis, dawn!.globals);
  const g = globalThis as { navigator?: { gpu?: Gpu } };
  if (g.navigator) g.navigator.gpu = gpu;
  else g.navigator = { gpu };
  let pkg: { WebGPUBackend: new (device: GpuDevice, info: object) => tf.KernelBackend };
  try {
    const name = '@tensorflow/tfjs-backend-webgpu';
    pkg = await import(name);
  } catch (err) {
    return whyNotLoaded('@tensorflow/tfjs-backend-webgpu', err);
  }
  // The limits tfjs's own factory asks for; the defaults are lower than many adapters offer.
  const wanted = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
    // Without it the device allows 8 storage buffers per shader on llvmpipe, which offers 16.
    'maxStorageBuffersPerShaderStage',
  ];
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: Object.fromEntries(wanted.map((k) => [k, adapter.limits[k]])),
  });
  const Base = pkg.WebGPUBackend;
  class NodeWebgpuBackend extends Base {
    override readSync(dataId: object): tf.backend_util.BackendValues {
      const data = (
        this as unknown as { tensorMap: tf.DataStorage<{ values?: unknown; dtype: string }> }
      ).tensorMap.get(dataId);
      // Values still on the CPU (not yet uploaded) and complex tensors read as tfjs reads them.
      if (data.values != null || data.dtype === 'string' || data.dtype === 'complex64') return super.readSync(dataId);
      throw new Error(SYNC_READ);
    }
  }
  // The package registered its own factory on import, which asks for no compatibility
  // mode and so finds no software adapter; this one uses the device found above.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new NodeWebgpuBackend(device, adapter.info), 0);
  splitAddN(device);
  registered = { device, adapter: description };
  // Dawn keeps Node's event loop alive while a device lives; a finished command must exit.
  process.once('beforeExit', releaseWebgpu);
  return undefined;
}

/**
 * tfjs's AddN on webgpu binds every input as a storage buffer in one shader, so a sum of
 * more inputs than the device allows per shader (8 to 16 on many adapters) fails
 * validation. Sums in chunks that fit instead, then sums the partial sums.
 */
function splitAddN(device: GpuDevice & { limits?: Record<string, number> }): void {
  const config = tf.getKernel('AddN', 'webgpu');
  if (!config) return;
  const addN = config.kernelFunc;
  const most = Math.max(2, (device.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      let xs = args.inputs as unknown as tf.TensorInfo[];
      const partial: tf.TensorInfo[] = [];
      while (xs.length > most) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < xs.length; i += most) {
          const chunk = xs.slice(i, i + most);
          if (chunk.length === 1) next.push(chunk[0]);
          else {
            const sum = addN({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
            partial.push(sum);
            next.push(sum);
          }
        }
        xs = next;
      }
      const out = addN({ ...args, inputs: xs as unknown as tf.NamedTensorInfoMap });
      for (const t of partial) (args.backend as tf.KernelBackend).disposeData(t.dataId);
      return out;
    },
  });
}

export const SYNC_READ =
  'Expected an asynchronous read (await tensor.data() or tensor.array()) on the webgpu backend but received a ' +
  'synchronous one (dataSync, arraySync): in Node, WebGPU maps buffers only asynchronously. ' +
  'Run this with --backend native (or wasm, cpu) until this path reads asynchronously.';

/** Destroys the WebGPU device (and the backend on it), so that the process can exit. */
export function releaseWebgpu(): void {
  if (!registered) return;
  const { device } = registered;
  registered = undefined;
  if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
  device.destroy();
}
