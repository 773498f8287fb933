// model.json as untrusted input (io/model-files.ts): damaged graphs that make tfjs loop
// forever, manifest paths out of the folder, devices, folders and sizes that do not add
// up are each refused within seconds with the file named; valid files, including a graph
// listed out of order, still load. The loop itself is shown with tfjs's own loader in a
// worker thread: the graphs refused as "tfjs would loop" do make it loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadModel, saveModel } from '../../src/io/model-files.js';
import { fixture } from '../reference-lines.js';

/** A 2 → 16 → 16 → 2 MLP generator (Dense, ReLU, Dense, ReLU, Dense) written by gankit's saveModel. */
const SOURCE = fixture('run-v0', 'checkpoints', 'step-0000030', 'generator');
const FAST = { timeout: 10_000 };

type ModelJson = {
  modelTopology: {
    config: {
      layers: { name: string; class_name: string; config: { name: string }; inbound_nodes: unknown[][][] }[];
      output_layers: unknown[];
    };
  };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
};

/** A copy of the fixture model in a fresh folder, its model.json changed by `mutate`. */
function copyModel(mutate: (json: ModelJson, dir: string) => void = () => {}): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-model-')), 'generator');
  cpSync(SOURCE, dir, { recursive: true });
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  mutate(json, dir);
  writeFileSync(file, JSON.stringify(json));
  return dir;
}
const layers = (j: ModelJson) => j.modelTopology.config.layers;

async function refused(dir: string, pattern: RegExp): Promise<string> {
  let message = '';
  await assert.rejects(loadModel(dir), (err: Error) => {
    assert.equal(err.constructor, Error, `a ${err.constructor.name}: ${err.message}`);
    assert.ok(err.message.includes(path.join(dir, 'model.json')), `the file is not named: ${err.message}`);
    assert.match(err.message, pattern);
    message = err.message;
    return true;
  });
  return message;
}

const outputs = (model: Awaited<ReturnType<typeof loadModel>>) =>
  tf.tidy(() =>
    Array.from(
      (
        model.predict(
          tf.tensor2d([
            [0.5, -1],
            [2, 0.25],
          ]),
        ) as tf.Tensor
      ).dataSync(),
    ),
  );

test('a valid model.json loads; one listing its layers in reverse order too, with the same outputs', FAST, async () => {
  await initBackend('cpu');
  const original = await loadModel(copyModel());
  const reversed = await loadModel(copyModel((j) => layers(j).reverse()));
  assert.deepEqual(outputs(reversed), outputs(original));
  original.dispose();
  reversed.dispose();
});

test('a deleted layer is refused within seconds, naming the layer missing', FAST, async () => {
  await refused(
    copyModel((j) => layers(j).splice(2, 1)),
    /inbound node 0 of layer "generator_dense2" .* names layer "generator_relu1", which the model does not have/,
  );
});

test('an altered inbound node is refused within seconds: a node index, a layer name, a cycle', FAST, async () => {
  await refused(
    copyModel((j) => (layers(j)[2].inbound_nodes[0][0][1] = 1)),
    /names node 1 of layer "generator_dense1", which never has more than 1/,
  );
  await refused(
    copyModel((j) => (layers(j)[2].inbound_nodes[0][0][0] = 'elsewhere')),
    /names layer "elsewhere", which the model does not have/,
  );
  await refused(
    copyModel((j) => (layers(j)[1].inbound_nodes[0][0][0] = 'generator_relu2')),
    /wait on each other \(a cycle\)/,
  );
  // An out-of-range tensor index makes tfjs throw (it does not loop): reported as tfjs's failure.
  await refused(
    copyModel((j) => (layers(j)[2].inbound_nodes[0][0][2] = 5)),
    /that tfjs can build but tfjs failed: /,
  );
});

