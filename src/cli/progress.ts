// Progress display: a live bar on a terminal, plain lines (about 20 per run) when the
// output goes to a file or a pipe, so logs stay readable.
import cliProgress from 'cli-progress';
import type { StepStats } from '../train/gan.js';

export interface Progress {
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

export function createProgress(interactive: boolean): Progress {
  const began = performance.now();
  let startStep = -1;
  const rate = (step: number) => {
    if (startStep < 0) startStep = step - 1;
    return (step - startStep) / Math.max((performance.now() - began) / 1000, 1e-9);
  };
  if (!interactive) {
    let every = 0;
    return {
      step(step, total, s) {
        if (every === 0) every = Math.max(1, Math.round(total / 20));
        if (step % every !== 0 && step !== total) return;
        const r = rate(step);
        console.log(
          `step ${step}/${total}  loss D ${fmt(s.lossD)}  loss G ${fmt(s.lossG)}  D(x) ${fmt(s.dReal, 2)}  D(G(z)) ${fmt(s.dFake, 2)}  ` +
            `${r.toFixed(0)} steps/s  ETA ${formatEta((total - step) / r)}`,
        );
      },
      log: (message) => console.log(message),
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format: 'step {value}/{total} {bar} loss D {lossD} G {lossG} · D(x) {dReal} D(G(z)) {dFake} · {rate} steps/s · ETA {etaText}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    step(step, total, s) {
      const r = rate(step);
      const payload = { lossD: fmt(s.lossD), lossG: fmt(s.lossG), dReal: fmt(s.dReal, 2), dFake: fmt(s.dFake, 2), rate: r.toFixed(0), etaText: formatEta((total - step) / r) };
      if (!bar) bar = bars.create(total, step, payload);
      else bar.update(step, payload);
    },
    log: (message) => bars.log(message + '\n'),
    stop: () => bars.stop(),
  };
}
