// The reference training steps (docs/design.md, "Reference workloads") used by the
// benchmark and the backend tests: one D step then one G step on the same generated
// batch (G runs once, as in PyTorch's DCGAN loop), non-saturating
// loss on logits written with softplus, Adam. bench/torch_dcgan28.py is the
// same computation in PyTorch.
//   L_D = mean softplus(−D(x)) + mean softplus(D(G(z)))
//   L_G = mean softplus(−D(G(z)))
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fusedAdam } from '../src/backend/fused.js';
import { untaped } from '../src/train/untaped.js';
import { dcgan28Discriminator, dcgan28Generator, dcganDiscriminator, dcganGenerator } from '../src/networks/dcgan.js';

export interface AdamSpec {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Adam over a fixed list of variables; fused in place on the native backend, tf ops elsewhere. */
export class Adam {
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  constructor(
    private readonly vars: tf.Variable[],
    private readonly spec: AdamSpec,
  ) {
    // tf.variable keeps its initial value's data but not the tensor: dispose that, or it stays counted.
    const zeros = (p: tf.Variable) => tf.tidy(() => tf.variable(tf.zeros(p.shape), false));
    this.m = vars.map(zeros);
    this.v = vars.map(zeros);
  }

  apply(grads: tf.Tensor[]): void {
    this.t++;
    const { lr, beta1, beta2, eps } = this.spec;
    if (fusedAdam(this.vars, grads, this.m, this.v, { lr, beta1, beta2, eps, step: this.t })) return;
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        const g = grads[i];
        this.m[i].assign(tf.add(tf.mul(beta1, this.m[i]), tf.mul(1 - beta1, g)));
        this.v[i].assign(tf.add(tf.mul(beta2, this.v[i]), tf.mul(1 - beta2, tf.square(g))));
        const mHat = tf.div(this.m[i], 1 - beta1 ** this.t);
        const vHat = tf.div(this.v[i], 1 - beta2 ** this.t);
        p.assign(tf.sub(p, tf.mul(lr, tf.div(mHat, tf.add(tf.sqrt(vHat), eps)))));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

function trainable(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

const meanSoftplus = (x: tf.Tensor) => tf.mean(tf.softplus(x));

export interface StepLosses {
  lossD: number;
  lossG: number;
}

/** One GAN training step (D then G) for any G: z → x and D: x → logit. */
export class GanStep {
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  private readonly optG: Adam;
  private readonly optD: Adam;
  private n = 0;

  constructor(
    readonly G: tfl.LayersModel,
    readonly D: tfl.LayersModel,
    readonly latentDim: number,
    readonly batch: number,
    adam: AdamSpec,
    private readonly noiseSeed = 1234,
  ) {
    this.gVars = trainable(G);
    this.dVars = trainable(D);
    this.optG = new Adam(this.gVars, adam);
    this.optD = new Adam(this.dVars, adam);
  }

  private noise(): tf.Tensor {
    // Seeded per step so two backends see the same noise.
    return tf.randomNormal([this.batch, this.latentDim], 0, 1, 'float32', this.noiseSeed + this.n);
  }

  step(real: tf.Tensor): StepLosses {
    const { lossD, lossG } = this.run(real);
    const losses = { lossD: lossD.dataSync()[0], lossG: lossG.dataSync()[0] };
    tf.dispose([lossD, lossG]);
    return losses;
  }

  /** The same step read asynchronously: the webgpu backend cannot read synchronously in Node. */
  async stepAsync(real: tf.Tensor): Promise<StepLosses> {
    const { lossD, lossG } = this.run(real);
    const losses = { lossD: (await lossD.data())[0], lossG: (await lossG.data())[0] };
    tf.dispose([lossD, lossG]);
    return losses;
  }

  /** One step; returns the two losses as scalars, which the caller disposes. */
  private run(real: tf.Tensor): { lossD: tf.Tensor; lossG: tf.Tensor } {
    this.n++;
    const G = this.G,
      D = this.D;
    const z = this.noise();
    // One generated batch serves the D step and then the G step, as in PyTorch's
    // reference: G runs once, on G's gradient tape, and D's update runs in between
    // with the tape paused (src/train/untaped.ts, as the trainer does).
    let lossD: tf.Tensor | undefined;
    const g = tf.variableGrads(() => {
      const fake = G.apply(z, { training: true }) as tf.Tensor;
      lossD = untaped(() => {
        const d = tf.variableGrads(() => {
          const realLogit = D.apply(real, { training: true }) as tf.Tensor;
          const fakeLogit = D.apply(fake, { training: true }) as tf.Tensor;
          return tf.add(meanSoftplus(tf.neg(realLogit)), meanSoftplus(fakeLogit)) as tf.Scalar;
        }, this.dVars);
        this.optD.apply(this.dVars.map((v) => d.grads[v.name]));
        tf.dispose(Object.values(d.grads));
        return tf.keep(d.value);
      });
      const fakeLogit = D.apply(fake, { training: true }) as tf.Tensor;
      return meanSoftplus(tf.neg(fakeLogit)) as tf.Scalar;
    }, this.gVars);
    this.optG.apply(this.gVars.map((v) => g.grads[v.name]));
    tf.dispose([z, ...Object.values(g.grads)]);
    return { lossD: lossD!, lossG: g.value };
  }

  dispose(): void {
    this.optG.dispose();
    this.optD.dispose();
  }
}

export const DCGAN_ADAM: AdamSpec = { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 };

/** DCGAN-28 step with batch 64, seeded weights; `real` is a fixed batch in [−1, 1]. */
export function dcgan28Workload(seed = 7, batch = 64): { step: GanStep; real: tf.Tensor } {
  const G = dcgan28Generator(100, seed);
  const D = dcgan28Discriminator(seed + 1000);
  const real = tf.tidy(() => tf.tanh(tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', seed + 2000)));
  return { step: new GanStep(G, D, 100, batch, DCGAN_ADAM, seed + 3000), real };
}

/**
 * DCGAN-64 step (64×64×3, G 4×4×512 → 64 px as pytorch/examples' dcgan), batch 64 by default:
 * the image size at which a GPU is expected to pull ahead of the CPU (issue 19's target).
 */
export function dcgan64Workload(seed = 7, batch = 64): { step: GanStep; real: tf.Tensor } {
  const shape = { size: 64, channels: 3 } as const;
  const G = dcganGenerator(shape, 100, seed);
  const D = dcganDiscriminator(shape, seed + 1000);
  const real = tf.tidy(() => tf.tanh(tf.randomNormal([batch, 64, 64, 3], 0, 1, 'float32', seed + 2000)));
  return { step: new GanStep(G, D, 100, batch, DCGAN_ADAM, seed + 3000), real };
}

/**
 * MLP GAN on 2D data (ring of 8 Gaussians), batch 256, z ∈ R^8:
 * G 8→128→128→2 (ReLU), D 2→128→128→1 (leaky ReLU 0.2), Adam 1e-3 β1 0.5.
 */
export function mlp2dWorkload(seed = 7, batch = 256): { step: GanStep; real: tf.Tensor } {
  let s = seed;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const mlp = (name: string, inDim: number, outDim: number, act: 'relu' | 'leaky') => {
    const input = tfl.input({ shape: [inDim] });
    let h: tfl.SymbolicTensor = input;
    for (let i = 0; i < 2; i++) {
      h = tfl.layers
        .dense({ units: 128, kernelInitializer: init(), name: `${name}_dense${i}` })
        .apply(h) as tfl.SymbolicTensor;
      h = (act === 'relu' ? tfl.layers.reLU() : tfl.layers.leakyReLU({ alpha: 0.2 })).apply(h) as tfl.SymbolicTensor;
    }
    const out = tfl.layers
      .dense({ units: outDim, kernelInitializer: init(), name: `${name}_out` })
      .apply(h) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: out, name });
  };
  const G = mlp('g', 8, 2, 'relu');
  const D = mlp('d', 2, 1, 'leaky');
  const real = tf.tidy(() => {
    const k = tf.floor(tf.randomUniform([batch], 0, 8, 'float32', seed + 1));
    const angle = tf.mul(k, (2 * Math.PI) / 8);
    const centers = tf.stack([tf.cos(angle), tf.sin(angle)], 1);
    return tf.add(centers, tf.randomNormal([batch, 2], 0, 0.01, 'float32', seed + 2));
  });
  return { step: new GanStep(G, D, 8, batch, { lr: 1e-3, beta1: 0.5, beta2: 0.999, eps: 1e-8 }, seed + 3), real };
}

/** The bench's workloads by name, each with the batch it is timed at unless --batch says otherwise. */
export const WORKLOADS: Record<
  string,
  { make: (seed?: number, batch?: number) => { step: GanStep; real: tf.Tensor }; batch: number }
> = {
  dcgan28: { make: dcgan28Workload, batch: 64 },
  dcgan64: { make: dcgan64Workload, batch: 64 },
  mlp2d: { make: mlp2dWorkload, batch: 256 },
};
