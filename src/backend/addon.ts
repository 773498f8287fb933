// Loads the oneDNN addon (build/Release/gankit_native.node) and says exactly why
// when it cannot: not built (no oneDNN when npm install ran) versus built but
// not loadable (e.g. libdnnl.so removed since). GANKIT_NATIVE_ADDON points at
// another build, or at a missing file to force the fallback path in tests.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The native surface; every tensor argument is the Float32Array tfjs-backend-cpu stores. */
export interface NativeAddon {
  setNumThreads(n: number): void;
  getNumThreads(): number;
  version(): { onednn: string; cpuRuntime: string };
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    convInfo: Int32Array,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, convInfo: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, convInfo: Int32Array): void;
  lastConvImpl(): string;
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number, beta: number): void;
  activationGrad(op: number, dy: Float32Array, x: Float32Array, dx: Float32Array, alpha: number): void;
  binary(
    op: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array | Uint8Array,
    aShape: Int32Array,
    bShape: Int32Array,
    outShape: Int32Array,
  ): void;
  select(cond: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array): void;
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, r: number, inner: number): void;
  transpose(x: Float32Array, out: Float32Array, shape: Int32Array, perm: Int32Array): void;
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array | null,
    scale: Float32Array | null,
    out: Float32Array,
    channels: number,
    eps: number,
  ): void;
  batchNormGrad(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    channels: number,
    eps: number,
    dx: Float32Array,
    dmean: Float32Array,
    dvariance: Float32Array,
    dscale: Float32Array,
    doffset: Float32Array,
  ): void;
  adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    step: number,
  ): void;
  sgdMomentumUpdate(param: Float32Array, grad: Float32Array, buf: Float32Array, lr: number, momentum: number): void;
  /** What the addon holds between calls (native/src/memory.cc). */
  memoryUse(): AddonMemoryUse;
  /** Empties every primitive cache and frees the scratch buffers. */
  releaseMemory(): void;
}

/** One bounded primitive cache: entries kept, its bound, and the buffers they own. */
export interface CacheUse {
  name: string;
  entries: number;
  capacity: number;
  /** Buffers the entries own (blocked weight copies); their JIT code is not counted. */
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export interface AddonMemoryUse {
  caches: CacheUse[];
  /** oneDNN's scratchpad and the im2col patch matrix. */
  scratch: { name: string; bytes: number }[];
  /** oneDNN's own primitive cache (0: off, so the caches above are all there is). */
  onednnCacheCapacity: number;
}

const HOW_TO_GET =
  'install oneDNN (Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn), then run npm rebuild';

/** The package root: dist/src/backend/addon.js → three levels up. */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export function addonPath(): string {
  return process.env.GANKIT_NATIVE_ADDON ?? resolve(packageRoot(), 'build', 'Release', 'gankit_native.node');
}

let cached: { addon?: NativeAddon; why?: string } | undefined;

/** The addon, or why it is unavailable and what to do (never throws). */
export function loadAddon(): { addon?: NativeAddon; why?: string } {
  if (cached) return cached;
  const path = addonPath();
  if (!existsSync(path)) {
    cached = { why: `the native addon is not built (${path} is missing); ${HOW_TO_GET}` };
    return cached;
  }
  // libgomp reads its settings once, when the addon pulls it in. Its default
  // is to spin while waiting at the end of a parallel region; when another
  // process holds a core (a 2-core machine shared with anything) the spinning
  // thread starves the one it waits for, and a DCGAN-28 step went from 0.2 s
  // to 2 s. Sleeping waiters cost a few microseconds per kernel instead.
  // An explicit OMP_WAIT_POLICY or GOMP_SPINCOUNT from the user wins.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.OMP_WAIT_POLICY = 'passive';
  }
  try {
    const require = createRequire(import.meta.url);
    cached = { addon: require(path) as NativeAddon };
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    const lib = /libdnnl/.test(msg) ? ' (the oneDNN shared library is missing)' : '';
    cached = { why: `the native addon at ${path} failed to load${lib}: ${msg}; ${HOW_TO_GET}` };
  }
  return cached;
}
