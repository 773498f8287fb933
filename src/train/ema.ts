// Exponential moving average of G's weights (Yazıcı et al. 2019): a second generator
// whose weights trail the trained one, ema ← β·ema + (1−β)·w after every G step (β
// reaching further back as the learning rate decays, see update).
// Averaging smooths the oscillation of the adversarial game and usually gives better
// samples; sampling and metrics use it when it is enabled.
// Batch norm: the averaged weights never ran as a network, so G's running statistics
// do not fit them (they describe G's activations, not the average's). Before anyone
// samples the average, refreshStatistics recomputes them from the average's own
// activations on a fixed set of noise batches (BigGAN's "standing statistics",
// Brock et al. 2019).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * How many noise batches of STATISTICS_BATCH_SIZE examples the average's batch-norm
 * statistics are recomputed on. 'exact' for what is measured or saved (evaluations,
 * checkpoints, hence `gankit sample`/`eval`/`export`), 'quick' for the snapshot pictures
 * every 200 steps. Why two: the estimate's noise costs fid10k. On the two 5-epoch
 * Fashion-MNIST runs of README "Image recipes", scored on the same 10,000 z with three
 * draws of the statistics' noise each, 8 batches gave 11.76–12.34 and 11.50–11.60, 64
 * batches 11.63–11.90 and 11.36–11.47, 256 batches 11.69–11.78 and 11.37–11.38: 64 is
 * where the gain ends. 64 batches take ~1.7 s on the 2-core machine, too slow for a
 * picture every 200 steps, fine for the checkpoints every 1,000.
 */
export const STATISTICS_BATCHES = { exact: 64, quick: 8 } as const;
export type StatisticsPrecision = keyof typeof STATISTICS_BATCHES;
export const STATISTICS_BATCH_SIZE = 256;

export class WeightAverage {
  /** How the batch-norm statistics fit the weights: 'stale' when the weights moved since they were last recomputed. */
  private settled: StatisticsPrecision | 'stale' = 'stale';

  private constructor(
    readonly model: tfl.LayersModel,
    private readonly source: tfl.LayersModel,
    private readonly beta: number,
    private readonly warmsUp: boolean,
  ) {}

  /** `warmup`: β starts low and grows (see warmup); image runs ask for it, the 2D defaults were measured without. */
  static async of(source: tfl.LayersModel, beta: number, { warmup = false } = {}): Promise<WeightAverage> {
    const copy = await tfl.models.modelFromJSON({
      modelTopology: source.toJSON(null, false) as tf.io.ModelJSON['modelTopology'],
    });
    copy.setWeights(source.getWeights());
    return new WeightAverage(copy, source, beta, warmup);
  }

  /**
   * Folds in G's current weights. `rate` is the learning rate's fraction of its
   * starting value: β holds at the full rate, and as the rate decays the average
   * reaches back proportionally further (β_t = 1 − (1 − β)·rate), so it always spans
   * about the same distance G travelled. Why: the game circles around its
   * equilibrium, and those circles take longer as steps get smaller; a fixed
   * 100-step average covered many circles early and only part of one as the rate
   * went to zero, where the 2D mixtures' high-quality fraction fell by up to 8
   * points in the last 1,000 steps.
   * `updates` counts G's updates so far: early on β is at most (1 + t)/(10 + t) (see warmup).
   */
  update(rate = 1, updates = Infinity): void {
    this.settled = 'stale';
    const beta = Math.min(1 - (1 - this.beta) * rate, this.warmsUp ? warmup(updates) : 1);
    const targets = this.model.weights;
    const sources = this.source.weights;
    tf.tidy(() => {
      targets.forEach((t, i) => {
        const w = sources[i].read();
        // Non-trainable weights (batch-norm statistics) are copied, not averaged;
        // refreshStatistics replaces the batch-norm ones before the average samples.
        t.write(sources[i].trainable ? tf.add(tf.mul(beta, t.read()), tf.mul(1 - beta, w)) : w.clone());
      });
    });
  }

  /** The weights were replaced (a resumed or rolled-back run): the statistics must be recomputed. */
  invalidate(): void {
    this.settled = 'stale';
  }

  /**
   * Recomputes the average's batch-norm running statistics as the exact mean, over
   * STATISTICS_BATCHES[precision] batches, of each batch's mean and variance (the average in
   * training mode, momentum k/(k+1) for the k-th batch). `input(n)` gives G's input
   * for n examples and must draw the same noise every time, so the statistics follow
   * from the weights alone and a resumed run recomputes exactly what it would have.
   * Nothing to do for a G without batch norm, or when nothing moved since statistics at
   * least as precise were computed.
   */
  refreshStatistics(input: (n: number) => tf.Tensor | tf.Tensor[], precision: StatisticsPrecision = 'exact'): void {
    if (this.settled === 'exact' || this.settled === precision) return;
    this.settled = precision;
    const norms = this.model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    if (norms.length === 0) return;
    const saved = norms.map((l) => (l as unknown as { momentum: number }).momentum);
    try {
      for (let k = 0; k < STATISTICS_BATCHES[precision]; k++) {
        for (const l of norms) (l as unknown as { momentum: number }).momentum = k / (k + 1);
        tf.tidy(() => {
          this.model.apply(input(STATISTICS_BATCH_SIZE), { training: true });
        });
      }
    } finally {
      norms.forEach((l, i) => ((l as unknown as { momentum: number }).momentum = saved[i]));
    }
  }
}

/**
 * The largest β after t updates: (1 + t)/(10 + t), the warm-up of TensorFlow's
 * ExponentialMovingAverage (its num_updates). Without it a slow average (β = 0.999)
 * still holds 0.999^938 = 39% of G's random initial weights after an epoch of
 * Fashion-MNIST, and that blend of unrelated networks draws smudges (fid10k 196 where
 * G itself scored 74). Image runs use it; the 2D defaults (β = 0.99, 16,000 steps)
 * were measured without it, and there it would only change the first ~1,000 steps.
 */
export function warmup(updates: number): number {
  return Number.isFinite(updates) ? (1 + updates) / (10 + updates) : 1;
}
