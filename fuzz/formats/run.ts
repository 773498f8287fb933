// The run directory's files as fuzz targets: a checkpoint's model.json, weights.bin,
// state.json, optimizers.bin and `latest`; a version 1 checkpoint (no checksums, so
// mutations reach the readers behind them); a bare tfjs model folder (an export, the
// feature network); options.json; stats.jsonl. The valid instance is a real small run,
// trained once per process and copied for each case; `read` does with the files what
// `gankit train --resume` and `gankit sample` do. Mutations of model.json inside a
// version 2 checkpoint re-sign it in state.json, as a crafted file would be, so that
// they reach the model reader instead of stopping at the checksum.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzFormat } from '../format.js';
import type { Rng } from '../../src/rng.js';
import { checkpointStep, findCheckpoint, loadCheckpoint } from '../../src/run/checkpoint.js';
import { loadModel } from '../../src/io/model-files.js';
import { resolveSavedOptions } from '../../src/run/options-file.js';
import { readRunInfo } from '../../src/run/open.js';
import { History } from '../../src/run/stats.js';
import { runPaths } from '../../src/run/paths.js';
import { resolveOptions } from '../../src/train/options.js';
import { train } from '../../src/train/trainer.js';

/** The repository root: this file runs as dist/fuzz/formats/run.js. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RUN_V0 = path.join(REPO, 'test', 'fixtures', 'run-v0');
const ROLES = ['generator', 'discriminator', 'generatorAverage'];

let trained: Promise<string> | undefined;

/** A real run: ring8, 20 steps, tiny networks, G's average, checkpoints at 10 and 20 (version 2). */
function validRun(): Promise<string> {
  trained ??= (async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-fuzz-run-')), 'run');
    await train({
      ...{ data: 'ring8', steps: 20, checkpointEvery: 10, evalEvery: 0, plotEvery: 0, evalSamples: 200 },
      ...{ gHidden: [8], dHidden: [8], batchSize: 32, latentDim: 2, ema: 0.9, backend: 'cpu', seed: 3, out },
    });
    return out;
  })();
  return trained;
}

const latestDir = (dir: string) => path.join(runPaths(dir).checkpoints, 'step-0000020');

/** What train --resume reads of a checkpoint: the one to continue from, loaded and checked. */
async function readCheckpoint(dir: string): Promise<unknown> {
  const found = await findCheckpoint(dir);
  if (!found) throw new Error(`Expected a checkpoint in ${runPaths(dir).checkpoints} but found none`);
  const { models, state } = await loadCheckpoint(found.dir);
  for (const model of Object.values(models)) model?.dispose();
  return { dir: found.dir, note: found.note, step: state.step };
}

// ── JSON mutations ─────────────────────────────────────────────────────────────

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A mutation that edits `file` as JSON. */
const jsonMutation = (name: string, edit: (json: Json, rng: Rng, file: string) => void) => ({
  name,
  async apply(file: string, rng: Rng) {
    let json: Json;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return; // applied to a file that is not JSON (or no longer): nothing of this mutation applies
    }
    edit(json, rng, file);
    writeFileSync(file, JSON.stringify(json));
    resign(file);
  },
});

/** Records `file`'s new size and SHA-256 in its version 2 checkpoint's state.json, when it is in one. */
function resign(file: string): void {
  const checkpoint = path.dirname(path.dirname(file));
  const stateFile = path.join(checkpoint, 'state.json');
  let state: Json;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return; // not in a checkpoint
  }
  const name = path.relative(checkpoint, file).split(path.sep).join('/');
  if (!state.files?.[name]) return;
  const bytes = readFileSync(file);
  state.files[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  writeFileSync(stateFile, JSON.stringify(state));
}

const layersOf = (json: Json) => json.modelTopology.config.layers as Json[];
const pick = <T>(rng: Rng, items: T[]) => items[rng.int(items.length)];

