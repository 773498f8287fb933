// `npm run bench -- --baseline <git ref>`: native beside the same workloads built from
// another commit, to show a change made native no slower. Checks the ref out as a
// temporary git worktree under os.tmpdir(), copies node_modules into it (a copy, never a
// link: the two builds must not share a package folder that either could change) and the
// native addon (rebuilt there instead when native/ differs between the two), compiles it,
// then times both builds in alternating rounds — this build first in even rounds, the
// baseline first in odd ones, so neither always runs on the warmer or the quieter side of
// a passing load — and prints them side by side with their ratio and the load average.
// The default workloads are the trainer end to end (train-workloads.ts: each build's own
// `gankit train`): a change to the trainer shows only there, while the step rows
// (workloads.ts, --workloads dcgan28,mlp2d) time the bench's own step, which isolates a
// kernel change. The worktree is removed afterwards, also after Ctrl-C.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureChild, type Row } from './measure.js';
import { WORKLOADS } from './workloads.js';
import { measureTraining, TRAIN_WORKLOADS } from './train-workloads.js';

export interface BaselineRequest {
  ref: string;
  workloads: string[];
  rounds: number;
  /** The options every step child gets (--steps, --warmup, --batch, --read). */
  childOptions: string[];
  /** The trainer workloads' steps, when not their own (--train-steps). */
  trainSteps?: number;
  json: boolean;
  batch?: number;
}

interface Side {
  name: string;
  mainScript: string;
  /** Its `gankit` command (dist/src/cli/main.js), which the trainer workloads run. */
  cliMain: string;
  rounds: (number | null)[];
  last?: Row;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const git = (args: string[], cwd = root) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

export async function runBaseline(req: BaselineRequest): Promise<void> {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${req.ref}^{commit}`]);
  } catch {
    throw new Error(`Expected --baseline to name a commit of this repository but received "${req.ref}"`);
  }
  const full = git(['log', '-1', '--format=%h %s', commit]);
  const subject = full.length > 72 ? `${full.slice(0, 71)}…` : full;
  const dir = join(mkdtempSync(join(tmpdir(), 'gankit-baseline-')), 'tree');
  const cleanUp = () => {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(dirname(dir), { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
  };
  const onSignal = () => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    prepare(commit, dir);
    const sides: Side[] = [
      {
        name: 'this build',
        mainScript: fileURLToPath(new URL('./main.js', import.meta.url)),
        cliMain: fileURLToPath(new URL('../src/cli/main.js', import.meta.url)),
        rounds: [],
      },
      {
        name: subject.split(' ')[0],
        mainScript: join(dir, 'dist', 'bench', 'main.js'),
        cliMain: join(dir, 'dist', 'src', 'cli', 'main.js'),
        rounds: [],
      },
    ];
    const loads: number[] = [loadavg()[0]];
    const results = new Map<string, Side[]>();
    for (const w of req.workloads)
      results.set(
        w,
        sides.map((s) => ({ ...s, rounds: [] })),
      );
    for (let round = 0; round < req.rounds; round++) {
      for (const w of req.workloads) {
        const pair = results.get(w)!;
        for (const side of round % 2 ? [pair[1], pair[0]] : pair) {
          const row = TRAIN_WORKLOADS[w]
            ? measureTraining(side.cliMain, w, req.trainSteps)
            : measureChild(side.mainScript, w, 'native', req.childOptions);
          const wanted = batchWanted(req, w);
          const same = batchOf(row, w) === wanted;
          side.rounds.push(same ? row.stepMs : null);
          side.last = same ? row : { ...row, skipped: `${side.name} timed batch ${batchOf(row, w)}, not ${wanted}` };
        }
      }
      loads.push(loadavg()[0]);
      if (!req.json)
        console.error(`round ${round + 1} of ${req.rounds} done (load average ${loads.at(-1)!.toFixed(2)})`);
    }
    report(req, subject, results, loads);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanUp();
  }
}

/** The batch a row was timed at; a build older than --batch reports none and times its workload's own. */
const batchOf = (row: Row, workload: string) => row.batch ?? WORKLOADS[workload].batch;
/** --batch sets the step rows' batch; a trainer workload trains at its command's own. */
const batchWanted = (req: BaselineRequest, workload: string) =>
  TRAIN_WORKLOADS[workload]?.batch ?? req.batch ?? WORKLOADS[workload].batch;

/** The worktree at `commit` with this checkout's packages and addon, compiled. */
function prepare(commit: string, dir: string): void {
  console.error(`baseline: checking out ${commit.slice(0, 10)} in ${dir}`);
  git(['worktree', 'add', '--detach', dir, commit]);
  copy(join(root, 'node_modules'), join(dir, 'node_modules'));
  // The addon is C++ built from native/: copy it when the two builds' native/ agree, else build the baseline's.
  const nativeSame = spawnSync('git', ['diff', '--quiet', commit, '--', 'native', 'binding.gyp'], { cwd: root });
  if (nativeSame.status === 0 && existsSync(join(root, 'build'))) {
    copy(join(root, 'build'), join(dir, 'build'));
  } else {
    console.error('baseline: native/ differs from this checkout: building its addon (minutes)');
    const built = spawnSync(process.execPath, ['scripts/build-native.mjs'], { cwd: dir, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`the baseline's native addon did not build (exit ${built.status})`);
  }
  console.error('baseline: compiling its TypeScript');
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  if (compiled.status !== 0) {
    throw new Error(`the baseline did not compile: ${(compiled.stdout + compiled.stderr).trim().split('\n')[0]}`);
  }
}

