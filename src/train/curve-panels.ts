// The panels of curves.png: losses, D's outputs, G's auxiliary loss, and the
// evaluations over training (modes and quality on mixtures, each image metric against
// its real-vs-real reference). Used by pictures.ts for toy and image runs alike.
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
      {
        title: 'High-quality samples and reverse KL',
        yMin: 0,
        series: [
          { name: 'high-quality fraction', steps: evalSteps, values: evals.map((e) => e.metrics.highQuality) },
          { name: 'reverse KL (nats)', steps: evalSteps, values: evals.map((e) => e.metrics.reverseKL), dashed: true },
          ...conditionalSeries(evals),
        ],
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

/** The run's rollbacks (recovery.ts) as marks across the panels, at the step each went back to. */
export function curveEvents(history: History): Pick<CurvesOptions, 'events' | 'eventsName'> {
  const events = history.rollbacks().map((r) => ({ step: r.to, label: `lr ×${r.lrScale}` }));
  return { events, eventsName: 'rollback (lr halved)' };
}
