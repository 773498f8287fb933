// What the native backend holds between kernel calls, outside tfjs's own count
// (tf.memory()): the addon's primitive caches and scratch buffers, each with a
// fixed bound (native/src/memory.cc), and the pool of recycled output buffers
// (pool.ts, at most 512 MiB). A run whose native memory grows shows it here.
import type { CacheUse } from './addon.js';
import { nativeAddon } from './native.js';
import { clearPool, poolStats } from './pool.js';

export type { CacheUse } from './addon.js';

export interface NativeMemoryUse {
  caches: CacheUse[];
  /** Bytes of oneDNN's scratchpad and of the im2col patch matrix. */
  scratch: { name: string; bytes: number }[];
  /** Recycled Float32Arrays waiting for reuse (pool.ts), and its hit/miss counts. */
  pool: { bytes: number; sizes: number; hits: number; misses: number };
  /** Cache entries' buffers + scratch + pool. */
  totalBytes: number;
  /**
   * oneDNN's internal primitive cache: 0 (off, so the caches above are all there is)
   * unless DNNL_PRIMITIVE_CACHE_CAPACITY says otherwise.
   */
  onednnCacheCapacity: number;
}

/** The native backend's own memory, or undefined when the addon is not loaded. */
export function nativeMemoryUse(): NativeMemoryUse | undefined {
  const addon = nativeAddon();
  if (!addon) return undefined;
  const { caches, scratch, onednnCacheCapacity } = addon.memoryUse();
  const pool = poolStats();
  const totalBytes = caches.reduce((t, c) => t + c.bytes, 0) + scratch.reduce((t, s) => t + s.bytes, 0) + pool.bytes;
  return { caches, scratch, pool, totalBytes, onednnCacheCapacity };
}

/** Empties the primitive caches, the scratch buffers and the buffer pool (they refill on the next steps). */
export function releaseNativeMemory(): void {
  nativeAddon()?.releaseMemory();
  clearPool();
}

const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/**
 * One line, e.g. "native memory 99.3 MiB: caches matmul 7/128, conv 4/128 (1.5 MiB),
 * eltwise 1/64; scratch 0.8 MiB; pool 97.0 MiB".
 */
export function describeNativeMemory(use: NativeMemoryUse): string {
  const caches = use.caches.map(
    (c) => `${c.name} ${c.entries}/${c.capacity}${c.bytes > 0 ? ` (${MiB(c.bytes)} MiB)` : ''}`,
  );
  const scratch = use.scratch.reduce((t, s) => t + s.bytes, 0);
  return (
    `native memory ${MiB(use.totalBytes)} MiB: caches ${caches.join(', ')}; ` +
    `scratch ${MiB(scratch)} MiB; pool ${MiB(use.pool.bytes)} MiB`
  );
}
