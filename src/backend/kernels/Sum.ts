import { reduceKernel } from './reduce_ops.js';

export const sumConfig = reduceKernel('Sum', (attrs) => attrs.axis as number | number[]);
