// Exponential moving average of G's weights (Yazıcı et al. 2019): a second generator
// whose weights trail the trained one, ema ← β·ema + (1−β)·w after every G step.
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
    const copy = await tfl.models.modelFromJSON({ modelTopology: source.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
    copy.setWeights(source.getWeights());
    return new WeightAverage(copy, source, beta);
  }

  update(): void {
    const targets = this.model.weights;
    const sources = this.source.weights;
    tf.tidy(() => {
      targets.forEach((t, i) => {
        const w = sources[i].read();
        // Non-trainable weights (batch-norm statistics) are copied, not averaged.
        t.write(sources[i].trainable ? tf.add(tf.mul(this.beta, t.read()), tf.mul(1 - this.beta, w)) : w.clone());
      });
    });
  }
}
