// Detects the adversarial game's known failure modes and reports them instead of
// hiding them: divergence (non-finite or exploding losses: the trainer rolls back,
// recovery.ts), vanishing gradients (D rejects G's samples with confidence for a long
// stretch) and mode collapse (modes lost).
import type { GameName } from '../games/losses.js';
import type { ModeMetrics } from '../metrics/modes.js';
import type { StepStats } from '../run/stats.js';

export interface Problem {
  message: string;
  /** The run has diverged: the trainer rolls back, or stops when it cannot. */
  diverged: boolean;
  /** Non-finite losses: no step can follow this one. Exploded losses still train on. */
  fatal: boolean;
}

/** Steps D may stay confidently right before we call G's gradient vanishing. */
const VANISHING_STREAK = 500;

/**
 * |loss| beyond this is a blow-up. Healthy runs of every game in losses.ts stay below
 * ~1e3 (a saturated logistic loss is about |logit|; WGAN critics are clipped or
 * penalised); `--lr 5` reaches 4e11 within a few hundred steps without ever producing NaN.
 */
export const EXPLODED_LOSS = 1e6;

/** Weights that became NaN/∞ (an update overflowed although the losses it came from were finite). */
export function nonFiniteWeights(step: number): Problem {
  return {
    diverged: true,
    fatal: true,
    message:
      `training diverged at step ${step}: the weights became NaN or infinite. Try lower learning rates ` +
      '(--lr-g, --lr-d), a gradient penalty (--r1 1) or another --loss',
  };
}

export class FailureWatch {
  private confidentSteps = 0;
  private bestModes = 0;
  private explosionReported = false;

  constructor(private readonly loss: GameName) {}

  check(step: number, s: StepStats): Problem | undefined {
    if (![s.lossD, s.lossG, s.dReal, s.dFake].every(Number.isFinite)) {
      return {
        diverged: true,
        fatal: true,
        message:
          `training diverged at step ${step}: loss D ${s.lossD}, loss G ${s.lossG}. ` +
          'Try lower learning rates (--lr-g, --lr-d), a gradient penalty (--r1 1) or another --loss',
      };
    }
    if (Math.max(Math.abs(s.lossD), Math.abs(s.lossG)) > EXPLODED_LOSS) {
      return {
        diverged: true,
        fatal: false,
        message:
          `the losses exploded at step ${step}: loss D ${s.lossD.toExponential(2)}, loss G ` +
          `${s.lossG.toExponential(2)} (beyond ±${EXPLODED_LOSS.toExponential(0)}). Try lower learning rates ` +
          '(--lr-g, --lr-d), a gradient penalty (--r1 1) or another --loss',
      };
    }
    // D(x), D(G(z)) are probabilities only for the logistic games.
    if (this.loss !== 'nonsaturating' && this.loss !== 'minimax') return undefined;
    this.confidentSteps = s.dReal > 0.99 && s.dFake < 0.01 ? this.confidentSteps + 1 : 0;
    if (this.confidentSteps === VANISHING_STREAK) {
      const hint = this.loss === 'minimax' ? ' (the minimax game saturates here: try --loss nonsaturating)' : '';
      return {
        diverged: false,
        fatal: false,
        message:
          'vanishing gradients: D has separated real from generated data (D(x) > 0.99, D(G(z)) < 0.01) ' +
          `for ${VANISHING_STREAK} steps${hint}`,
      };
    }
    return undefined;
  }

  /** An explosion the run cannot roll back from is reported once, not at every step after it. */
  reportExplosion(): boolean {
    const first = !this.explosionReported;
    this.explosionReported = true;
    return first;
  }

  checkModes(step: number, m: ModeMetrics): string | undefined {
    const lost = m.modes < this.bestModes;
    this.bestModes = Math.max(this.bestModes, m.modes);
    if (lost || m.modes <= m.totalModes / 2) {
      return (
        `mode collapse: ${m.modes}/${m.totalModes} modes covered at ` +
        `step ${step}${lost ? ` (down from ${this.bestModes})` : ''}`
      );
    }
    return undefined;
  }
}