const MODEL_JSON_MUTATIONS = [
  jsonMutation('delete a layer', (j, rng) => layersOf(j).splice(1 + rng.int(layersOf(j).length - 1), 1)),
  jsonMutation('inbound node index past the end', (j, rng) => {
    const layer = pick(
      rng,
      layersOf(j).filter((l) => l.inbound_nodes.length > 0),
    );
    layer.inbound_nodes[0][0][1] = 1 + rng.int(3);
  }),
  jsonMutation('inbound node names another layer', (j, rng) => {
    const layer = pick(
      rng,
      layersOf(j).filter((l) => l.inbound_nodes.length > 0),
    );
    layer.inbound_nodes[0][0][0] = pick(rng, [...layersOf(j).map((l) => l.name), 'missing_layer']);
  }),
  jsonMutation('inbound tensor index past the end', (j) => (layersOf(j).at(-1)!.inbound_nodes[0][0][2] = 3)),
  jsonMutation('a cycle', (j) => (layersOf(j)[1].inbound_nodes[0][0][0] = layersOf(j).at(-1)!.name)),
  jsonMutation('duplicate layer name', (j) => (layersOf(j).at(-1)!.name = layersOf(j)[1].name)),
  jsonMutation('manifest path ../x', (j) => (j.weightsManifest[0].paths = ['../x'])),
  jsonMutation('manifest path /dev/zero', (j) => (j.weightsManifest[0].paths = ['/dev/zero'])),
  jsonMutation('manifest path a folder', (j) => (j.weightsManifest[0].paths = ['.'])),
  jsonMutation('huge weight shape', (j, rng) => (pick(rng, j.weightsManifest[0].weights as Json[]).shape = [1e9, 1e9])),
  jsonMutation('weight shape of another size', (j) => (j.weightsManifest[0].weights[0].shape = [3, 1000])),
  jsonMutation('weight dtype string', (j) => (j.weightsManifest[0].weights[0].dtype = 'string')),
  jsonMutation('huge layer units', (j) => (layersOf(j)[1].config.units = 1e8)),
  jsonMutation('layers is an object', (j) => (j.modelTopology.config.layers = { a: 1 })),
  jsonMutation('unknown layer class', (j) => (layersOf(j)[1].class_name = 'NoSuchLayer')),
  jsonMutation('output layer missing', (j) => (j.modelTopology.config.output_layers = [['nowhere', 0, 0]])),
];

const STATE_MUTATIONS = [
  jsonMutation('huge slotSizes', (j) => (j.optimizers.generator.slotSizes[0] = 2 ** 40)),
  jsonMutation('slotSizes 1e300', (j) => (j.optimizers.discriminator.slotSizes[0] = 1e300)),
  jsonMutation('slotSizes a string', (j) => (j.optimizers.generator.slotSizes = '12')),
  jsonMutation('negative step', (j) => (j.step = -5)),
  jsonMutation('step a string', (j) => (j.step = '20')),
  jsonMutation('rng of three', (j) => j.rng.pop()),
  jsonMutation('rng of text', (j) => (j.rng = ['a', 'b', 'c', 'd'])),
  jsonMutation('unknown optimizer', (j) => (j.optimizers.generator.kind = 'rmsprop')),
  jsonMutation('optimizers null', (j) => (j.optimizers = null)),
  jsonMutation('a checksum removed', (j) => delete j.files?.['generator/weights.bin']),
  jsonMutation('a checksum changed', (j) => j.files && (j.files['optimizers.bin'].sha256 = '0'.repeat(64))),
  jsonMutation('files a list', (j) => (j.files = [])),
  jsonMutation('a newer version', (j) => (j.version = 3)),
];

const OPTIONS_MUTATIONS = [
  jsonMutation('data a number', (j) => (j.data = 5)),
  jsonMutation('data unknown', (j) => (j.data = 'no-such-data')),
  jsonMutation('latentDim huge', (j) => (j.latentDim = 1e12)),
  jsonMutation('latentDim a string', (j) => (j.latentDim = '2')),
  jsonMutation('steps negative', (j) => (j.steps = -1)),
  jsonMutation('gHidden a string', (j) => (j.gHidden = '8,8')),
  jsonMutation('gHidden huge', (j) => (j.gHidden = [1e9])),
  jsonMutation('prior unknown', (j) => (j.prior = 'cauchy')),
  jsonMutation('model unknown', (j) => (j.model = 'transformer')),
  jsonMutation('a newer version', (j) => (j.version = 99)),
  jsonMutation('null options', (j) => Object.keys(j).forEach((k) => (j[k] = null))),
];

/** A mutation that rewrites stats.jsonl's lines. */
const linesMutation = (name: string, edit: (lines: string[], rng: Rng) => string) => ({
  name,
  async apply(file: string, rng: Rng) {
    writeFileSync(file, edit(readFileSync(file, 'utf8').trimEnd().split('\n'), rng));
  },
});

const STATS_MUTATIONS = [
  linesMutation('torn last line', (l, rng) => l.join('\n') + '\n' + l.at(-1)!.slice(0, 1 + rng.int(20))),
  linesMutation('zero-filled tail', (l) => l.join('\n') + '\n' + '\0'.repeat(512)),
  linesMutation('garbage middle line', (l, rng) =>
    l.map((x, i) => (i === rng.int(l.length - 1) ? '{"st' : x)).join('\n'),
  ),
  linesMutation('a step line repeated', (l) => [...l.slice(0, 5), l[4], ...l.slice(5)].join('\n')),
  linesMutation('a line that is a list', (l) => ['[1,2]', ...l].join('\n')),
  linesMutation('step as a string', (l) =>
    l.map((x, i) => (i === 3 ? x.replace(/"step":(\d+)/, '"step":"$1"') : x)).join('\n'),
  ),
  linesMutation('loss as an object', (l) =>
    l.map((x, i) => (i === 2 ? x.replace(/"lossD":[^,]+/, '"lossD":{}') : x)).join('\n'),
  ),
  linesMutation('lines out of order', (l) => [...l].reverse().join('\n')),
];

