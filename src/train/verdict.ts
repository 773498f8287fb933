// The verdict: one sentence at the end of every run saying how good the result is and
// what to look at next, from the final numbers (metrics.json), the run's warnings and
// the kind of data. A pure function: the same numbers always give the same sentence.
// Each kind's bands and the reasons for their thresholds are beside its function.
import { runPaths } from '../run/paths.js';
import type { TrainingData } from './data.js';

/** What the run trained on: 2D mixtures (modes), 1D data, 2D data without modes, images. */
export type VerdictKind = 'mixture' | 'line' | 'plane' | 'images';

export interface VerdictInput {
  kind: VerdictKind;
  /** The data set's name or path (image bands are known for fashion-mnist). */
  data: string;
  /** metrics.json's numbers. */
  final: Record<string, unknown>;
  warnings: readonly string[];
  runDir: string;
  /** The run's game (--loss), for the hint to try another. */
  loss: string;
}

type Band = 'good' | 'fair' | 'poor';

/** The verdict's kind of a run's data. */
export function verdictKind(data: TrainingData): VerdictKind {
  if (data.kind === 'images') return 'images';
  return data.toy.dim === 1 ? 'line' : data.toy.modes ? 'mixture' : 'plane';
}

/** "good — 8/8 modes, 99.1% high quality, reverse KL 0.002; look at runs/x/samples.png". */
export function verdict(v: VerdictInput): string {
  const look = (...names: string[]) => names.map((n) => runPaths(v.runDir).picture(n)).join(' and ');
  const judged =
    v.kind === 'mixture'
      ? mixture(v, look)
      : v.kind === 'line'
        ? line(v, look)
        : v.kind === 'images'
          ? images(v, look)
          : `not scored — ${v.data} has no modes to count; look at ${look('samples')}`;
  return `${judged}${troubles(v)}`;
}

