// Progress display: a live bar on a terminal, plain lines (about 20 per run) when the
// output goes to a file or a pipe, so logs stay readable. Image runs also show the
// epoch and images per second.
import cliProgress from 'cli-progress';
import type { StepStats } from '../run/stats.js';
import type { TrainPlan } from '../train/trainer.js';

export interface Progress {
  /** The run's plan (its length, and epochs for image data); call before the first step. */
  start(plan: TrainPlan): void;
  step(step: number, total: number, stats: StepStats): void;
  /** A message that must not be overwritten by the bar. */
  log(message: string): void;
  stop(): void;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** The fields both displays show, from the plan, the step and the time since start. */
function fields(plan: TrainPlan | undefined, began: number, step: number, total: number, s: StepStats) {
  const first = plan?.firstStep ?? 1;
  const perSecond = (step - first + 1) / Math.max((performance.now() - began) / 1000, 1e-9);
  const perEpoch = plan?.stepsPerEpoch;
  const epoch = perEpoch ? `epoch ${Math.ceil(step / perEpoch)}/${Math.ceil(total / perEpoch)} · ` : '';
  const rate =
    perEpoch && plan ? `${(perSecond * plan.batchSize).toFixed(0)} images/s` : `${perSecond.toFixed(0)} steps/s`;
  return {
    epoch,
    lossD: fmt(s.lossD),
    lossG: fmt(s.lossG),
    dReal: fmt(s.dReal, 2),
    dFake: fmt(s.dFake, 2),
    rate,
    eta: formatEta((total - step) / perSecond),
  };
}

export function createProgress(interactive: boolean): Progress {
  let began = performance.now();
  let plan: TrainPlan | undefined;
  const start = (p: TrainPlan) => {
    plan = p;
    began = performance.now();
  };
  if (!interactive) {
    let every = 0;
    return {
      start,
      step(step, total, s) {
        if (every === 0) every = Math.max(1, Math.round(total / 20));
        if (step % every !== 0 && step !== total) return;
        const f = fields(plan, began, step, total, s);
        console.log(
          `${f.epoch}step ${step}/${total}  loss D ${f.lossD}  loss G ${f.lossG}  D(x) ${f.dReal}  ` +
            `D(G(z)) ${f.dFake}  ${f.rate}  ETA ${f.eta}`,
        );
      },
      log: (message) => console.log(message),
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format:
        '{epoch}step {value}/{total} {bar} loss D {lossD} G {lossG} · ' +
        'D(x) {dReal} D(G(z)) {dFake} · {rate} · ETA {eta}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    start,
    step(step, total, s) {
      const payload = fields(plan, began, step, total, s);
      if (!bar) bar = bars.create(total, step, payload);
      else bar.update(step, payload);
    },
    log: (message) => bars.log(message + '\n'),
    stop: () => bars.stop(),
  };
}
