// gankit's library API: everything the CLI does, as typed functions.
export { initBackend, describeBackend, BACKENDS, type BackendName, type BackendChoice } from './backend/index.js';
export { Rng, type RngState } from './rng.js';
export { toyDataset, gridCentres, densityGrid, TOY_DATASETS, type ToyDataset, type ToyName, type Bounds } from './data/toy.js';
export { game, GAMES, type Game, type GameName } from './games/losses.js';
export { gradientPenalty, r1Penalty, type Critic } from './games/penalties.js';
export { mlpGenerator, mlpDiscriminator, type MlpShape } from './networks/mlp.js';
export { dcgan28Generator, dcgan28Discriminator } from './networks/dcgan.js';
export { Optimizer, type OptimizerSpec, type OptimizerState } from './train/optimizers.js';
export { WeightAverage } from './train/ema.js';
export { Gan, generate, type StepStats, type BatchSource } from './train/gan.js';
export { train, type TrainRequest, type TrainHooks, type TrainResult } from './train/trainer.js';
export { resolveOptions, DEFAULT_OPTIONS, type TrainOptions } from './train/options.js';
export { saveCheckpoint, loadCheckpoint, latestCheckpoint, loadGenerator, type CheckpointModels, type CheckpointState } from './train/checkpoint.js';
export { modeMetrics, describeMetrics, MODE_METRIC_SAMPLES, type ModeMetrics } from './metrics/modes.js';
export { sampleRun, writeSamples, readRunOptions, type SampleRequest, type Samples } from './sampling/sample.js';
export { encodeNpy, decodeNpy, readNpy, writeNpy, type NpyArray } from './io/npy.js';
export { saveModel, loadModel } from './io/model-files.js';
export { plotSamples2d, plotDiscriminator2d, plot1d, plotCurves } from './plots/index.js';
