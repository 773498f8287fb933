#!/usr/bin/env node
// The gankit command. Loading TensorFlow.js and the native backend takes a second or
// more on a busy machine, so a terminal shows "starting gankit" when it takes longer
// than half a second (a log gets no such line); then the command line (program.ts) runs.
import { LiveLine } from './live-line.js';

const starting = process.stdout.isTTY ? new LiveLine({ showAfterSeconds: 0.5, everySeconds: 1 }) : undefined;
starting?.begin({ label: 'starting gankit', total: 0 });
const { run } = await import('./program.js');
starting?.stop();
await run(process.argv);
