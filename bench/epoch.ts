// Training epochs of Fashion-MNIST, end to end, side by side in one run, one after the
// other: `gankit train --data fashion-mnist` with the default image recipe (an epoch is
// 1,875 steps of 32), the same with `--model dcgan` (DCGAN-28, the reference: 938 steps
// of 64), and DCGAN-28 in PyTorch (bench/torch_epoch.py).
//   npm run bench:epoch                   → one epoch each, a table
//   npm run bench:epoch -- --epochs 5     → five epochs each (issue 18's time target)
//   npm run bench:epoch -- --only dcgan   → leave out the default recipe's row
//   npm run bench:epoch -- --only default → leave out DCGAN-28's row
//   npm run bench:epoch -- --torch-waits default → PyTorch once, with spinning waits
//                                            (the winner on a quiet machine; default: both)
//   npm run bench:epoch -- --json         → one JSON object per line
// gankit's seconds are metrics.json's: from the first step to the end, the final
// checkpoint and pictures included; the final evaluation, which PyTorch's loop has no
// counterpart of, is left out (--eval-metrics none).
// Needs Debian's dataset-fashion-mnist; PyTorch is timed when /usr/bin/python3 has torch
// (Debian's python3-torch).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Row {
  workload: string;
  backend: string;
  seconds: number | null;
  ratioToTorch?: number | null;
  steps?: number;
  skipped?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const epochs = Number(flag('epochs') ?? '1');
if (!Number.isInteger(epochs) || epochs < 1)
  throw new Error(`Expected --epochs to be a whole number ≥ 1 but received ${flag('epochs')}`);
const only = flag('only');
if (only !== undefined && only !== 'dcgan' && only !== 'default')
  throw new Error(`Expected --only to be dcgan or default but received ${only}`);
const torchWaits = flag('torch-waits') ?? 'both';
if (!['both', 'default', 'passive'].includes(torchWaits))
  throw new Error(`Expected --torch-waits to be both, default or passive but received ${torchWaits}`);
const workload = `fashion-${epochs}-epoch${epochs > 1 ? 's' : ''}`;
const rows: Row[] = [];

// gankit: the CLI as a user runs it, pictures and checkpoints only at the end.
const recipes: { name: string; args: string[] }[] = [
  { name: 'gankit default image recipe', args: [] },
  { name: 'gankit --model dcgan (DCGAN-28)', args: ['--model', 'dcgan'] },
].filter((r) => only === undefined || (only === 'dcgan') === r.args.includes('dcgan'));
for (const recipe of recipes) {
  const out = mkdtempSync(join(tmpdir(), 'gankit-epoch-'));
  const cli = join(here, '..', 'src', 'cli', 'main.js');
  const args = ['train', '--data', 'fashion-mnist', '--epochs', `${epochs}`, '--seed', '1', ...recipe.args];
  const quiet = ['--plot-every', '0', '--checkpoint-every', '0', '--eval-metrics', 'none', '--out', out];
  const g = spawnSync(process.execPath, [cli, ...args, ...quiet], { encoding: 'utf8', timeout: 7_200_000 });
  if (g.status === 0) {
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      seconds: number;
      steps: number;
      backend: string;
    };
    const seconds = Number(m.seconds.toFixed(1));
    rows.push({ workload, backend: `${recipe.name}, ${m.backend}`, seconds, steps: m.steps });
  } else {
    const why = `failed: ${(g.stderr ?? '').trim().split('\n').pop()}`;
    rows.push({ workload, backend: recipe.name, seconds: null, skipped: why });
  }
  rmSync(out, { recursive: true, force: true });
}

// PyTorch twice, with libgomp's default (spinning) waits and with passive ones (what
// gankit uses), keeping the faster: spinning wins on an idle machine and collapses
// when another process holds a core, so each side gets its best case.
const python = '/usr/bin/python3';
let torch: { seconds: number; steps: number; policy: string } | undefined;
let torchFailure = '';
for (const policy of ['default', 'passive'].filter((p) => torchWaits === 'both' || p === torchWaits)) {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  if (policy === 'passive') env.OMP_WAIT_POLICY = 'passive';
  else delete env.OMP_WAIT_POLICY;
  const t = spawnSync(python, [join(resolve(here, '..', '..', 'bench'), 'torch_epoch.py'), '--epochs', `${epochs}`], {
    encoding: 'utf8',
    timeout: 7_200_000,
    env,
  });
  const line = (t.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (t.status !== 0 || !line) {
    torchFailure = (t.stderr || 'no python3 with torch').trim().split('\n').pop() ?? '';
    break;
  }
  const o = JSON.parse(line) as { seconds: number; steps: number };
  if (!torch || o.seconds < torch.seconds) torch = { ...o, policy };
}
for (const r of rows) if (torch && r.seconds !== null) r.ratioToTorch = Number((r.seconds / torch.seconds).toFixed(3));
rows.push(
  torch
    ? {
        workload,
        backend: `torch (${torch.policy} OpenMP waits${torchWaits === 'both' ? ', the faster' : ''})`,
        seconds: torch.seconds,
        steps: torch.steps,
        ratioToTorch: 1,
      }
    : { workload, backend: 'torch', seconds: null, skipped: `PyTorch not timed: ${torchFailure}` },
);

if (json) for (const r of rows) console.log(JSON.stringify(r));
else {
  console.log(
    `gankit bench:epoch — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log('| workload | backend | seconds | steps | × PyTorch |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.workload} | ${r.backend} | ${r.seconds ?? '—'} | ${r.steps ?? '—'} | ${r.ratioToTorch ?? '—'}${r.skipped ? ` (${r.skipped})` : ''} |`,
    );
  }
}
