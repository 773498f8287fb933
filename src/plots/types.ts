// Plain data shapes shared by all plots (no tfjs: callers pass typed arrays).

export interface Bounds {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

/**
 * Values sampled on a regular grid covering `bounds`, row-major: row j is y from ymin
 * (j = 0) to ymax, column i is x from xmin to xmax, value at the cell centre
 * (xmin + (i + 0.5)·(xmax − xmin)/nx, ymin + (j + 0.5)·(ymax − ymin)/ny).
 */
export interface Grid {
  values: Float32Array;
  nx: number;
  ny: number;
  bounds: Bounds;
}
