// Which charts a run's record gets, in the order of curves.png (src/train/curve-panels.ts):
// losses, D's outputs, the learning rate, G's auxiliary loss, then the evaluations (modes,
// fractions, reverse KL) and every other metric beside its real-vs-real reference. A
// quantity with a scale of its own gets a chart of its own.
import { SERIES_COLORS } from './colors.js';
import type { RunRecord, StepColumn } from './record.js';

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  /** Step series get a faint raw line and a smoothed one; evaluations are drawn as they are, with points. */
  smooth: boolean;
  dashed?: boolean;
}

export interface PanelSpec {
  id: string;
  title: string;
  /** Step lines' columns, or the evaluation rows. */
  x: 'steps' | 'evals';
  series: SeriesSpec[];
  yMin?: number;
  yMax?: number;
}

const STEP_LABELS: Record<StepColumn, string> = {
  lossD: 'D loss',
  lossG: 'G loss',
  dReal: 'D(x)',
  dFake: 'D(G(z))',
  lr: 'lr',
  aux: 'aux loss',
};

/** Spreads and per-class fractions are not curves of their own (src/metrics/describe.ts leaves them out too). */
const NOT_A_CURVE = /(_(real|std|se|sigma)$)|_real_|^classes_p\d+$|totalModes$/;

/** The panels this record has data for, in the order of curves.png. */
export function panelSpecs(record: RunRecord): PanelSpec[] {
  const step = (key: StepColumn, color: number): SeriesSpec => ({
    key,
    label: STEP_LABELS[key],
    color: SERIES_COLORS[color],
    smooth: true,
  });
  const panels: PanelSpec[] = [];
  if (record.steps.length > 0) {
    panels.push(
      { id: 'losses', title: 'Losses', x: 'steps', series: [step('lossD', 0), step('lossG', 1)] },
      {
        id: 'outputs',
        title: 'Discriminator outputs',
        x: 'steps',
        series: [step('dReal', 2), step('dFake', 3)],
        yMin: 0,
        yMax: 1,
      },
      { id: 'lr', title: "G's learning rate", x: 'steps', series: [{ ...step('lr', 0), smooth: false }], yMin: 0 },
    );
    if (record.hasAux)
      panels.push({ id: 'aux', title: 'Auxiliary loss of G', x: 'steps', series: [step('aux', 4)], yMin: 0 });
  }
  const names = [...record.evals.keys()];
  const has = (name: string) => record.evals.has(name);
  const evaluation = (key: string, label: string, color: number, dashed = false): SeriesSpec => ({
    key,
    label,
    color: SERIES_COLORS[color],
    smooth: false,
    dashed,
  });
  const untruncated = (key: string): SeriesSpec[] =>
    has(`untruncated.${key}`) ? [evaluation(`untruncated.${key}`, "G's own samples (untruncated)", 5, true)] : [];
  const used = new Set<string>();
  const add = (panel: PanelSpec) => {
    panel.series = panel.series.filter((s) => has(s.key));
    if (panel.series.length === 0) return;
    for (const s of panel.series) used.add(s.key);
    panels.push(panel);
  };
  if (has('modes')) {
    const total = record.evals.get('totalModes')?.find((v) => v !== null) ?? null;
    add({
      id: 'modes',
      title: 'Modes covered',
      x: 'evals',
      yMin: 0,
      // Headroom above the total, as curves.png: a run covering every mode stays off the border.
      yMax: total === null ? undefined : Math.ceil(total * 1.1),
      series: [evaluation('modes', 'modes', 0), ...untruncated('modes')],
    });
  }
  add({
    id: 'fractions',
    title: 'Fractions of samples',
    x: 'evals',
    yMin: 0,
    yMax: 1,
    series: [
      evaluation('highQuality', 'high-quality fraction', 0),
      evaluation('classAccuracy', 'class accuracy', 2),
      evaluation('codeAccuracy', 'code accuracy', 2),
      ...untruncated('highQuality'),
    ],
  });
  add({
    id: 'reverseKL',
    title: 'Reverse KL (nats)',
    x: 'evals',
    yMin: 0,
    series: [evaluation('reverseKL', 'reverse KL', 0), ...untruncated('reverseKL')],
  });
  // Every other metric (fid10k, wasserstein1, ks, …): a panel each, its reference dashed.
  for (const name of names) {
    if (used.has(name) || NOT_A_CURVE.test(name) || name.startsWith('untruncated.')) continue;
    add({
      id: `metric-${name}`,
      title: name,
      x: 'evals',
      series: [evaluation(name, name, 0), evaluation(`${name}_real`, 'real vs real', 6, true), ...untruncated(name)],
    });
  }
  return panels;
}
