import { reduceKernel } from './reduce_ops.js';

export const minConfig = reduceKernel('Min', (attrs) => attrs.axis as number | number[]);
