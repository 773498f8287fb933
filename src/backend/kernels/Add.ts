import { binaryKernel } from './binary_ops.js';

export const addConfig = binaryKernel('Add');
