// Exponential moving average of G's weights (Yazıcı et al. 2019): a second generator
// whose weights trail the trained one, ema ← β·ema + (1−β)·w after every G step (β
// reaching further back as the learning rate decays, see update).
// Averaging smooths the oscillation of the adversarial game and usually gives better
// samples; sampling and metrics use it when it is enabled.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export class WeightAverage {
  private constructor(
    readonly model: tfl.LayersModel,
    private readonly source: tfl.LayersModel,
    private readonly beta: number,
  ) {}

  static async of(source: tfl.LayersModel, beta: number): Promise<WeightAverage> {
    const copy = await tfl.models.modelFromJSON({
      modelTopology: source.toJSON(null, false) as tf.io.ModelJSON['modelTopology'],
    });
    copy.setWeights(source.getWeights());
    return new WeightAverage(copy, source, beta);
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
   */
  update(rate = 1): void {
    const beta = 1 - (1 - this.beta) * rate;
    const targets = this.model.weights;
    const sources = this.source.weights;
    tf.tidy(() => {
      targets.forEach((t, i) => {
        const w = sources[i].read();
        // Non-trainable weights (batch-norm statistics) are copied, not averaged.
        t.write(sources[i].trainable ? tf.add(tf.mul(beta, t.read()), tf.mul(1 - beta, w)) : w.clone());
      });
    });
  }
}
