// How a run is measured while it trains and at its end.
export interface EvalOptions {
  /** Every N steps: metrics (0 = only at the end). */
  evalEvery: number;
  /**
   * Image data: the metrics (METRIC_NAMES, e.g. fid10k) computed at the end of the run and every
   * evalEvery steps; empty (the CLI's "none"): no evaluation at all.
   */
  evalMetrics: string[];
  /** Samples for the toy-data metrics: the 2D mode metrics (protocol: 2,500), the 1D distances. */
  evalSamples: number;
  /**
   * Jacobian-based truncation when sampling (metrics and gankit sample): drop this
   * fraction of latent points, those where G's Jacobian is largest, which are the
   * bridges between modes (src/generate/truncation.ts). 0 = G's samples as they come.
   */
  jacobianTruncation: number;
}
