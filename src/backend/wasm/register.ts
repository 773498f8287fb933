// Kernels gankit supplies to tfjs-backend-wasm, which lacks them but training
// needs them (found by running a DCGAN-28 step on wasm and by listing the
// cpu kernels wasm does not register).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';

const wasmKernelConfigs: KernelConfig[] = [conv2DBackpropFilterConfig];

let done = false;
export function registerWasmKernels(): void {
  if (done) return;
  for (const config of wasmKernelConfigs) {
    if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
  }
  done = true;
}
