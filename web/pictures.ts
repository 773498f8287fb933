// The picture panel of one run at the step slider's step. At the latest step ("live") a
// 1D/2D run shows its live frame and an image run its latest snapshot, labelled with its
// step; at any other step only a snapshot of exactly that step is shown, and when there is
// none the panel says so and offers the nearest steps, never an older picture in silence.
// A timeline under it marks every snapshot step.
import { fileUrl, type LiveFrame, type RunDetail } from './common.js';
import { LiveView } from './live-view.js';

type Snapshot = RunDetail['snapshots'][number];

export class Pictures {
  private readonly caption = document.createElement('p');
  private readonly images = document.createElement('div');
  private readonly liveBox = document.createElement('div');
  private readonly timeline = document.createElement('div');
  private readonly live: LiveView;
  private run = '';
  private kind: RunDetail['kind'] = null;
  /** Snapshots by step, without curves (the curves panels span the run already). */
  private byStep = new Map<number, Snapshot[]>();
  private steps: number[] = [];
  private lastShown = '';

  constructor(
    readonly element: HTMLElement,
    private readonly jump: (step: number) => void,
  ) {
    this.caption.className = 'caption';
    this.images.className = 'snapshots';
    this.timeline.className = 'timeline';
    this.live = new LiveView(this.liveBox);
    element.append(this.caption, this.liveBox, this.images, this.timeline);
  }

  /** Forgets the previous run's pictures and live frame. */
  reset(run: string, kind: RunDetail['kind']): void {
    this.run = run;
    this.live.clear();
    this.setKind(kind);
    this.byStep.clear();
    this.steps = [];
    this.lastShown = '';
    this.timeline.replaceChildren();
    this.images.replaceChildren();
  }

  /** Which pictures the run has (1D/2D: a live frame; images: snapshots only); null hides the panel. */
  setKind(kind: RunDetail['kind']): void {
    this.kind = kind;
    this.element.hidden = kind === null;
    this.element.dataset.kind = kind ?? '';
  }

  setSnapshots(snapshots: Snapshot[], lastStep: number): void {
    this.byStep.clear();
    for (const s of snapshots) {
      if (s.kind === 'curves') continue;
      const list = this.byStep.get(s.step) ?? [];
      list.push(s);
      this.byStep.set(s.step, list);
    }
    this.steps = [...this.byStep.keys()].sort((a, b) => a - b);
    const end = Math.max(1, lastStep, this.steps[this.steps.length - 1] ?? 0);
    this.timeline.replaceChildren(
      ...this.steps.map((step) => {
        const tick = document.createElement('button');
        tick.className = 'tick';
        tick.title = `snapshot at step ${step}`;
        tick.dataset.step = String(step);
        tick.style.left = `${(100 * step) / end}%`;
        tick.addEventListener('click', () => this.jump(step));
        return tick;
      }),
    );
  }

  /** A new live frame: drawn at once when the panel is live. */
  setLive(frame: LiveFrame, following: boolean): void {
    if (following) {
      this.live.show(frame);
      this.showLive();
    } else this.live.keep(frame);
  }

  /** Shows what belongs at `step`; `following` means the slider is at the latest step. */
  show(step: number, following: boolean): void {
    if (this.kind === null) return;
    if (following && this.kind !== 'image' && this.live.step !== null) {
      this.live.draw();
      this.showLive();
      return;
    }
    this.liveBox.hidden = true;
    const exact = this.byStep.get(step);
    if (following && this.steps.length > 0) {
      // Image runs have no live frame, and a toy run may not write one (--live-every 0): the latest, labelled.
      const latest = this.steps[this.steps.length - 1];
      this.showImages(this.byStep.get(latest)!, `latest snapshot, step ${latest}`);
    } else if (following) {
      this.showNothing(step, this.kind === 'image' ? 'no snapshot yet' : 'no live frame or snapshot yet');
    } else if (exact) {
      this.showImages(exact, `snapshot at step ${step}`);
    } else {
      this.showNothing(step);
    }
  }

  private showLive(): void {
    this.liveBox.hidden = false;
    this.images.replaceChildren();
    this.lastShown = 'live';
    this.element.dataset.showing = 'live';
    this.caption.textContent = `live, step ${this.live.step}`;
  }

  private showImages(snapshots: Snapshot[], caption: string): void {
    this.caption.textContent = caption;
    this.element.dataset.showing = `step-${snapshots[0].step}`;
    const key = snapshots.map((s) => s.file).join();
    if (key === this.lastShown) return;
    this.lastShown = key;
    this.images.replaceChildren(
      ...snapshots.map((s) => {
        const figure = document.createElement('figure');
        const img = document.createElement('img');
        img.src = fileUrl(this.run, s.file);
        img.alt = `${s.kind} at step ${s.step}`;
        img.dataset.kind = s.kind;
        const caption = document.createElement('figcaption');
        caption.textContent = s.kind;
        figure.append(caption, img);
        return figure;
      }),
    );
  }

  private showNothing(step: number, why?: string): void {
    this.lastShown = '';
    this.images.replaceChildren();
    this.element.dataset.showing = 'none';
    if (why) {
      this.caption.textContent = why;
      return;
    }
    const i = this.steps.findIndex((s) => s > step);
    const nearest = [this.steps[(i === -1 ? this.steps.length : i) - 1], i === -1 ? undefined : this.steps[i]].filter(
      (s): s is number => s !== undefined,
    );
    const noun = this.kind === 'image' ? 'image' : 'picture';
    this.caption.replaceChildren(
      `no ${noun} at step ${step}` + (nearest.length > 0 ? ' — nearest: ' : ' (no snapshots yet)'),
      ...nearest.map((s) => {
        const button = document.createElement('button');
        button.className = 'jump';
        button.textContent = String(s);
        button.addEventListener('click', () => this.jump(s));
        return button;
      }),
    );
  }
}
