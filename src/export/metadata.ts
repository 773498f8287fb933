// gankit.json, written beside an exported generator: the format a program reads to
// sample it (what export.ts writes and page.ts's example page reads).
/** gankit.json: what a program needs to know to sample the exported generator. */
export interface GeneratorMetadata {
  format: 'gankit-generator';
  version: 1;
  /** z has shape [batch, latentDim]. */
  latentDim: number;
  /** z ~ N(0, I) ('normal') or uniform on [−1, 1] ('uniform'). */
  prior: 'normal' | 'uniform';
  /** One example's shape: [H, W, C] for images, [D] for points. */
  outputShape: number[];
  /** [−1, 1] for images (byte = round((x + 1) · 127.5)); null for points, which are unbounded. */
  valueRange: [number, number] | null;
  data: string;
  /** Generator steps the checkpoint had trained for. */
  step: number;
  model: string;
  /** Which weights were exported: G's moving average or the trained G. */
  weights: 'average' | 'trained';
  /**
   * The run's Jacobian truncation: the fraction of latent points, those where G's
   * Jacobian is largest, that its sampler drops (0 = none; see index.html for how).
   */
  jacobianTruncation: number;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /**
   * The TensorFlow.js copied beside index.html (in tfjs/) so the page needs no network:
   * each package's version and its files. Absent from exports written before gankit did this.
   */
  tfjs?: VendoredPackage[];
}

/** One npm package whose browser build an export carries. */
export interface VendoredPackage {
  package: string;
  version: string;
  /** Paths relative to the export folder, e.g. tfjs/tf-core.min.js. */
  files: string[];
}
