// gankit's library API: everything the CLI does, as typed functions.
export { initBackend, describeBackend, BACKENDS, type BackendName, type BackendChoice } from './backend/index.js';
export { Rng, type RngState } from './rng.js';
export {
  toyDataset,
  gridCentres,
  densityGrid,
  TOY_DATASETS,
  type ToyDataset,
  type ToyName,
  type Bounds,
} from './data/toy.js';
export { game, GAMES, type Game, type GameName } from './games/losses.js';
export { gradientPenalty, r1Penalty, type Critic } from './games/penalties.js';
export { mlpGenerator, mlpDiscriminator, type MlpShape } from './networks/mlp.js';
export {
  dcganGenerator,
  dcganDiscriminator,
  dcgan28Generator,
  dcgan28Discriminator,
  DCGAN_SIZES,
  type DcganShape,
  type DcganSize,
} from './networks/dcgan.js';
export { mlpImageGenerator, mlpImageDiscriminator, Maxout, type MlpImageShape } from './networks/mlp-image.js';
export { presetNetworks } from './networks/presets.js';
export type { Networks, NetworkOptions, ModelName } from './networks/options.js';
export {
  loadImages,
  ImageBatches,
  IMAGE_DATASETS,
  IMAGE_REGISTRY,
  isImageDataName,
  defaultDataDir,
  downloadFile,
  type ImageDataset,
  type LoadImagesOptions,
  type Split,
  type DownloadRequest,
} from './data/images/index.js';
export { Optimizer, type OptimizerSpec, type OptimizerOptions } from './train/optimizers.js';
export { WeightAverage } from './train/ema.js';
export { Gan, generate } from './train/gan.js';
export {
  augment,
  drawAugmentation,
  applyAugmentation,
  AUGMENTATIONS,
  type Augmentation,
  type AugmentDraw,
  type AugmentOptions,
} from './train/augment.js';
export { toyBatches, type Batch, type BatchSource } from './data/batches.js';
export { train, type TrainRequest, type TrainHooks, type TrainResult, type TrainPlan } from './train/trainer.js';
export { resolveOptions, isToyData, DEFAULT_OPTIONS, IMAGE_DEFAULTS, type TrainOptions } from './train/options.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  latestCheckpoint,
  loadGenerator,
  type CheckpointModels,
  type CheckpointState,
  type OptimizerState,
} from './run/checkpoint.js';
export { runPaths, type RunPaths } from './run/paths.js';
export { readOptionsFile, writeOptionsFile, OPTIONS_VERSION, type OptionsFile } from './run/options-file.js';
export { History, type StatsLine, type StepStats, type RunMetrics, type Rollback } from './run/stats.js';
export { findCheckpoint, removeTemporaries, type FoundCheckpoint } from './run/checkpoint.js';
export { lockRun, type RunLock } from './run/lock.js';
export { nativeMemoryUse, releaseNativeMemory, describeNativeMemory, type NativeMemoryUse } from './backend/memory.js';
export {
  modeMetrics,
  describeMetrics,
  MODE_METRIC_SAMPLES,
  type ModeMetrics,
  evaluateSamples,
  evaluateGenerator,
  prepareEvaluation,
  readSamples,
  METRICS,
  METRIC_NAMES,
  metricsByName,
  ReferenceData,
  gaussianStats,
  frechetDistance,
  kernelInceptionDistance,
  precisionRecall,
  inceptionScore,
  classHistogram,
  klDivergence,
  memorisation,
  parzenProtocol,
  parzenLogLikelihoods,
  openFeatureModel,
  featureExtractor,
  loadFeatureNetwork,
  type EvaluateOptions,
  type GeneratorEvaluation,
  type Metric,
  type GaussianStats,
  type FeatureModel,
  type FeatureExtractor,
} from './metrics/index.js';
export {
  sampleRun,
  sampleToFile,
  writeSamples,
  sampleTarget,
  readRunOptions,
  SAMPLE_FORMATS,
  CONDITIONAL_MODELS,
  type SampleRequest,
  type Samples,
  type SampleTarget,
} from './sampling/sample.js';
export {
  tileImages,
  encodePng,
  encodeGif,
  writeImageGrid,
  upscale,
  toByte,
  type Picture,
  type TileOptions,
} from './plots/grid.js';
export {
  lerp,
  slerp,
  defaultPath,
  interpolationLatents,
  loopLatents,
  interpolateRun,
  encodeInterpolation,
  type LatentPath,
  type InterpolateRequest,
  type Interpolation,
} from './sampling/interpolate.js';
export { drawLatents, runGenerator, type Prior } from './generate/latent.js';
export {
  jacobianNorms,
  keptRows,
  truncationPool,
  truncateDraw,
  drawPool,
  drawTruncated,
  firstRows,
  type LatentDraw,
  type CodeSource,
  type GeneratorCodes,
} from './generate/truncation.js';
export { readRunInfo, openRun, type RunOptions } from './run/open.js';
export { generatorOutput, type GeneratorOutput } from './generate/output.js';
export { exportGenerator, EXPORT_FILES, type ExportRequest, type ExportInfo } from './export/export.js';
export type { GeneratorMetadata } from './export/metadata.js';
export { encodeNpy, decodeNpy, decodeNpyTyped, readNpy, readNpyTyped, writeNpy, type NpyArray } from './io/npy.js';
export { saveModel, loadModel } from './io/model-files.js';
export { plotSamples2d, plotDiscriminator2d, plot1d, plotCurves } from './plots/index.js';
export {
  Conditioning,
  conditioningFor,
  isConditionalModel,
  classLoss,
  infoLoss,
  type ConditionalModel,
} from './games/conditional.js';
export {
  conditionalNetworks,
  dcganConditionalGenerator,
  dcganConditionalDiscriminator,
} from './networks/conditional.js';
export {
  conditionalGrid,
  openClassSampler,
  type ConditionalGrid,
  type ClassSamplerRun,
} from './sampling/conditional.js';
export { classGridInputs, traversalInputs } from './generate/conditional-inputs.js';
export {
  conditionalAccuracy,
  infoganCodeAccuracy,
  codeAccuracy,
  bestAssignment,
  type Classifier,
  type ClassSampler,
  type ConditionalAccuracy,
  type CodeAccuracy,
} from './metrics/conditional.js';
export { evaluateConditionalRun, type ConditionalEvaluation } from './sampling/conditional-eval.js';
