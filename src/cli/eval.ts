// `gankit eval`: scores a run's generator, or samples made by any tool (.npy or a
// folder of PNGs), with named metrics, each beside its real-vs-real reference.
// Progress goes to stderr, so --json leaves stdout one JSON object.
import { Command, InvalidArgumentError, Option } from 'commander';
import { describeBackend, initBackend } from '../backend/index.js';
import { checkCounts, evaluateGenerator, evaluateSamples } from '../metrics/evaluate.js';
import { METRICS, METRIC_NAMES, metricsByName, samplesNeeded } from '../metrics/registry.js';
import { ReferenceData } from '../metrics/reference.js';
import { countSamples, readSamples } from '../metrics/samples.js';
import { openRun } from '../run/open.js';
import { evaluateConditionalRun } from '../sampling/conditional-eval.js';
import { integer, positiveInt } from './parse.js';
import { didYouMean } from '../suggest.js';
import { withProgress, type CommandProgress } from './live-line.js';

interface EvalFlags {
  run?: string;
  samples?: string;
  data?: string;
  metrics: string[];
  json?: boolean;
  conditional?: boolean;
  features?: string;
  n?: number;
  seed?: number;
  generator: 'average' | 'trained';
  out?: string;
}

const DEFAULT_METRICS = 'fid10k,kid,pr';

export function evalCommand(): Command {
  return new Command('eval')
    .description(
      "Measure a run's generator, or samples from any tool, on an image data set: each metric beside its " +
        'real-vs-real reference (the same protocol with test images in place of samples). Metrics: ' +
        METRIC_NAMES.join(', ') +
        '.',
    )
    .option('--run <dir>', 'run directory written by gankit train (samples are generated)')
    .option(
      '--samples <path>',
      'samples to score: .npy (float32 in [−1, 1] or uint8, N×H×W×C or N×H×W) or a folder of PNGs',
    )
    .option('--data <name>', "the data set the samples imitate, with a test split (default: the run's data)")
    .addOption(
      new Option('--metrics <list>', `comma-separated: ${METRIC_NAMES.join(', ')}`)
        .argParser(metricList)
        .default(metricList(DEFAULT_METRICS), DEFAULT_METRICS),
    )
    .option('--json', 'print one JSON object of numbers instead of a table')
    .option(
      '--conditional',
      'a cgan/acgan run: conditional accuracy (class-k samples the classifier calls k, averaged over classes); an ' +
        'infogan run: its categorical code as a classifier under the best one-to-one mapping (Hungarian); --n ' +
        'samples per class (default 1,000); prints one JSON object',
    )
    .option(
      '--features <dir>',
      "a tfjs layers model to take features from instead of gankit's (its features.json names the layer; else the " +
        'penultimate)',
    )
    .option(
      '--n <count>',
      '--run: samples for the metrics that read all samples (fid, kid, is, pr, classes; default 10,000; fid10k, ' +
        'nn and parzen read their own counts); --samples: read only the first N',
      positiveInt,
    )
    .option('--seed <n>', "seed for z (default: the run's seed)", integer)
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G")
        .choices(['average', 'trained'])
        .default('average'),
    )
    .option('--out <dir>', 'folder for pictures: nn.png (the samples nearest to training images, beside them)')
    .addHelpText(
      'after',
      '\nMetrics (each value has a reference under its name + _real: the same protocol on test images):\n' +
        Object.values(METRICS)
          .flatMap((m) =>
            m.rows.map((r) => `  ${(m.name === r.key ? m.name : `${m.name}: ${r.key}`).padEnd(20)} ${r.meaning}`),
          )
          .join('\n') +
        '\n\nExamples:\n' +
        '  gankit eval --run runs/fashion --metrics fid10k,kid,pr,nn,parzen --out runs/fashion/eval\n' +
        '  gankit eval --samples s.npy --data fashion-mnist --metrics fid10k,kid --json',
    )
    .action(async (flags: EvalFlags) => {
      // The results come after the progress line has gone: stdout is theirs alone.
      const results = await withProgress('evaluating', (progress) => evaluate(flags, progress), { stream: 'stderr' });
      console.log(results);
    });
}

