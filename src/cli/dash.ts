// `gankit dash`: the web dashboard over the runs under a folder (src/dash/,
// docs/dashboard.md). This module and everything it imports stay free of TensorFlow.js,
// so main.ts can run it without loading the training code: the server stays small.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { isLoopback } from '../dash/auth.js';
import { startDashServer } from '../dash/server.js';
import { nonNegativeInt } from './parse.js';

interface DashFlags {
  runs: string;
  port: number;
  host: string;
  allowRemote?: boolean;
  open?: boolean;
}

export function dashCommand(): Command {
  return new Command('dash')
    .description(
      'Serve a web dashboard over the runs under a folder: live curves and pictures, comparisons, a playground ' +
        'for trained generators, and starting, pausing and resuming trainings. Local only by default, behind a token.',
    )
    .option('--runs <dir>', 'the folder whose runs (found in it and its subfolders) the dashboard shows', 'runs')
    .option('--port <n>', 'the port to listen on (0: any free port, the one chosen is printed)', nonNegativeInt, 8470)
    .option(
      '--host <address>',
      'the address to listen on; anything but a loopback address needs --allow-remote',
      '127.0.0.1',
    )
    .option(
      '--allow-remote',
      'allow a non-loopback --host and any Host header: whoever has the printed address can see every run and start trainings',
    )
    .option('--open', 'open the address in the default browser (xdg-open)')
    .addHelpText(
      'after',
      '\nExamples:\n  gankit dash                      # the runs under ./runs, at http://127.0.0.1:8470/?token=…\n' +
        '  gankit dash --runs ~/gans --port 0 --open',
    )
    .action(async (flags: DashFlags) => serve(flags));
}

async function serve(flags: DashFlags): Promise<void> {
  const remote = !isLoopback(flags.host);
  if (remote && !flags.allowRemote)
    throw new Error(
      `Expected --host to be a loopback address (127.0.0.1, localhost, ::1) but received ${flags.host}, which other ` +
        'machines can reach; add --allow-remote if you mean to expose every run and the power to start trainings',
    );
  const stat = await fs.stat(flags.runs).catch(() => undefined);
  if (!stat?.isDirectory())
    throw new Error(
      `Expected --runs to name a folder of runs but ${flags.runs} ${stat ? 'is a file' : 'does not exist'}; ` +
        `point --runs at the folder gankit train wrote into (default: runs), or create it (mkdir -p ${flags.runs})`,
    );
  const server = await startDashServer({
    runsDir: flags.runs,
    host: flags.host,
    port: flags.port,
    allowRemote: flags.allowRemote,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new Error(
        `Expected port ${flags.port} to be free but another program listens on it (a dashboard already running?); ` +
          'choose another with --port N, or --port 0 for any free one',
      );
    if (err.code === 'EADDRNOTAVAIL')
      throw new Error(`Expected --host to be an address of this machine but received ${flags.host}`);
    throw err;
  });
  console.log(`gankit dash: ${server.url}`);
  console.log(`serving the runs under ${server.runsDir}; Ctrl-C stops (trainings started here go on)`);
  if (remote)
    console.log(
      `warning: listening on ${flags.host}: anyone who can reach it and has the address above sees every run ` +
        'under the folder and can start, pause and resume trainings',
    );
  if (flags.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** xdg-open, if there is one; a missing opener is a note, never a failure. */
function openBrowser(url: string): void {
  const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => console.log('could not open a browser (no xdg-open): open the address above yourself'));
  child.unref();
}
