// The curves of one run, one uPlot chart per panel of panels.ts (curves.png's panels).
// Step series are drawn twice: the raw line faint and its debiased EMA on top. Marks
// (warnings, rollbacks, resumes) and the step slider's cursor are drawn by a hook on
// every chart, and each panel reads out its values at the cursor's step.
import { ALERT_COLOR, RESUME_COLOR, WARNING_COLOR, withAlpha } from './colors.js';
import { panelSpecs, type PanelSpec } from './panels.js';
import { lowerBound, type Mark, type RunRecord, type StepColumn } from './record.js';
import { debiasedEma } from './smoothing.js';
import { makePlot, type UPlot, type UPlotData, type UPlotOptions, type UPlotSeries } from './uplot.js';

const MARK_STYLE: Record<Mark['kind'], { color: string; width: number; dash: number[] }> = {
  rollback: { color: ALERT_COLOR, width: 1.5, dash: [5, 4] },
  resume: { color: RESUME_COLOR, width: 2, dash: [] },
  warning: { color: WARNING_COLOR, width: 1.5, dash: [2, 3] },
};

const format = (v: number | null) =>
  v === null ? '—' : Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(3) : v.toFixed(4);

interface Panel {
  spec: PanelSpec;
  plot: UPlot;
  readout: HTMLElement;
  element: HTMLElement;
}

export class Curves {
  private panels: Panel[] = [];
  private layout = '';
  private record: RunRecord | null = null;
  private cursor = 0;
  private xMax = 1;
  /** The smoothed copies of the step columns at the current β, kept for the readouts. */
  private smoothed = new Map<string, (number | null)[]>();

  /** `pick` is called with a step when the chart is clicked (the step slider follows). */
  constructor(
    private readonly element: HTMLElement,
    private readonly pick: (step: number) => void,
  ) {
    new ResizeObserver(() => this.resize()).observe(element);
  }

  /** Draws the record (all of it), smoothing step series with weight β. */
  draw(record: RunRecord, beta: number, steps: number | null): void {
    this.record = record;
    this.xMax = Math.max(1, record.lastStep, steps ?? 0);
    const specs = panelSpecs(record);
    const layout = JSON.stringify(specs.map((p) => [p.id, p.series.map((s) => s.key)]));
    if (layout !== this.layout) this.build(specs, layout);
    this.smoothed.clear();
    for (const panel of this.panels) panel.plot.setData(this.data(panel.spec, record, beta));
    this.element.dataset.step = String(record.lastStep);
    this.element.dataset.points = String(record.steps.length);
    // Every line read, of any kind: a line received twice would show here (the tests compare it with the file).
    this.element.dataset.lines = String(record.lineCount);
    this.readAll();
  }

  /** Moves the cursor line to `step` on every chart and reads out the values there. */
  setCursor(step: number): void {
    this.cursor = step;
    this.element.dataset.cursor = String(step);
    for (const panel of this.panels) panel.plot.redraw(false, false);
    this.readAll();
  }

  clear(): void {
    for (const panel of this.panels) panel.plot.destroy();
    this.panels = [];
    this.layout = '';
    this.element.replaceChildren();
    delete this.element.dataset.step;
    delete this.element.dataset.points;
    delete this.element.dataset.lines;
  }

  private build(specs: PanelSpec[], layout: string): void {
    this.clear();
    this.layout = layout;
    const width = this.width();
    for (const spec of specs) {
      const element = document.createElement('figure');
      element.className = 'panel';
      element.dataset.panel = spec.id;
      const title = document.createElement('figcaption');
      title.textContent = spec.title;
      const readout = document.createElement('div');
      readout.className = 'readout';
      const chart = document.createElement('div');
      element.append(title, readout, chart);
      this.element.append(element);
      const plot = makePlot(this.options(spec, width), [[]], chart);
      plot.over.addEventListener('click', () => {
        const left = plot.cursor.left;
        if (left !== undefined && left >= 0) this.pick(Math.round(plot.posToVal(left, 'x')));
      });
      this.panels.push({ spec, plot, readout, element });
    }
  }

  private width(): number {
    return Math.max(320, this.element.clientWidth - 8);
  }

