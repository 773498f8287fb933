import { reduceKernel } from './reduce_ops.js';

export const meanConfig = reduceKernel('Mean', (attrs) => attrs.axis as number | number[]);