/** cp -a: links inside stay links, modes and times stay. */
function copy(from: string, to: string): void {
  const r = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not copy ${from} to ${to}: ${r.stderr.trim()}`);
}

const best = (xs: (number | null)[]) => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? Math.min(...ok) : null;
};
const medianOf = (xs: (number | null)[]) => {
  const ok = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!ok.length) return null;
  const m = ok.length >> 1;
  return ok.length % 2 ? ok[m] : (ok[m - 1] + ok[m]) / 2;
};

function report(req: BaselineRequest, subject: string, results: Map<string, Side[]>, loads: number[]): void {
  const fmt = (n: number | null, d = 2) => (n === null ? '—' : n.toFixed(d));
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null ? a / b : null);
  const rows = [...results].map(([workload, [current, base]]) => ({
    workload,
    batch: batchWanted(req, workload),
    baseline: {
      ref: subject.split(' ')[0],
      best: best(base.rounds),
      median: medianOf(base.rounds),
      rounds: base.rounds,
    },
    current: { best: best(current.rounds), median: medianOf(current.rounds), rounds: current.rounds },
    ratioBest: ratio(best(current.rounds), best(base.rounds)),
    ratioMedian: ratio(medianOf(current.rounds), medianOf(base.rounds)),
    skipped: [base, current].map((s) => s.last?.skipped).find(Boolean),
    ...(TRAIN_WORKLOADS[workload] ? { steps: req.trainSteps ?? TRAIN_WORKLOADS[workload].steps } : {}),
    loads,
  }));
  if (req.json) {
    for (const r of rows) console.log(JSON.stringify(r));
    return;
  }
  console.log(
    `gankit bench --baseline ${subject}\n` +
      `native backend, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}); ${req.rounds} alternating rounds, ` +
      `each a median ms/step ` +
      `(train-*: gankit train's training-loop seconds ÷ its steps); load average (1 min) at the start and after each round: ${loads.map((l) => l.toFixed(2)).join(', ')}`,
  );
  console.log(
    '| workload | batch | baseline ms/step (best · median) | this build | this ÷ baseline (best · median) | rounds: baseline / this |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.workload}${r.steps ? ` (${r.steps} steps)` : ''} | ${r.batch} | ${fmt(r.baseline.best)} · ${fmt(r.baseline.median)} | ` +
        `${fmt(r.current.best)} · ${fmt(r.current.median)} | ${fmt(r.ratioBest, 3)} · ${fmt(r.ratioMedian, 3)} | ` +
        `${r.baseline.rounds.map((x) => fmt(x)).join(' ')} / ${r.current.rounds.map((x) => fmt(x)).join(' ')}` +
        `${r.skipped ? ` (${r.skipped})` : ''} |`,
    );
  }
}
