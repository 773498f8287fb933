// The marks curves.png draws across its panels at a step: rollbacks (red, dashed, with
// the lr factor), resumes (grey, solid) and warnings (amber, dotted). Each kind's style
// is one entry of MARK_STYLES, which both the plot and its legend swatch draw from, so
// the legend shows what the panel shows.
import type { Scale } from './axes.js';
import { ALERT_COLOR } from './colors.js';
import { font, FONT, type Ctx, type LegendItem } from './draw.js';

/** Something that happened at a step, marked across every panel (a rollback after a divergence). */
export interface CurveEvent {
  step: number;
  /** Short, drawn beside the mark in the first panel, e.g. 'lr ×0.5'. */
  label: string;
}

/** Where a run was resumed from a checkpoint, or wrote a warning line (see stats.jsonl for its words). */
export interface CurveMark {
  step: number;
  kind: 'resume' | 'warning';
}

/** How each kind of mark is drawn; the legend draws its swatch from the same entry. */
export const MARK_STYLES = {
  event: { color: ALERT_COLOR, width: 1.5, dash: [5, 4] },
  resume: { color: '#444444', width: 2, dash: [] as number[] },
  warning: { color: '#B35900', width: 1.5, dash: [2, 3] },
} as const;

type Rect = { left: number; top: number; width: number; height: number };

/** Draws the events and marks in one panel; returns their legend entries. */
export function drawCurveMarks(
  ctx: Ctx,
  events: CurveEvent[],
  eventsName: string,
  marks: CurveMark[],
  r: Rect,
  x: Scale,
  labelled: boolean,
): LegendItem[] {
  const legend: LegendItem[] = [];
  if (events.length > 0) {
    drawEvents(ctx, events, r, x, labelled);
    legend.push({ label: eventsName, kind: 'line', ...styleOf('event') });
  }
  for (const kind of ['resume', 'warning'] as const) {
    const steps = marks.filter((m) => m.kind === kind).map((m) => m.step);
    if (steps.length === 0) continue;
    drawMarks(ctx, steps, MARK_STYLES[kind], r, x, labelled ? MARK_LABELS[kind] : undefined);
    legend.push({ label: MARK_NAMES[kind], kind: 'line', ...styleOf(kind) });
  }
  return legend;
}

const MARK_NAMES = { resume: 'resumed here', warning: 'warning (stats.jsonl)' } as const;
const MARK_LABELS = { resume: 'resumed', warning: 'warning' } as const;

function styleOf(kind: keyof typeof MARK_STYLES): { color: string; width: number; dash: number[] } {
  const s = MARK_STYLES[kind];
  return { color: s.color, width: s.width, dash: [...s.dash] };
}

/** A vertical line from top to bottom at each step, in the mark's style; a label beside each in the first panel. */
function drawMarks(
  ctx: Ctx,
  steps: number[],
  style: { color: string; width: number; dash: readonly number[] },
  r: { left: number; top: number; width: number; height: number },
  x: Scale,
  label: string | undefined,
): void {
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.fillStyle = style.color;
  ctx.lineWidth = style.width;
  ctx.setLineDash([...style.dash]);
  ctx.font = font(FONT.tick, true);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  for (const step of steps) {
    const px = Math.round(x(step)) + 0.5;
    if (px < r.left || px > r.left + r.width) continue;
    ctx.beginPath();
    ctx.moveTo(px, r.top);
    ctx.lineTo(px, r.top + r.height);
    ctx.stroke();
    if (label) ctx.fillText(label, px - 3, r.top + r.height - 3);
  }
  ctx.restore();
}

/** A dashed alert-coloured line from top to bottom at each event's step; its label in the first panel. */
function drawEvents(
  ctx: Ctx,
  events: CurveEvent[],
  r: { left: number; top: number; width: number; height: number },
  x: Scale,
  labelled: boolean,
): void {
  ctx.save();
  ctx.strokeStyle = MARK_STYLES.event.color;
  ctx.fillStyle = MARK_STYLES.event.color;
  ctx.lineWidth = MARK_STYLES.event.width;
  ctx.setLineDash([...MARK_STYLES.event.dash]);
  ctx.font = font(FONT.tick, true);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (const e of events) {
    const px = Math.round(x(e.step)) + 0.5;
    if (px < r.left || px > r.left + r.width) continue;
    ctx.beginPath();
    ctx.moveTo(px, r.top);
    ctx.lineTo(px, r.top + r.height);
    ctx.stroke();
    if (labelled) ctx.fillText(e.label, px + 3, r.top + 14);
  }
  ctx.restore();
}
