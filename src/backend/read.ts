// Reading tensors' values back to JavaScript, asynchronously and in one transfer.
// Only `await tensor.data()` works on every backend: WebGPU in Node has no synchronous
// read (webgpu.ts), and a GPU pays one round trip per read, so several tensors needed at
// one point are concatenated on the device and read once. On native and cpu the values
// are the same bytes a dataSync gave.
import * as tf from '@tensorflow/tfjs-core';

/**
 * The values of each tensor (float32), as fresh copies the caller owns: read in one
 * transfer of their concatenation. The tensors are only read, never disposed.
 */
export async function readTensors(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  if (tensors.length === 0) return [];
  const joined = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  try {
    const all = (await joined.data()) as Float32Array;
    let offset = 0;
    return tensors.map((t) => all.slice(offset, (offset += t.size)));
  } finally {
    joined.dispose();
  }
}

/**
 * One tensor's values (a Float32Array, or T for another dtype: Int32Array for int32); the
 * tensor is disposed once read. The array is the one the backend gave (a read marks it
 * escaped: native's pool never recycles it).
 */
export async function readAndDispose<T extends tf.TypedArray = Float32Array>(tensor: tf.Tensor): Promise<T> {
  try {
    return (await tensor.data()) as T;
  } finally {
    tensor.dispose();
  }
}
