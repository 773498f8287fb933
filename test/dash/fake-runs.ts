// Run folders written by the tests themselves, byte for byte, so that what the dashboard
// answers can be checked against what is known to be on disk.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), `gankit-dash-${prefix}-`));

/** A step line as the trainer writes it. */
export const stepLine = (step: number) =>
  JSON.stringify({ step, lossD: 1.3 + step / 1e4, lossG: 0.7, dReal: 0.5, dFake: 0.5, lr: 0.001, seconds: step / 50 });

/** A run folder with options.json and `steps` step lines (plus `tail`, written as is). */
export function writeRun(
  root: string,
  name: string,
  {
    steps = 10,
    total = 100,
    data = 'ring8',
    tail = '',
  }: { steps?: number; total?: number; data?: string; tail?: string } = {},
): string {
  const folder = path.join(root, ...name.split('/'));
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'options.json'),
    JSON.stringify({ version: 1, data, model: 'mlp', loss: 'nonsaturating', steps: total }, null, 2) + '\n',
  );
  const lines = Array.from({ length: steps }, (_, i) => stepLine(i + 1) + '\n').join('');
  writeFileSync(path.join(folder, 'stats.jsonl'), lines + tail);
  return folder;
}
