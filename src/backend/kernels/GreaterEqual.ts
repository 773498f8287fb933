import { binaryKernel } from './binary_ops.js';

export const greaterEqualConfig = binaryKernel('GreaterEqual');
