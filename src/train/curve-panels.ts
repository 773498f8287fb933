// The panels of curves.png: losses, D's outputs, G's auxiliary loss, the learning rate,
// and the evaluations over training (modes, the fractions, reverse KL on mixtures; each
// image metric against its real-vs-real reference). Every quantity with a scale of its
// own gets a panel of its own, so that none is drawn flat against another's range.
// Rollbacks, resumes and warnings are marked across the panels. Used by pictures.ts.
import type { CurvesOptions, Panel } from '../plots/index.js';
import type { History } from '../run/stats.js';

/** Conditional runs on mixtures: how well G obeys its labels or codes, over training. */
function conditionalSeries(evals: ReturnType<History['evaluations']>) {
  const steps = evals.map((e) => e.step);
  const m = evals[0].metrics;
  if (m.classAccuracy !== undefined)
    return [{ name: 'class accuracy', steps, values: evals.map((e) => e.metrics.classAccuracy ?? NaN) }];
  if (m.codeAccuracy !== undefined)
    return [{ name: 'code accuracy', steps, values: evals.map((e) => e.metrics.codeAccuracy ?? NaN) }];
  return [];
}

export function curvePanels(history: History, auxLabel: string): Panel[] {
  const steps = history.steps();
  const at = (pick: (l: (typeof steps)[number]) => number) => steps.map(pick);
  const stepNumbers = at((l) => l.step);
  const panels: Panel[] = [
    {
      title: 'Losses',
      smooth: 50,
      series: [
        { name: 'D loss', steps: stepNumbers, values: at((l) => l.lossD) },
        { name: 'G loss', steps: stepNumbers, values: at((l) => l.lossG) },
      ],
    },
    {
      title: 'Discriminator outputs',
      smooth: 50,
      yMin: 0,
      yMax: 1,
      series: [
        { name: 'D(x)', steps: stepNumbers, values: at((l) => l.dReal) },
        { name: 'D(G(z))', steps: stepNumbers, values: at((l) => l.dFake) },
      ],
    },
  ];
  // Rollbacks halve it and --lr-final decays it: a panel shows what the run did to it.
  panels.push({
    title: "G's learning rate",
    yMin: 0,
    series: [{ name: 'lr', steps: stepNumbers, values: at((l) => ('lr' in l ? l.lr : NaN)) }],
  });
  const withAux = steps.filter((l) => l.aux !== undefined);
  if (withAux.length > 0) {
    panels.push({
      title: 'Auxiliary loss of G',
      smooth: 50,
      yMin: 0,
      series: [{ name: auxLabel, steps: withAux.map((l) => l.step), values: withAux.map((l) => l.aux!) }],
    });
  }
  const evals = history.evaluations();
  if (evals.length > 0) {
    const evalSteps = evals.map((e) => e.step);
    panels.push(
      // Headroom above the total: a run that covers every mode draws its line on the top
      // border otherwise, where it cannot be seen.
      {
        title: 'Modes covered',
        yMin: 0,
        yMax: Math.ceil(evals[0].metrics.totalModes * 1.1),
        series: [{ name: 'modes', steps: evalSteps, values: evals.map((e) => e.metrics.modes) }],
      },
      // Fractions share [0, 1]; reverse KL, in nats and often below 0.05, has its own axis.
      {
        title: 'Fractions of samples',
        yMin: 0,
        yMax: 1,
        series: [
          { name: 'high-quality fraction', steps: evalSteps, values: evals.map((e) => e.metrics.highQuality) },
          ...conditionalSeries(evals),
        ],
      },
      {
        title: 'Reverse KL (nats)',
        yMin: 0,
        series: [{ name: 'reverse KL', steps: evalSteps, values: evals.map((e) => e.metrics.reverseKL) }],
      },
    );
  }
  // Image metrics: each metric against its real-vs-real reference (dashed), one panel each.
  const imageEvals = history.imageEvaluations();
  if (imageEvals.length > 0) {
    const steps = imageEvals.map((e) => e.step);
    const names = Object.keys(imageEvals[0].imageMetrics).filter(
      (k) => imageEvals[0].imageMetrics[`${k}_real`] !== undefined,
    );
    for (const name of names) {
      panels.push({
        title: name,
        series: [
          { name, steps, values: imageEvals.map((e) => e.imageMetrics[name]) },
          { name: 'real vs real', steps, values: imageEvals.map((e) => e.imageMetrics[`${name}_real`]), dashed: true },
        ],
      });
    }
  }
  return panels;
}

/**
 * The run's rollbacks (recovery.ts) as marks across the panels, at the step each went
 * back to; its resumes and warnings as marks of their own.
 */
export function curveEvents(history: History): Pick<CurvesOptions, 'events' | 'eventsName' | 'marks'> {
  const events = history.rollbacks().map((r) => ({ step: r.to, label: `lr ×${r.lrScale}` }));
  const warnings = history.lines.flatMap((l) => ('warning' in l ? [{ step: l.step, kind: 'warning' as const }] : []));
  const resumes = resumeSteps(history).map((step) => ({ step, kind: 'resume' as const }));
  return { events, eventsName: 'rollback (lr halved)', marks: [...resumes, ...warnings] };
}

/**
 * The steps a run was resumed from: its "resume" lines (at the checkpoint's step), and,
 * for records written while `seconds` restarted at each resume, the last step before
 * `seconds` falls.
 */
export function resumeSteps(history: History): number[] {
  const found = new Set(history.resumes().map((r) => r.step));
  const steps = history.steps();
  for (let i = 1; i < steps.length; i++) {
    const [before, after] = [steps[i - 1], steps[i]] as { step: number; seconds?: number }[];
    if (after.seconds !== undefined && before.seconds !== undefined && after.seconds < before.seconds)
      found.add(before.step);
  }
  return [...found].sort((a, b) => a - b);
}