const LATEST_MUTATIONS = [
  { name: 'names ../../etc', apply: async (file: string) => writeFileSync(file, '../../etc\n') },
  { name: 'names a missing step', apply: async (file: string) => writeFileSync(file, 'step-0000099\n') },
  { name: 'names the older step', apply: async (file: string) => writeFileSync(file, 'step-0000010\n') },
];

// ── Formats ────────────────────────────────────────────────────────────────────

/** A format over the cached run: `files` says which of its files mutations may change. */
function runFormat(
  name: string,
  files: (dir: string) => string[],
  read: (dir: string) => Promise<unknown>,
  mutations?: FuzzFormat['mutations'],
  single = true,
): FuzzFormat {
  return {
    name,
    async makeValid(dir) {
      cpSync(await validRun(), dir, { recursive: true });
      // One checkpoint only, so that a damaged one reaches its reader's refusal instead of
      // the fallback to the previous one (the `latest` format keeps both: the fallback is its subject).
      if (single) rmSync(path.join(runPaths(dir).checkpoints, 'step-0000010'), { recursive: true });
      return files(dir);
    },
    read,
    mutations,
  };
}

/** A format over a copy of test/fixtures/run-v0, whose checkpoints are version 1 (no checksums). */
function v1Format(name: string, files: (step: string) => string[], mutations?: FuzzFormat['mutations']): FuzzFormat {
  return {
    name,
    async makeValid(dir) {
      cpSync(RUN_V0, dir, { recursive: true });
      rmSync(path.join(runPaths(dir).checkpoints, 'step-0000020'), { recursive: true }); // see runFormat
      return files(path.join(runPaths(dir).checkpoints, 'step-0000030'));
    },
    read: readCheckpoint,
    mutations,
  };
}

const roleFiles = (file: string) => (dir: string) => ROLES.map((r) => path.join(latestDir(dir), r, file));

export const RUN_FORMATS: FuzzFormat[] = [
  runFormat('checkpoint model.json', roleFiles('model.json'), readCheckpoint, MODEL_JSON_MUTATIONS),
  runFormat('checkpoint weights.bin', roleFiles('weights.bin'), readCheckpoint),
  runFormat('checkpoint state.json', (d) => [path.join(latestDir(d), 'state.json')], readCheckpoint, STATE_MUTATIONS),
  runFormat('checkpoint optimizers.bin', (d) => [path.join(latestDir(d), 'optimizers.bin')], readCheckpoint),
  runFormat(
    'checkpoint latest',
    (d) => [path.join(runPaths(d).checkpoints, 'latest')],
    readCheckpoint,
    LATEST_MUTATIONS,
    false,
  ),
  v1Format(
    'checkpoint v1 model.json',
    (step) => ROLES.map((r) => path.join(step, r, 'model.json')),
    MODEL_JSON_MUTATIONS,
  ),
  v1Format('checkpoint v1 weights', (step) => [
    ...ROLES.map((r) => path.join(step, r, 'weights.bin')),
    path.join(step, 'optimizers.bin'),
  ]),
  v1Format(
    'checkpoint v1 state.json',
    (step) => [path.join(step, 'state.json')],
    STATE_MUTATIONS.filter((m) => !/checksum|files/.test(m.name)),
  ),
  {
    name: 'tfjs model',
    async makeValid(dir) {
      cpSync(path.join(latestDir(await validRun()), 'generator'), dir, { recursive: true });
      return [path.join(dir, 'model.json')]; // weights.bin: the checkpoint formats fuzz it
    },
    async read(dir) {
      (await loadModel(dir)).dispose();
    },
    mutations: MODEL_JSON_MUTATIONS,
  },
  runFormat(
    'options.json',
    (d) => [runPaths(d).options],
    async (dir) => {
      await readRunInfo(dir); // what gankit sample reads
      return resolveSavedOptions(dir, (values) => resolveOptions({ ...values, out: dir })); // what --resume reads
    },
    OPTIONS_MUTATIONS,
  ),
  runFormat(
    'stats.jsonl',
    (d) => [runPaths(d).stats],
    async (dir) => {
      const history = await History.resume(runPaths(dir).stats, await checkpointStep(latestDir(dir)));
      return { lines: history.lines.length, repairs: history.repairs };
    },
    STATS_MUTATIONS,
  ),
];