/** Warnings and rollbacks, which the numbers alone do not show. */
function troubles(v: VerdictInput): string {
  const notes: string[] = [];
  const rollbacks = Number(v.final.rollbacks ?? 0);
  if (rollbacks > 0) notes.push(`${rollbacks} rollback${rollbacks > 1 ? 's' : ''} after divergences`);
  if (v.warnings.length > 0)
    notes.push(`${v.warnings.length} warning${v.warnings.length > 1 ? 's' : ''} above; see curves.png`);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

const num = (final: Record<string, unknown>, key: string): number | undefined =>
  typeof final[key] === 'number' ? (final[key] as number) : undefined;
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Mixtures, the PacGAN/VEEGAN protocol (2,500 samples). Real data scores 98.9% high
 * quality, every mode, reverse KL ≈ 0; gankit's default runs 97–99%, every mode, reverse
 * KL ≤ 0.005 (README); PacGAN's GAN row 6.3/8 modes, reverse KL 0.45.
 * - good: every mode, ≥ 90% high quality, reverse KL ≤ 0.1 (PacGAN4's 0.04–0.07 is good);
 *   a conditional run also needs ≥ 90% of its samples at their class's (code's) mode.
 * - poor: at most half the modes (what failures.ts calls mode collapse), or under half
 *   the samples near any mode (VEEGAN's 40–53% high quality): the picture is wrong.
 * - fair: the rest (a mode or two missing, uneven weights, many samples between modes).
 */
function mixture(v: VerdictInput, look: (...n: string[]) => string): string {
  const f = v.final;
  const modes = num(f, 'modes');
  const total = num(f, 'totalModes');
  const quality = num(f, 'highQuality');
  const kl = num(f, 'reverseKL');
  if (modes === undefined || total === undefined || quality === undefined || kl === undefined)
    return `not scored — the final evaluation left no mode metrics; look at ${look('samples', 'curves')}`;
  const accuracy = num(f, 'classAccuracy') ?? num(f, 'codeAccuracy');
  const accuracyName = num(f, 'classAccuracy') !== undefined ? 'class accuracy' : 'code accuracy';
  const facts =
    `${modes}/${total} modes, ${percent(quality)} high quality, reverse KL ${kl.toFixed(3)}` +
    (accuracy !== undefined ? `, ${accuracyName} ${percent(accuracy)}` : '');
  const finite = Number.isFinite(quality) && Number.isFinite(kl);
  const collapsed = modes <= total / 2;
  const band: Band =
    !finite || collapsed || quality < 0.5
      ? 'poor'
      : modes === total && quality >= 0.9 && kl <= 0.1 && (accuracy === undefined || accuracy >= 0.9)
        ? 'good'
        : 'fair';
  if (band === 'good') return `good — ${facts}; look at ${look('samples')}`;
  const another = v.loss === 'wgan-gp' ? 'another --loss' : '--loss wgan-gp';
  if (collapsed)
    return (
      `poor — ${facts} (mode collapse); look at ${look('samples', 'curves')} and try more --steps, ` +
      `a larger --r1 or ${another}`
    );
  if (band === 'poor')
    return `poor — ${facts}; look at ${look('samples', 'curves')} and try more --steps or lower learning rates`;
  const what =
    modes < total
      ? `the ${total - modes} missing mode${total - modes > 1 ? 's' : ''}`
      : quality < 0.9
        ? 'the samples between modes'
        : kl > 0.1
          ? 'the uneven mode weights'
          : 'the samples at the wrong mode';
  return `fair — ${facts}; look at ${look('samples')} for ${what} and try more --steps`;
}

/**
 * 1D data, judged by the Kolmogorov–Smirnov statistic: it has no units, so one
 * threshold fits any data scale. Two real samples of 2,500 differ by about 0.025
 * (95% of pairs by less than 0.04).
 * - good: KS ≤ 0.05, or within twice the real pair's own: G's CDF is everywhere within
 *   5 points of the data's, as close as sampling noise allows at this size.
 * - fair: KS ≤ 0.15: the right place and spread, the shape off (a skew, a heavy tail).
 * - poor: beyond, a shifted, too narrow (collapsed) or too wide p_g.
 */
function line(v: VerdictInput, look: (...n: string[]) => string): string {
  const f = v.final;
  const w1 = num(f, 'wasserstein1');
  const ks = num(f, 'ks');
  if (w1 === undefined || ks === undefined)
    return `not scored — the final evaluation left no distances; look at ${look('samples', 'discriminator')}`;
  const realKs = num(f, 'ks_real');
  const realW1 = num(f, 'wasserstein1_real');
  const round = (x: number) => x.toPrecision(2);
  const facts =
    `Wasserstein-1 ${round(w1)}${realW1 !== undefined ? ` (real vs real ${round(realW1)})` : ''}, ` +
    `KS ${round(ks)}${realKs !== undefined ? ` (real vs real ${round(realKs)})` : ''}`;
  const band: Band = !Number.isFinite(ks)
    ? 'poor'
    : ks <= Math.max(0.05, 2 * (realKs ?? 0))
      ? 'good'
      : ks <= 0.15
        ? 'fair'
        : 'poor';
  if (band === 'good') return `good — p_g matches p_data: ${facts}; look at ${look('samples')}`;
  return (
    `${band} — ${facts}; look at ${look('samples', 'discriminator')} (where p_g and p_data differ, D leaves ` +
    '0.5) and try more --steps'
  );
}

/**
 * Images, judged by FID with gankit's shipped feature network, which was trained on
 * Fashion-MNIST: only there are there numbers to judge by. The same protocol scores
 * real test images against the training set at 0.16 (the floor), and DCGAN-28 with
 * seed 1 at 73.8 after one epoch and 22.7 after five (README).
 * - good: fid10k ≤ 30, about five epochs of DCGAN-28: every class generated, recall 0.65.
 * - fair: ≤ 100, up to a little worse than one epoch: garments, classes uneven.
 * - poor: beyond 100, worse than one epoch of DCGAN-28: blobs, or a few garments repeated.
 * Other data gets its numbers beside its own real-vs-real floor, without a band.
 */
function images(v: VerdictInput, look: (...n: string[]) => string): string {
  const f = v.final;
  const name = num(f, 'fid10k') !== undefined ? 'fid10k' : num(f, 'fid') !== undefined ? 'fid' : undefined;
  const head = imageHead(f);
  if (!name) {
    return (
      `not measured — no FID at the end${head}; look at ${look('samples')}, or score it with ` +
      `gankit eval --run ${v.runDir}`
    );
  }
  const fid = f[name] as number;
  const real = num(f, `${name}_real`);
  const facts = `${name} ${fid.toFixed(1)}${real !== undefined ? ` (real vs real ${real.toFixed(2)})` : ''}${head}`;
  if (v.data !== 'fashion-mnist') {
    return (
      `measured — ${facts}; gankit knows no numbers for ${v.data} to judge it by, so compare runs with ` +
      `each other; look at ${look('samples')}`
    );
  }
  const known = 'DCGAN-28 scores 73.8 after 1 epoch and 22.7 after 5';
  const band: Band = !Number.isFinite(fid) ? 'poor' : fid <= 30 ? 'good' : fid <= 100 ? 'fair' : 'poor';
  if (band === 'good') return `good — ${facts}; ${known}; look at ${look('samples')}`;
  const epochs = num(f, 'epochs');
  const longer = epochs !== undefined && epochs < 5 ? 'train longer (--epochs 5)' : 'train longer';
  if (band === 'fair') return `fair — ${facts}; ${known}; look at ${look('samples')} and ${longer}`;
  return `poor — ${facts}; ${known}; look at ${look('samples', 'curves')} and ${longer} or try another --loss`;
}

/** ACGAN's class head, InfoGAN's Q, as classifiers of the test images. */
function imageHead(f: Record<string, unknown>): string {
  const head = num(f, 'headAccuracy');
  if (head !== undefined) return `, D's class head ${percent(head)}`;
  const q = num(f, 'qAccuracy');
  return q !== undefined ? `, Q's code as a classifier ${percent(q)}` : '';
}
