// Pictures of GAN training runs as PNG bytes (@napi-rs/canvas), from plain typed arrays.

export type { Bounds, Grid } from './types.js';
export { plotSamples2d, type Samples2dOptions } from './samples2d.js';
export { plotDiscriminator2d, type Discriminator2dOptions } from './discriminator2d.js';
export { plot1d, type Plot1dOptions } from './plot1d.js';
export {
  plotCurves,
  curvesGeometry,
  movingAverage,
  type Series,
  type Panel,
  type CurvesOptions,
  type CurvesGeometry,
} from './curves.js';
export {
  niceTicks,
  logTicks,
  formatTick,
  dataToPixel,
  pixelToData,
  equalAspectSize,
  linearScale,
  logScale,
  type Frame,
  type Scale,
  type Ticks,
} from './axes.js';
export {
  densityColor,
  dColor,
  logNormalize,
  SERIES_COLORS,
  REAL_COLOR,
  FAKE_COLOR,
  ALERT_COLOR,
  type RGB,
} from './colors.js';
export { layout2d } from './layout2d.js';
export { MODE_RING_RADIUS } from './samples2d.js';
