// Recycles the Float32Arrays of disposed native-kernel outputs.
//
// Why: V8 backs a fresh multi-megabyte Float32Array with newly mapped, zeroed
// pages, and the first write to each page faults. On this 2-core machine that
// cost more than the kernels themselves (a 3 MB element-wise op: 0.09 ms on a
// warm buffer, 1.3 ms on a fresh one). A training step allocates the same
// sizes every time, so reuse makes it vanish.
//
// Safety: a buffer is reused only if it came from alloc() here (so no user
// array is ever touched) and never escaped: reading a tensor's values
// (dataSync/data/array, which hand out the stored array on the cpu backend)
// marks it escaped, and the native backend's Slice copies instead of
// returning a view. Buffers handed out by alloc() are not zeroed: every
// caller overwrites all elements.
const MIN_POOLED = 1024; // smaller arrays are cheap to allocate
const MAX_POOL_BYTES = 512 * 1024 * 1024;

const ours = new WeakSet<Float32Array>();
const escaped = new WeakSet<Float32Array>();
const free = new Map<number, Float32Array[]>();
let pooledBytes = 0;
let hits = 0;
let misses = 0;

export function alloc(n: number): Float32Array {
  if (n >= MIN_POOLED) {
    const list = free.get(n);
    const a = list?.pop();
    if (a) {
      pooledBytes -= a.byteLength;
      hits++;
      return a;
    }
    misses++;
  }
  const a = new Float32Array(n);
  if (n >= MIN_POOLED) ours.add(a);
  return a;
}

/** Marks storage as visible outside the backend: it will never be reused. */
export function markEscaped(values: unknown): void {
  if (values instanceof Float32Array && ours.has(values)) escaped.add(values);
}

/** Called when a tensor's storage is freed. */
export function release(values: unknown): void {
  if (!(values instanceof Float32Array) || !ours.has(values) || escaped.has(values)) return;
  if (pooledBytes + values.byteLength > MAX_POOL_BYTES) return;
  let list = free.get(values.length);
  if (!list) free.set(values.length, (list = []));
  list.push(values);
  pooledBytes += values.byteLength;
}

export function poolStats(): { bytes: number; sizes: number; hits: number; misses: number } {
  return { bytes: pooledBytes, sizes: free.size, hits, misses };
}

/** Drops every pooled buffer (they become garbage). */
export function clearPool(): void {
  free.clear();
  pooledBytes = 0;
}
