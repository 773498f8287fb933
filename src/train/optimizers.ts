// Gradient-based update rules with their state in plain arrays, so a checkpoint holds
// them exactly. Formulas follow PyTorch's, so runs compare with PyTorch references:
//   Adam: m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
//         p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
//   SGD with momentum μ: b ← μ·b + g;  p ← p − lr·b   (the original paper's rule)
import type { OptimizerState } from '../run/checkpoint.js';
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdam, fusedSgdMomentum } from '../backend/fused.js';
import { readTensors } from '../backend/read.js';

/** The players' update rules, as a run's options name them. */
export interface OptimizerOptions {
  optimizer: 'adam' | 'sgd';
  lrG: number;
  lrD: number;
  beta1: number;
  beta2: number;
  momentum: number;
  /** Decay both learning rates linearly to this fraction of their value over the run (1 = constant). */
  lrFinal: number;
  /** EMA decay β for G's weights (0 = no average). */
  ema: number;
}

export interface OptimizerSpec {
  kind: 'adam' | 'sgd';
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  momentum: number;
}

export class Optimizer {
  private step = 0;
  private readonly slots: tf.Variable[];

  constructor(
    readonly spec: OptimizerSpec,
    private readonly params: tf.Variable[],
  ) {
    const copies = spec.kind === 'adam' ? 2 : 1;
    this.slots = [];
    for (let c = 0; c < copies; c++) {
      for (const p of params) this.slots.push(tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  /** Applies one update; grads[i] belongs to params[i] (undefined counts as zero). */
  apply(grads: (tf.Tensor | undefined)[]): void {
    this.step++;
    const { lr, beta1, beta2, eps, momentum } = this.spec;
    const n = this.params.length;
    // The native backend updates each parameter in one pass over its buffers.
    const used = grads.flatMap((g, i) => (g ? [i] : []));
    const pick = <T>(list: T[], offset = 0) => used.map((i) => list[offset + i]);
    const ps = pick(this.params);
    const gs = pick(grads) as tf.Tensor[];
    const fused =
      this.spec.kind === 'adam'
        ? fusedAdam(ps, gs, pick(this.slots), pick(this.slots, n), { lr, beta1, beta2, eps, step: this.step })
        : fusedSgdMomentum(ps, gs, pick(this.slots), { lr, momentum });
    if (fused) return;
    tf.tidy(() => {
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        if (!g) continue; // no gradient: this parameter does not affect the loss
        const p = this.params[i];
        if (this.spec.kind === 'adam') {
          const m = this.slots[i];
          const v = this.slots[n + i];
          m.assign(tf.add(tf.mul(beta1, m), tf.mul(1 - beta1, g)));
          v.assign(tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, tf.square(g))));
          const stepSize = lr / (1 - beta1 ** this.step);
          const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - beta2 ** this.step)), eps);
          p.assign(tf.sub(p, tf.mul(stepSize, tf.div(m, denom))));
        } else {
          const b = this.slots[i];
          b.assign(tf.add(tf.mul(momentum, b), g));
          p.assign(tf.sub(p, tf.mul(lr, b)));
        }
      }
    });
  }

  async getState(): Promise<OptimizerState> {
    // Copies (readTensors gives them): the native backend updates slots in place, which would change a shared array.
    const step = this.step;
    return { kind: this.spec.kind, step, slots: await readTensors(this.slots) };
  }

  setState(state: OptimizerState): void {
    if (state.kind !== this.spec.kind || state.slots.length !== this.slots.length) {
      throw new Error(
        `Expected ${this.spec.kind} optimizer state with ${this.slots.length} slots but received ${state.kind} ` +
          `with ${state.slots.length}`,
      );
    }
    this.step = state.step;
    state.slots.forEach((values, i) => {
      const slot = this.slots[i];
      if (values.length !== slot.size)
        throw new Error(`Expected ${slot.size} values for optimizer slot ${i} but received ${values.length}`);
      tf.tidy(() => slot.assign(tf.tensor(values.slice(), slot.shape)));
    });
  }

  /** Updates applied so far. */
  get steps(): number {
    return this.step;
  }

  dispose(): void {
    this.slots.forEach((s) => s.dispose());
  }
}
