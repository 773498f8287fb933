// Every format the fuzzer knows: the data formats (data.ts) and a run's own files,
// checkpoints, options.json and stats.jsonl (run.ts).
import type { FuzzFormat } from '../format.js';
import { DATA_FORMATS } from './data.js';
import { RUN_FORMATS } from './run.js';

export { DATA_FORMATS } from './data.js';
export { RUN_FORMATS } from './run.js';

export const ALL_FORMATS: FuzzFormat[] = [...DATA_FORMATS, ...RUN_FORMATS];