test('duplicate layer names, a missing output layer, a malformed node: refused', FAST, async () => {
  await refused(
    copyModel((j) => {
      layers(j)[2].name = layers(j)[2].config.name = 'generator_dense1';
    }),
    /two layers of the model are named "generator_dense1"/,
  );
  await refused(
    copyModel((j) => (j.modelTopology.config.output_layers = [['nowhere', 0, 0]])),
    /outputLayers of the model names layer "nowhere"/,
  );
  await refused(
    copyModel((j) => (layers(j)[2].inbound_nodes = [['generator_dense1'] as unknown as unknown[][]])),
    /instead of \[layer name, node index, tensor index/,
  );
});

test(
  'manifest paths: "../", absolute, /dev/zero, a link out of the folder, a folder: refused unread',
  FAST,
  async () => {
    // A file of exactly the right size beside the folder: only the path check can refuse it.
    const outside = copyModel((j, dir) => {
      cpSync(path.join(dir, 'weights.bin'), path.join(dir, '..', 'stolen.bin'));
      j.weightsManifest[0].paths = ['../stolen.bin'];
    });
    await refused(outside, /paths\[0\] is "\.\.\/stolen\.bin", which is not a path inside the model's folder/);
    await refused(
      copyModel((j, dir) => (j.weightsManifest[0].paths = [path.join(dir, 'weights.bin')])),
      /which is not a path inside the model's folder/,
    );
    await refused(
      copyModel((j) => (j.weightsManifest[0].paths = ['/dev/zero'])),
      /"\/dev\/zero", which is not a path inside/,
    );
    await refused(
      copyModel((j, dir) => {
        cpSync(path.join(dir, 'weights.bin'), path.join(dir, '..', 'elsewhere.bin'));
        symlinkSync(path.join(dir, '..', 'elsewhere.bin'), path.join(dir, 'link.bin'));
        j.weightsManifest[0].paths = ['link.bin'];
      }),
      /a link to .*elsewhere\.bin outside the model's folder/,
    );
    await refused(
      copyModel((j, dir) => {
        symlinkSync('/dev/zero', path.join(dir, 'zero.bin'));
        j.weightsManifest[0].paths = ['zero.bin'];
      }),
      /zero\.bin, a link to \/dev\/zero outside the model's folder/,
    );
    await refused(
      copyModel((j, dir) => {
        mkdirSync(path.join(dir, 'sub'));
        j.weightsManifest[0].paths = ['sub'];
      }),
      /names .*sub, which is not a regular file/,
    );
    // A link that stays inside the folder is fine.
    const inside = copyModel((j, dir) => {
      symlinkSync('weights.bin', path.join(dir, 'same.bin'));
      j.weightsManifest[0].paths = ['./same.bin'];
    });
    (await loadModel(inside)).dispose();
  },
);

test('weight specs: a huge shape, a negative or fractional dimension, a size that does not add up', FAST, async () => {
  await refused(
    copyModel((j) => (j.weightsManifest[0].weights[0].shape = [1e9, 1e9])),
    /shape \[1000000000,1000000000\] is impossibly large/,
  );
  await refused(
    copyModel((j) => (j.weightsManifest[0].weights[0].shape = [2e6, 16])),
    new RegExp(
      `need ${4 * (2e6 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2)} bytes and its files \\(.*weights\\.bin\\) hold 1416`,
    ),
  );
  await refused(
    copyModel((j) => (j.weightsManifest[0].weights[0].shape = [-2, 16])),
    /shape is \[-2,16\]/,
  );
  await refused(
    copyModel((j) => (j.weightsManifest[0].weights[0].shape = [2.5, 16])),
    /shape is \[2\.5,16\]/,
  );
  await refused(
    copyModel((j) => (j.weightsManifest[0].weights[0].dtype = 'string')),
    /dtype is "string"/,
  );
  const truncated = copyModel((_j, dir) => {
    const bytes = readFileSync(path.join(dir, 'weights.bin'));
    writeFileSync(path.join(dir, 'weights.bin'), bytes.subarray(0, bytes.length - 4));
  });
  assert.equal(statSync(path.join(truncated, 'weights.bin')).size, 1412);
  await refused(truncated, /need 1416 bytes and its files \(.*weights\.bin\) hold 1412/);
});

test('wrong JSON types anywhere: refused with the file named, never a TypeError', FAST, async () => {
  const cases: [string, (j: ModelJson) => void][] = [
    ['modelTopology null', (j) => ((j as unknown as Record<string, unknown>).modelTopology = null)],
    ['manifest object', (j) => ((j as unknown as Record<string, unknown>).weightsManifest = {})],
    ['paths string', (j) => ((j.weightsManifest[0] as unknown as Record<string, unknown>).paths = 'weights.bin')],
    ['layers object', (j) => ((j.modelTopology.config as unknown as Record<string, unknown>).layers = {})],
    ['inbound nodes number', (j) => ((layers(j)[1] as unknown as Record<string, unknown>).inbound_nodes = 3)],
    ['class name number', (j) => ((layers(j)[1] as unknown as Record<string, unknown>).class_name = 7)],
    ['unknown class', (j) => (layers(j)[1].class_name = 'NoSuchLayer')],
  ];
  for (const [name, mutate] of cases) {
    await assert.rejects(loadModel(copyModel(mutate)), (err: Error) => {
      assert.equal(err.constructor, Error, `${name}: a ${err.constructor.name}: ${err.message}`);
      assert.match(err.message, /model\.json/, name);
      return true;
    });
  }
  const notJson = copyModel();
  writeFileSync(path.join(notJson, 'model.json'), '{"modelTopology": ');
  await refused(notJson, /is not JSON/);
});

/**
 * Whether tfjs's own loader, given model.json from `dir`, finishes within `ms` (in a
 * worker, terminated otherwise): 'built', 'threw' or 'looped'.
 */
async function tfjsAlone(dir: string, ms: number): Promise<'built' | 'threw' | 'looped'> {
  const require = createRequire(import.meta.url);
  const modules = {
    core: require.resolve('@tensorflow/tfjs-core'),
    cpu: require.resolve('@tensorflow/tfjs-backend-cpu'),
    layers: require.resolve('@tensorflow/tfjs-layers'),
  };
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(path.join(dir, 'weights.bin'));
  const code = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    const tf = require(w.modules.core); require(w.modules.cpu); const tfl = require(w.modules.layers);
    tf.setBackend('cpu').then(() => tfl.loadLayersModel(tf.io.fromMemory({
      modelTopology: w.json.modelTopology, weightSpecs: w.json.weightsManifest[0].weights,
      weightData: new Uint8Array(w.weights).buffer }))).then(() => parentPort.postMessage('built'),
      () => parentPort.postMessage('threw'));`;
  const worker = new Worker(code, { eval: true, workerData: { modules, json, weights: Array.from(weights) } });
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('looped'), ms);
      worker.on('message', (m) => (clearTimeout(timer), resolve(m)));
      worker.on('error', () => (clearTimeout(timer), resolve('threw')));
    });
  } finally {
    await worker.terminate();
  }
}

test(
  'the graphs refused as loops do make tfjs loop; a valid one builds, a bad tensor index throws',
  {
    timeout: 60_000,
  },
  async () => {
    const looping = [
      copyModel((j) => layers(j).splice(2, 1)),
      copyModel((j) => (layers(j)[2].inbound_nodes[0][0][1] = 1)),
      copyModel((j) => (layers(j)[1].inbound_nodes[0][0][0] = 'generator_relu2')),
    ];
    const outcomes = await Promise.all([
      tfjsAlone(copyModel(), 20_000),
      tfjsAlone(
        copyModel((j) => (layers(j)[2].inbound_nodes[0][0][2] = 5)),
        20_000,
      ),
      ...looping.map((dir) => tfjsAlone(dir, 3_000)),
    ]);
    assert.deepEqual(outcomes, ['built', 'threw', 'looped', 'looped', 'looped']);
  },
);

test('Sequential models: saved and loaded; a damaged layer list is refused with the file named', FAST, async () => {
  await initBackend('cpu');
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tfl.layers.dense({ units: 2 })],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-sequential-'));
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const x = tf.tensor2d([[1, -2, 0.5]]);
  assert.deepEqual(
    tf.tidy(() => Array.from((loaded.predict(x) as tf.Tensor).dataSync())),
    tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync())),
  );
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(json.modelTopology.class_name, 'Sequential');
  json.modelTopology.config.layers = 'dense';
  writeFileSync(file, JSON.stringify(json));
  await refused(dir, /the model \(a Sequential model\) has no list of layers/);
  x.dispose();
  model.dispose();
  loaded.dispose();
});
