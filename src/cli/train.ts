// `gankit train`: one flag per row of the option table (src/train/options.ts), with
// its default in the help, plus the few flags that are not options of a run.
import path from 'node:path';
import { Command, Option } from 'commander';
import { initBackend, setNumThreads } from '../backend/index.js';
import { describeMetrics } from '../metrics/modes.js';
import { describeScores } from '../metrics/describe.js';
import { describeConditional } from '../train/conditional-metrics.js';
import { DEFAULT_OPTIONS, OPTIONS, type OptionRow, type TrainOptions } from '../train/options.js';
import { train, type TrainRequest, type TrainResult } from '../train/trainer.js';
import { flagParser, positiveInt } from './parse.js';
import { oneOf, positiveNumber } from '../train/option-values.js';
import { createProgress } from './progress.js';
import { releaseRunLocks } from '../run/lock.js';

export function trainCommand(): Command {
  const command = new Command('train').description(
    'Train a GAN and write a run directory (options.json, stats.jsonl, pictures, checkpoints, metrics.json).',
  );
  for (const row of OPTIONS) if (row.flag) command.addOption(optionFor(row));
  return command
    .option('--lr <rate>', 'learning rate of both players (overridden by --lr-g/--lr-d)', flagParser(positiveNumber))
    .option(
      '--threads <n>',
      'threads of the native backend (default: every core; GANKIT_THREADS does the same)',
      positiveInt,
    )
    .option(
      '--resume',
      'continue the run in --out from its latest checkpoint (its options are kept; --steps may extend it, ' +
        '--recover and --backend may change)',
    )
    .option(
      '--progress-every <seconds>',
      'seconds between progress lines when the output is not a terminal (default: GANKIT_PROGRESS_EVERY, else 10)',
      flagParser(positiveNumber),
    )
    .option('--force', 'start a new run in --out even where a run is: the old checkpoints, record and pictures go')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  gankit train                                   # MLP GAN on ring8 with the default settings',
        '  gankit train --data grid25 --seed 2 --out runs/grid',
        '  gankit train --data fashion-mnist --model dcgan --epochs 5 --out runs/fashion',
        '  gankit train --data fashion-mnist --model cgan --epochs 5 --out runs/cgan   ' +
          '# then: gankit sample --run runs/cgan --class 3 --n 64 --out c3.png',
        '  gankit train --data fashion-mnist --model infogan --epochs 5 --out runs/info  ' +
          '# samples.png: one row per code value; traversal-1.png, traversal-2.png',
        '  gankit train --data ./my-photos --size 64 --epochs 20   # a folder of PNG/JPEG images',
        '  gankit train --loss wgan-gp --k 5 --lr 1e-4 --beta1 0.5 --beta2 0.9',
        '  gankit train --resume --out runs/grid            # after Ctrl-C: go on from the last checkpoint',
        '  gankit train --resume --out runs/fashion --steps 20000   # a longer run (the rates continue their decay)',
      ].join('\n'),
    )
    .action(async (flags: Record<string, unknown>, cmd: Command) => {
      const request = toRequest(flags, cmd);
      const backend = await initBackend(request.backend);
      if (flags.threads !== undefined) {
        if (backend.name !== 'native')
          throw new Error(`Expected the native backend for --threads but ${backend.name} runs (${backend.note})`);
        setNumThreads(flags.threads as number);
      }
      // The backend line comes from planning (an event): auto may time the run's own step first.
      const every = flags.progressEvery as number | undefined;
      const progress = createProgress(every !== undefined ? { everySeconds: every } : {});
      const stop = stopOnSignals(progress);
      try {
        progress.phase(request.resume ? `opening the run in ${request.out}` : `opening ${request.data}`);
        const result = await train(request, {
          onPhase: (text) => progress.phase(text),
          onStart: (plan) => progress.start(plan),
          onStep: (step, total, stats) => progress.step(step, total, stats),
          onEvent: (message) => progress.log(message),
          signal: stop.signal,
          checkpointRequested: stop.checkpointRequested,
          nanAtStep: faultStep(),
          slowStepMs: slowStepMs(),
        });
        progress.stop();
        if (result.interruptedAt !== undefined) {
          console.log(
            `interrupted after step ${result.interruptedAt} (checkpoint saved); continue with: gankit train ` +
              `--resume --out ${result.runDir}`,
          );
          process.exitCode = stop.exitCode();
          return;
        }
        reportResult(result);
      } finally {
        progress.stop();
        stop.dispose();
      }
    });
}

/** The run's last lines: what was trained, the final numbers, warnings and rollbacks, and the verdict last. */
function reportResult(result: TrainResult): void {
  const perSecond = result.trainedSteps / result.seconds;
  const rate = perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toPrecision(2);
  const of =
    result.trainedSteps < result.options.steps
      ? ` (steps ${result.options.steps - result.trainedSteps + 1}–${result.options.steps} of the run)`
      : '';
  console.log(
    `trained ${result.trainedSteps} steps${of} in ${result.seconds.toFixed(1)} s (${rate} steps/s, ` +
      `backend ${result.backend.name})`,
  );
  if (result.metrics) console.log(`final: ${describeMetrics(result.metrics)}${describeConditional(result.metrics)}`);
  if (result.scores) console.log(`final: ${describeScores(result.scores)}`);
  for (const warning of result.warnings) console.log(`warning: ${warning}`);
  const last = result.rollbacks.at(-1);
  if (last)
    console.log(
      `rolled back ${result.rollbacks.length} time${result.rollbacks.length > 1 ? 's' : ''} after the ` +
        `losses diverged; the learning rates ran at ×${last.lrScale} from step ${last.to} ` +
        '(stats.jsonl has each)',
    );
  console.log(
    `wrote ${path.join(result.runDir, 'metrics.json')}, pictures (*.png) and checkpoints in ${result.runDir}`,
  );
  if (result.verdict) console.log(`verdict: ${result.verdict}`); // the last line: how good, what to look at
}

