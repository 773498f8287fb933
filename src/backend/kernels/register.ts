// The one list of kernels the native backend replaces (and the Gankit*
// kernels behind ../gradients.ts); every other kernel of the backend is
// tfjs-backend-cpu's, registered under 'native' by ../native.ts.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { absConfig } from './Abs.js';
import { addConfig } from './Add.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { clipByValueConfig } from './ClipByValue.js';
import { conv2DConfig } from './Conv2D.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { eluConfig } from './Elu.js';
import { equalConfig } from './Equal.js';
import { expConfig } from './Exp.js';
import { fusedBatchNormConfig } from './FusedBatchNorm.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { gankitActivationGradConfig } from './GankitActivationGrad.js';
import { gankitDenseConfig } from './GankitDense.js';
import { gankitFusedBatchNormGradConfig } from './GankitFusedBatchNormGrad.js';
import { gankitMeanGradConfig } from './GankitMeanGrad.js';
import { greaterConfig } from './Greater.js';
import { greaterEqualConfig } from './GreaterEqual.js';
import { leakyReluConfig } from './LeakyRelu.js';
import { lessConfig } from './Less.js';
import { lessEqualConfig } from './LessEqual.js';
import { logConfig } from './Log.js';
import { log1pConfig } from './Log1p.js';
import { maxConfig } from './Max.js';
import { maximumConfig } from './Maximum.js';
import { meanConfig } from './Mean.js';
import { minConfig } from './Min.js';
import { minimumConfig } from './Minimum.js';
import { multiplyConfig } from './Multiply.js';
import { negConfig } from './Neg.js';
import { notEqualConfig } from './NotEqual.js';
import { padV2Config } from './PadV2.js';
import { powConfig } from './Pow.js';
import { prodConfig } from './Prod.js';
import { realDivConfig } from './RealDiv.js';
import { reciprocalConfig } from './Reciprocal.js';
import { reluConfig } from './Relu.js';
import { relu6Config } from './Relu6.js';
import { rsqrtConfig } from './Rsqrt.js';
import { selectConfig } from './Select.js';
import { sigmoidConfig } from './Sigmoid.js';
import { signConfig } from './Sign.js';
import { sliceConfig } from './Slice.js';
import { softplusConfig } from './Softplus.js';
import { splitVConfig } from './SplitV.js';
import { sqrtConfig } from './Sqrt.js';
import { squareConfig } from './Square.js';
import { squaredDifferenceConfig } from './SquaredDifference.js';
import { stepConfig } from './Step.js';
import { subConfig } from './Sub.js';
import { sumConfig } from './Sum.js';
import { tanhConfig } from './Tanh.js';
import { tileConfig } from './Tile.js';
import { transposeConfig } from './Transpose.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';

export const nativeKernelConfigs: KernelConfig[] = [
  absConfig,
  addConfig,
  batchMatMulConfig,
  clipByValueConfig,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  eluConfig,
  equalConfig,
  expConfig,
  fusedBatchNormConfig,
  fusedConv2DConfig,
  gankitActivationGradConfig,
  gankitDenseConfig,
  gankitFusedBatchNormGradConfig,
  gankitMeanGradConfig,
  greaterConfig,
  greaterEqualConfig,
  leakyReluConfig,
  lessConfig,
  lessEqualConfig,
  logConfig,
  log1pConfig,
  maxConfig,
  maximumConfig,
  meanConfig,
  minConfig,
  minimumConfig,
  multiplyConfig,
  negConfig,
  notEqualConfig,
  padV2Config,
  powConfig,
  prodConfig,
  realDivConfig,
  reciprocalConfig,
  reluConfig,
  relu6Config,
  rsqrtConfig,
  selectConfig,
  sigmoidConfig,
  signConfig,
  sliceConfig,
  softplusConfig,
  splitVConfig,
  sqrtConfig,
  squareConfig,
  squaredDifferenceConfig,
  stepConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  tileConfig,
  transposeConfig,
  fusedMatMulConfig,
];
