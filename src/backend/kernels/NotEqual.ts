import { binaryKernel } from './binary_ops.js';

export const notEqualConfig = binaryKernel('NotEqual');