/**
 * SIGINT (Ctrl-C) and SIGTERM: the first stops the run after the current step, with a
 * checkpoint, and the command exits 128 + the signal's number (130, 143). A second one
 * exits at once: every file of a run is replaced atomically, so this loses at most the
 * checkpoint being written, and the previous one stays resumable. SIGUSR2 asks for a
 * checkpoint after the current step, and training goes on (the dashboard's "checkpoint
 * now"); not SIGUSR1, which starts Node's inspector.
 */
function stopOnSignals(progress: { log(message: string): void }) {
  const abort = new AbortController();
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
  let received: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received === undefined) {
      received = signal;
      progress.log(`${signal}: stopping after this step and saving a checkpoint (${signal} again stops at once)`);
      abort.abort();
      return;
    }
    releaseRunLocks();
    console.error(`${signal} again: stopped without finishing the checkpoint; the previous one is intact`);
    process.exit(codes[signal]);
  };
  let checkpointAsked = false;
  const onCheckpointSignal = () => {
    if (!checkpointAsked) progress.log('SIGUSR2: saving a checkpoint after this step, then training goes on');
    checkpointAsked = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGUSR2', onCheckpointSignal);
  return {
    signal: abort.signal,
    exitCode: () => codes[received ?? 'SIGINT'],
    checkpointRequested() {
      const asked = checkpointAsked;
      checkpointAsked = false;
      return asked;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGUSR2', onCheckpointSignal);
    },
  };
}

/** GANKIT_INJECT_NAN_AT=STEP: the reliability tests' fault injection (src/train/faults.ts). */
function faultStep(): number | undefined {
  const text = process.env.GANKIT_INJECT_NAN_AT;
  if (text === undefined) return undefined;
  const step = Number(text);
  if (!Number.isInteger(step) || step < 1)
    throw new Error(`Expected GANKIT_INJECT_NAN_AT to be a step number (≥ 1) but received "${text}"`);
  return step;
}

/** GANKIT_SLOW_STEP_MS=MS: every step blocks this much longer (the progress tests' slow steps). */
function slowStepMs(): number | undefined {
  const text = process.env.GANKIT_SLOW_STEP_MS;
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`Expected GANKIT_SLOW_STEP_MS to be milliseconds (≥ 0) but received "${text}"`);
  return ms;
}

/** The flag of one option: its parser (or choices) and its defaults in the help. */
function optionFor(row: OptionRow): Option {
  const show = (x: unknown) => (Array.isArray(x) ? x.join(',') : String(x));
  const plain = row.images === undefined && !row.defaultNote && !row.defaultShown;
  const images = row.images !== undefined ? `; images: ${show(row.images)}` : '';
  const note = row.defaultNote ? `; ${row.defaultNote}` : '';
  const help = plain ? row.help : `${row.help} (default: ${row.defaultShown ?? show(row.default)}${images}${note})`;
  const option = new Option(row.flag!, help);
  // 'custom' networks come only through the library (TrainRequest.networks).
  // Choices show in the help; the parser after them refuses a near miss with "did you mean".
  if (row.type.choices) {
    const choices = row.type.choices.filter((c) => c !== 'custom');
    option.choices(choices).argParser(flagParser(oneOf(choices)));
  } else option.argParser(flagParser(row.type));
  // A default that is the same for every data set is commander's (it shows it); one that
  // depends on the data is left to the library, so an option left out stays undefined.
  if (plain) option.default(row.default, Array.isArray(row.default) ? show(row.default) : undefined);
  return option;
}

/** Maps flags to the library's request; only flags the user gave override a resumed run. */
function toRequest(flags: Record<string, unknown>, command: Command): TrainRequest {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const data = (flags.data as string | undefined) ?? DEFAULT_OPTIONS.data;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const out =
    (flags.out as string | undefined) ?? path.join('runs', `${path.basename(data).replace(/\.[a-z]+$/i, '')}-${stamp}`);
  if (flags.resume) {
    if (!given('out')) throw new Error('Expected --out DIR with --resume (the run to continue) but received none');
    if (flags.force)
      throw new Error('Expected either --resume (continue the run) or --force (replace it) but received both');
    return {
      resume: true,
      out,
      ...(given('steps') ? { steps: flags.steps as number } : {}),
      ...(given('recover') ? { recover: flags.recover as number } : {}),
      ...(given('backend') ? { backend: flags.backend as TrainOptions['backend'] } : {}),
    };
  }
  const request: Record<string, unknown> = {};
  for (const row of OPTIONS) {
    const flag = row.flag && command.options.find((o) => o.flags === row.flag);
    if (flag) request[row.name] = flags[flag.attributeName()];
  }
  const lr = flags.lr as number | undefined;
  request.lrG ??= lr;
  request.lrD ??= lr;
  return { ...(request as Partial<TrainOptions>), data, out, force: Boolean(flags.force) };
}
