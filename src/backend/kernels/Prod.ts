import { reduceKernel } from './reduce_ops.js';

export const prodConfig = reduceKernel('Prod', (attrs) => attrs.axis as number | number[]);
