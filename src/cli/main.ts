#!/usr/bin/env node
// The gankit command. Loading TensorFlow.js and the native backend takes a second or
// more on a busy machine, so a terminal shows "starting gankit" at once (written here,
// before anything loads) and a live line keeps its clock moving while the modules load;
// then the command line (program.ts) runs. A log (not a terminal) gets no such line.
// `gankit dash` needs none of that: it runs with its own command only (dash.ts loads no
// TensorFlow.js), which keeps the server at a fraction of the memory and starts at once.
import { writeSync } from 'node:fs';
import { LiveLine } from './live-line.js';

if (process.argv[2] === 'dash') {
  const [{ runCommands }, { dashCommand }] = await Promise.all([import('./command-line.js'), import('./dash.js')]);
  await runCommands([dashCommand()], process.argv);
} else {
  let starting: LiveLine | undefined;
  if (process.stdout.isTTY) {
    writeSync(1, 'starting gankit …');
    starting = new LiveLine({ everySeconds: 1 });
    starting.begin({ label: 'starting gankit', total: 0 });
  }
  const { run } = await import('./program.js');
  if (starting) {
    starting.stop();
    writeSync(1, '\r\x1b[K'); // the line goes, whether or not the worker drew over it
  }
  await run(process.argv);
}
