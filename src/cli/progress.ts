// The training run's progress on the live line (live-line.ts): what is being prepared
// before the first step, then step (and epoch) with the bar, the losses, D(x), D(G(z)),
// steps or images per second and the ETA. On a terminal the line is redrawn four times
// a second even while one step runs for minutes; otherwise a plain line is printed
// every GANKIT_PROGRESS_EVERY seconds (10 by default; train's --progress-every).
import type { StepStats } from '../run/stats.js';
import type { TrainPlan } from '../train/trainer.js';
import { LiveLine, type LiveLineOptions } from './live-line.js';

export interface Progress {
  /** Work before the first step (opening data, preparing the evaluation): its name and elapsed time. */
  phase(text: string): void;
  /** The run's plan (its length, and epochs for image data); call before the first step. */
  start(plan: TrainPlan): void;
  step(step: number, total: number, stats: StepStats): void;
  /** A message that must not be overwritten by the line. */
  log(message: string): void;
  stop(): void;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

const detail = (s: StepStats) =>
  `loss D ${fmt(s.lossD)} G ${fmt(s.lossG)} · D(x) ${fmt(s.dReal, 2)} D(G(z)) ${fmt(s.dFake, 2)}`;

export function createProgress(options: LiveLineOptions = {}): Progress {
  const line = new LiveLine(options);
  let plan: TrainPlan | undefined;
  const label = (step: number, total: number) => {
    const perEpoch = plan?.stepsPerEpoch;
    if (!perEpoch) return 'step';
    return `epoch ${Math.max(1, Math.ceil(step / perEpoch))}/${Math.ceil(total / perEpoch)} · step`;
  };
  return {
    phase: (text) => line.begin({ label: text, total: 0 }),
    start(p) {
      plan = p;
      const images = p.stepsPerEpoch !== undefined;
      line.begin({
        label: label(p.firstStep, p.steps),
        total: p.steps,
        startDone: p.firstStep - 1,
        doneUnit: 'step',
        rateUnit: images ? 'images' : 'steps',
        rateScale: images ? p.batchSize : 1,
      });
    },
    step: (step, total, stats) => line.update(step, { detail: detail(stats), label: label(step, total) }),
    log: (message) => line.log(message),
    stop: () => line.stop(),
  };
}
