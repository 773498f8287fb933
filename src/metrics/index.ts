// The metrics as a library: mode metrics for the 2D mixtures, and the image metrics
// (FID, KID, precision/recall, Inception-Score analogue, class histogram,
// memorisation, Parzen log-likelihood) by name or as plain functions.
export { modeMetrics, describeMetrics, MODE_METRIC_SAMPLES, type ModeMetrics } from './modes.js';
export {
  evaluateSamples,
  evaluateGenerator,
  prepareEvaluation,
  type EvaluateOptions,
  type GeneratorEvaluation,
} from './evaluate.js';
export {
  METRICS,
  METRIC_NAMES,
  DEFAULT_SAMPLES,
  metricsByName,
  samplesNeeded,
  type Metric,
  type MetricContext,
  type MetricRow,
  type SampleSet,
} from './registry.js';
export { readSamples, type ReadSamplesOptions } from './samples.js';
export { ReferenceData, type ReferenceOptions } from './reference.js';
export { gaussianStats, frechetDistance, type GaussianStats } from './frechet.js';
export { kernelInceptionDistance, meanStd, type KidOptions, type MeanStd } from './kid.js';
export {
  precisionRecall,
  kthNeighbourDistance,
  fractionInside,
  PR_NEIGHBOURS,
  type PrecisionRecall,
} from './precision-recall.js';
export { inceptionScore } from './inception-score.js';
export { classHistogram, klDivergence } from './classes.js';
export {
  memorisation,
  nearestTrainingDistances,
  neighboursPicture,
  quantile,
  NN_PERCENTILE,
  type Memorisation,
} from './memorisation.js';
export { parzenLogLikelihoods, parzenProtocol, PARZEN_SIGMAS, type ParzenResult } from './parzen.js';
export { distanceBlocks, nearestDistances, kNearest, type VectorSet } from './distances.js';
export {
  openFeatureModel,
  releaseFeatureModels,
  checkFeatureInput,
  featureExtractor,
  penultimateLayer,
  loadFeatureNetwork,
  shippedFeaturesDir,
  featureNetwork,
  FEATURE_LAYER,
  FEATURE_INPUT_SHAPE,
  FEATURE_CLASSES,
  FEATURE_INFO_FILE,
  SHIPPED_FEATURES,
  type FeatureModel,
  type FeatureExtractor,
  type Features,
  type FeatureInfo,
  type FeatureNetwork,
} from './features/index.js';
