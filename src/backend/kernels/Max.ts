import { reduceKernel } from './reduce_ops.js';

export const maxConfig = reduceKernel('Max', (attrs) => attrs.reductionIndices as number | number[]);
