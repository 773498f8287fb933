// Runs the built gankit CLI in a child process, as a user does; several may run at once.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { timeout?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { encoding: 'utf8', timeout: options.timeout ?? 120_000, env: options.env ?? process.env },
      (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}
