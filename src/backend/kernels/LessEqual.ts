import { binaryKernel } from './binary_ops.js';

export const lessEqualConfig = binaryKernel('LessEqual');