  private resize(): void {
    const width = this.width();
    for (const panel of this.panels) panel.plot.setSize({ width, height: panel.plot.height });
  }

  private options(spec: PanelSpec, width: number): UPlotOptions {
    const series: UPlotSeries[] = [{ label: 'step' }];
    for (const s of spec.series) {
      if (s.smooth) {
        series.push({ label: `${s.label} (raw)`, stroke: withAlpha(s.color, 0.22), width: 1 });
        series.push({ label: s.label, stroke: s.color, width: 1.5 });
      } else {
        series.push({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dashed ? [6, 4] : undefined,
          points: { show: spec.x === 'evals' },
        });
      }
    }
    const { yMin, yMax } = spec;
    return {
      width,
      height: 170,
      series,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => [0, this.xMax] },
        y: {
          range: (_u, min, max) => {
            const lo = yMin ?? min;
            const hi = yMax ?? max;
            if (!(hi > lo)) return [lo - 0.5 * Math.abs(lo || 1), hi + 0.5 * Math.abs(hi || 1)];
            const pad = (hi - lo) * 0.05;
            return [yMin ?? lo - pad, yMax ?? hi + pad];
          },
        },
      },
      // Three significant digits: uPlot's default rounds a learning rate of 5e-4 to "0.001".
      axes: [{}, { size: 60, values: (_u, splits) => splits.map((v) => String(Number(v.toPrecision(3)))) }],
      hooks: { draw: [(u) => this.drawMarks(u)] },
    };
  }

  private data(spec: PanelSpec, record: RunRecord, beta: number): UPlotData {
    const x = spec.x === 'steps' ? record.steps : record.evalSteps;
    const columns: (number | null)[][] = [];
    for (const s of spec.series) {
      const raw =
        spec.x === 'steps' ? record.columns[s.key as StepColumn] : (record.evals.get(s.key) ?? x.map(() => null));
      columns.push(raw);
      if (s.smooth) {
        const smooth = debiasedEma(raw, beta);
        this.smoothed.set(s.key, smooth);
        columns.push(smooth);
      }
    }
    return [x, ...columns] as UPlotData;
  }

  /** Marks and the cursor, in canvas pixels, over the plotting area. */
  private drawMarks(u: UPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    const line = (step: number, color: string, width: number, dash: number[]) => {
      const x = Math.round(u.valToPos(step, 'x', true));
      ctx.strokeStyle = color;
      ctx.lineWidth = width * devicePixelRatio;
      ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    };
    ctx.save();
    for (const mark of this.record?.marks ?? []) {
      const style = MARK_STYLE[mark.kind];
      line(mark.step, style.color, style.width, style.dash);
    }
    line(this.cursor, 'rgba(0,0,0,0.75)', 1, []);
    ctx.restore();
  }

  /** Each panel's values at the cursor: the step line at or before it, the evaluation at or before it. */
  private readAll(): void {
    const record = this.record;
    if (!record) return;
    for (const panel of this.panels) {
      const x = panel.spec.x === 'steps' ? record.steps : record.evalSteps;
      const at = lowerBound(x, this.cursor + 1) - 1; // the last index with x ≤ cursor
      const items: HTMLElement[] = [];
      if (at >= 0 && x[at] !== this.cursor) {
        const note = document.createElement('span');
        note.className = 'at';
        note.textContent = `at step ${x[at]}:`;
        items.push(note);
      }
      for (const s of panel.spec.series) {
        const column = panel.spec.x === 'steps' ? record.columns[s.key as StepColumn] : record.evals.get(s.key);
        const raw = at >= 0 ? (column?.[at] ?? null) : null;
        const item = document.createElement('span');
        item.className = 'value';
        item.dataset.series = s.key;
        item.dataset.raw = String(raw);
        const swatch = document.createElement('i');
        swatch.style.background = s.color;
        let text = ` ${s.label} ${format(raw)}`;
        if (s.smooth) {
          const smooth = at >= 0 ? (this.smoothed.get(s.key)?.[at] ?? null) : null;
          item.dataset.smooth = String(smooth);
          text += ` (smoothed ${format(smooth)})`;
        }
        item.append(swatch, text);
        items.push(item);
      }
      panel.readout.replaceChildren(...items);
    }
  }
}