/** The evaluation the flags ask for: its results as text (a table, or JSON). */
async function evaluate(flags: EvalFlags, progress: CommandProgress): Promise<string> {
  const say = progress.say;
  if ((flags.run === undefined) === (flags.samples === undefined)) {
    throw new Error(
      `Expected exactly one of --run or --samples but received ${flags.run === undefined ? 'neither' : 'both'}`,
    );
  }
  if (flags.conditional) {
    if (flags.run === undefined)
      throw new Error('Expected --run DIR (a cgan, acgan or infogan run) with --conditional but received none');
    say(describeBackend(await initBackend()));
    const results = await evaluateConditionalRun({
      run: flags.run,
      data: flags.data,
      seed: flags.seed,
      generator: flags.generator,
      features: flags.features,
      perClass: flags.n,
      say,
    });
    return JSON.stringify(results);
  }
  const metrics = metricsByName(flags.metrics); // unknown names fail before anything loads
  const onProgress = (what: string, done: number, total: number) => progress.count(done, total, what);
  const common = { metrics: flags.metrics, features: flags.features, out: flags.out, say, onProgress };
  let results: Record<string, number>;
  // Too few samples is refused before any data set is loaded or downloaded.
  if (flags.run !== undefined) {
    const n = flags.n ?? samplesNeeded(metrics);
    checkCounts(metrics, n);
    const { options, model, output } = await openRun(flags.run, flags.generator);
    try {
      if (output.kind !== 'image')
        throw new Error(
          `Expected an image run for eval but ${flags.run}'s generator outputs 2D points: its metrics are in ` +
            'metrics.json',
        );
      say(describeBackend(await initBackend()));
      results = await evaluateGenerator(model, {
        ...common,
        data: flags.data ?? options.data,
        latentDim: options.latentDim,
        prior: options.prior,
        seed: flags.seed ?? options.seed,
        samples: n,
      });
    } finally {
      model.dispose();
    }
  } else {
    if (flags.data === undefined)
      throw new Error(
        'Expected --data (the data set the samples imitate, e.g. fashion-mnist) with --samples but received none',
      );
    if (flags.seed !== undefined)
      throw new Error('Expected --seed with --run only (it seeds z) but received it with --samples');
    checkCounts(metrics, await countSamples(flags.samples!, flags.n));
    say(describeBackend(await initBackend()));
    // PNGs decode to the data's channels (torchvision's save_image writes grey images as RGB).
    const reference = await ReferenceData.open(flags.data, { say, onProgress });
    const samples = await readSamples(flags.samples!, {
      limit: flags.n,
      channels: reference.shape[2] === 3 ? 3 : 1,
    });
    results = await evaluateSamples(samples, { ...common, data: flags.data });
  }
  return flags.json ? JSON.stringify(results) : table(results, flags.metrics);
}

function metricList(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.find((n) => !METRIC_NAMES.includes(n));
  if (names.length === 0 || unknown !== undefined) {
    throw new InvalidArgumentError(
      `Expected a comma-separated list from ${METRIC_NAMES.join(', ')} but received "${text}".` +
        (unknown !== undefined ? didYouMean(unknown, METRIC_NAMES) : ''),
    );
  }
  return [...new Set(names)];
}

/** metric | value | real vs real | meaning; spreads (± std or standard error) beside their values. */
function table(results: Record<string, number>, names: string[]): string {
  const format = (key: string) => {
    const v = results[key];
    if (v === undefined) return '';
    const spread = results[`${key}_std`] ?? results[`${key}_se`];
    return spread === undefined ? number(v) : `${number(v)} ± ${number(spread)}`;
  };
  const rows = metricsByName(names).flatMap((m) =>
    m.rows.map((r) => [r.key, format(r.key), format(r.reference), r.meaning]),
  );
  const header = ['metric', 'value', 'real vs real', 'meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n(--json prints every number, e.g. the class fractions)';
}

function number(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}
