// npm run train-features: retrains the shipped feature network from its fixed seed
// and writes it to assets/features/fashion-mnist (or --out).
import path from 'node:path';
import { Command } from 'commander';
import { describeBackend, initBackend } from '../backend/index.js';
import { flagParser, positiveInt, integer } from './parse.js';
import { positiveNumber as positive } from '../train/option-values.js';

const positiveNumber = flagParser(positive);
import { SHIPPED_FEATURES } from '../metrics/features/load.js';
import { trainFeatureNetwork, type TrainFeaturesOptions } from '../train/feature-network.js';

const program = new Command('train-features')
  .description(
    'Train the feature network gankit ships for its image metrics (Fashion-MNIST, plus MNIST when it is in the cache).',
  )
  .option('--out <dir>', 'folder for model.json, weights.bin and features.json', SHIPPED_FEATURES)
  .option('--seed <n>', 'seed of the initial weights, the order of batches and the shifts', integer, 1)
  .option('--epochs <n>', 'passes over the training set', positiveInt, 6)
  .option('--batch-size <n>', 'images per step', positiveInt, 128)
  .option('--lr <x>', "Adam's initial learning rate (cosine decay to 0)", positiveNumber, 2e-3)
  .option('--no-augment', 'no random shifts')
  .option('--no-mnist', 'Fashion-MNIST only, even when MNIST is in the cache');

program.parse(process.argv);
const flags = program.opts<Omit<TrainFeaturesOptions, 'script' | 'say'>>();
console.log(describeBackend(await initBackend()));
const script = `npm run train-features -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
const { info, seconds } = await trainFeatureNetwork({ ...flags, script, say: (m) => console.log(m) });
console.log(
  `wrote ${path.resolve(flags.out)} in ${seconds.toFixed(0)} s: test ` +
    `accuracy ${(100 * info.testAccuracy).toFixed(2)}%, sha256 ${info.sha256}`,
);
