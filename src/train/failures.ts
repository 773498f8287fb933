// Detects the adversarial game's known failure modes and reports them instead of
// hiding them: divergence (non-finite losses, fatal), vanishing gradients (D rejects
// G's samples with confidence for a long stretch) and mode collapse (modes lost).
import type { GameName } from '../games/losses.js';
import type { ModeMetrics } from '../metrics/modes.js';
import type { StepStats } from '../run/stats.js';

export interface Problem {
  message: string;
  fatal: boolean;
}

/** Steps D may stay confidently right before we call G's gradient vanishing. */
const VANISHING_STREAK = 500;

export class FailureWatch {
  private confidentSteps = 0;
  private bestModes = 0;

  constructor(private readonly loss: GameName) {}

  check(step: number, s: StepStats): Problem | undefined {
    if (![s.lossD, s.lossG, s.dReal, s.dFake].every(Number.isFinite)) {
      return {
        fatal: true,
        message:
          `training diverged at step ${step}: loss D ${s.lossD}, loss G ${s.lossG}. ` +
          'Try lower learning rates (--lr-g, --lr-d), a gradient penalty (--r1 1) or another --loss',
      };
    }
    // D(x), D(G(z)) are probabilities only for the logistic games.
    if (this.loss !== 'nonsaturating' && this.loss !== 'minimax') return undefined;
    this.confidentSteps = s.dReal > 0.99 && s.dFake < 0.01 ? this.confidentSteps + 1 : 0;
    if (this.confidentSteps === VANISHING_STREAK) {
      const hint = this.loss === 'minimax' ? ' (the minimax game saturates here: try --loss nonsaturating)' : '';
      return {
        fatal: false,
        message:
          'vanishing gradients: D has separated real from generated data (D(x) > 0.99, D(G(z)) < 0.01) ' +
          `for ${VANISHING_STREAK} steps${hint}`,
      };
    }
    return undefined;
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
