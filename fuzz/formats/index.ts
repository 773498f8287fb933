// Every format the fuzzer knows. The run formats (checkpoints, options.json, stats.jsonl)
// join the data formats here: ALL_FORMATS = [...DATA_FORMATS, ...RUN_FORMATS].
import type { FuzzFormat } from '../format.js';
import { DATA_FORMATS } from './data.js';

export { DATA_FORMATS } from './data.js';

export const ALL_FORMATS: FuzzFormat[] = [...DATA_FORMATS];
