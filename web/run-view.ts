// One run, live: its record arrives through /api/events (Server-Sent Events; the browser
// reconnects by itself with Last-Event-ID, the byte offset reached, so no line is lost or
// repeated), its live frames and summary changes through the same stream. One step slider
// drives every panel: the curves' cursor and readouts, and the picture at that step. At
// the latest step the slider follows the run; dragged back, it stays until "Follow".
// Drawing is throttled to 4 times a second, and a run's initial burst of lines is drawn
// once, when it has all arrived.
import { getJson, runQuery, type LiveFrame, type RunDetail, type RunSummary } from './common.js';
import { Curves } from './curves.js';
import { Pictures } from './pictures.js';
import { RunRecord } from './record.js';
import { showBanner, showFacts } from './run-facts.js';

/** At most this often a redraw while lines stream in (ms). */
const REDRAW_EVERY = 250;
/** While the initial burst arrives, draw anyway after this long (a huge record on a slow link). */
const INITIAL_WAIT = 1000;

export interface RunViewElements {
  root: HTMLElement;
  title: HTMLElement;
  facts: HTMLElement;
  banner: HTMLElement;
  verdict: HTMLElement;
  slider: HTMLInputElement;
  stepLabel: HTMLElement;
  follow: HTMLButtonElement;
  smoothing: HTMLInputElement;
  smoothingLabel: HTMLElement;
  curves: HTMLElement;
  pictures: HTMLElement;
  options: HTMLElement;
  connection: HTMLElement;
}

export class RunView {
  private readonly curves: Curves;
  private readonly pictures: Pictures;
  private record = new RunRecord();
  private detail: RunDetail | null = null;
  private events: EventSource | null = null;
  private following = true;
  private step = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRender = 0;
  /** The step the record had when opened: drawing waits until the lines reach it. */
  private initialStep = 0;
  private openedAt = 0;
  private painted = false;
  private firstOpen = true;
  private markCount = -1;
  private detailTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private current: string | null = null;
  /** The byte offset of stats.jsonl reached: the last event's id. */
  private offset = 0;
  /** Counts open() calls, so an answer for a run no longer selected is dropped. */
  private opening = 0;

  constructor(
    private readonly ui: RunViewElements,
    /** Told each time the run's summary changes (status, step). */
    private readonly onSummary: (summary: RunSummary) => void,
  ) {
    this.curves = new Curves(ui.curves, (step) => this.goTo(step));
    this.pictures = new Pictures(ui.pictures, (step) => this.goTo(step));
    ui.slider.addEventListener('input', () => this.goTo(Number(ui.slider.value)));
    ui.follow.addEventListener('click', () => this.goTo(this.record.lastStep));
    ui.smoothing.addEventListener('input', () => {
      this.showSmoothing();
      this.schedule(true);
    });
    this.showSmoothing();
  }

  get name(): string | null {
    return this.current;
  }

  async open(name: string): Promise<void> {
    this.close();
    const opening = ++this.opening;
    this.current = name;
    this.openedAt = performance.now();
    this.step = 0;
    this.painted = false;
    this.following = true;
    // Unknown until the details come: until then the lines are only gathered.
    this.initialStep = Infinity;
    this.ui.root.hidden = false;
    this.ui.title.textContent = name;
    this.pictures.reset(name, null);
    if (!(await this.waitListed(name, opening))) return;
    // The stream and the details at once: the first lines need not wait for a round trip.
    this.connect(name, 0);
    const detail = await getJson<RunDetail>(`/api/run?${runQuery(name)}`).catch((err: Error) => {
      this.ui.connection.textContent = err.message;
      return null;
    });
    if (detail === null || opening !== this.opening) return;
    this.detail = detail;
    this.initialStep = detail.step;
    this.pictures.setKind(detail.kind);
    this.showDetail(detail);
    this.onSummary(detail);
    if (this.record.lastStep >= this.initialStep) this.schedule(true);
  }

  /**
   * The run's event stream from byte `offset`. The browser reconnects by itself after a
   * dropped connection (sending Last-Event-ID); a refused one (the run not found yet) is
   * opened again here, from the offset reached.
   */
  private connect(name: string, offset: number): void {
    const events = new EventSource(`/api/events?${runQuery(name)}${offset > 0 ? `&offset=${offset}` : ''}`);
    this.events = events;
    const offsetOf = (e: Event) => {
      const id = Number((e as MessageEvent).lastEventId);
      if (Number.isFinite(id) && (e as MessageEvent).lastEventId !== '') this.offset = id;
    };
    events.addEventListener('lines', (e) => {
      offsetOf(e);
      const caughtUpBefore = this.record.lastStep >= this.initialStep;
      this.record.add((e as MessageEvent<string>).data);
      // The initial burst complete: draw now rather than at the next tick.
      this.schedule(!caughtUpBefore && this.record.lastStep >= this.initialStep);
    });
    events.addEventListener('reset', (e) => {
      // The file was rewritten (a resume, a rollback): its lines follow from offset 0.
      this.offset = 0;
      offsetOf(e);
      this.record = new RunRecord();
      this.markCount = -1;
      this.curves.clear();
      this.schedule();
    });
    events.addEventListener('live', (e) => {
      let frame: LiveFrame;
      try {
        frame = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return; // a live.json that does not parse is skipped: the next one replaces it within a second
      }
      this.pictures.setLive(frame, this.following);
    });
    events.addEventListener('run', (e) => {
      const summary = JSON.parse((e as MessageEvent<string>).data) as RunSummary;
      this.onSummary(summary);
      this.refreshDetail();
    });
    events.addEventListener('open', () => (this.ui.connection.textContent = ''));
    events.addEventListener('error', () => {
      this.ui.root.dataset.dropped = String(Number(this.ui.root.dataset.dropped ?? 0) + 1);
      if (events.readyState !== EventSource.CLOSED) {
        this.ui.connection.textContent = 'reconnecting…';
        return;
      }
      this.ui.connection.textContent = 'disconnected; trying again';
      this.reconnectTimer = setTimeout(() => {
        if (this.events === events) this.connect(name, this.offset);
      }, 1000);
    });
  }

  /**
   * Waits until the server lists the run: one just started from the page appears when
   * its trainer has loaded and made its folder (seconds). Asking the run list, which
   * always answers, keeps the page from collecting "not found" answers meanwhile.
   */
  private async waitListed(name: string, opening: number): Promise<boolean> {
    for (let attempt = 0; attempt < 120; attempt++) {
      try {
        const { runs } = await getJson<{ runs: RunSummary[] }>('/api/runs');
        if (opening !== this.opening) return false;
        if (runs.some((r) => r.name === name)) {
          this.ui.connection.textContent = '';
          return true;
        }
        this.ui.connection.textContent = `waiting for ${name} to appear in the runs folder…`;
      } catch (err) {
        this.ui.connection.textContent = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (opening !== this.opening) return false;
    }
    this.ui.connection.textContent =
      `Expected a run named ${name} under the runs folder but none appeared in 60 s; ` + 'pick one from the list';
    return false;
  }

  close(): void {
    this.events?.close();
    this.events = null;
    this.current = null;
    this.offset = 0;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.detailTimer !== null) clearTimeout(this.detailTimer);
    this.timer = null;
    this.detailTimer = null;
    this.record = new RunRecord();
    this.markCount = -1;
    this.detail = null;
    this.curves.clear();
  }

  /** The summary changed (status, snapshots, metrics): fetch the details again, at most twice a second. */
  refreshDetail(): void {
    const name = this.name;
    if (name === null || this.detailTimer !== null) return;
    this.detailTimer = setTimeout(async () => {
      this.detailTimer = null;
      try {
        const detail = await getJson<RunDetail>(`/api/run?${runQuery(name)}`);
        if (this.name !== name) return;
        this.detail = detail;
        this.showDetail(detail);
        this.onSummary(detail);
      } catch (err) {
        this.ui.connection.textContent = (err as Error).message;
      }
    }, 500);
  }

  /** Moves the slider to `step`; at (or past) the latest step it follows the run again. */
  private goTo(step: number): void {
    const last = this.record.lastStep;
    this.step = Math.max(0, Math.min(step, last));
    this.following = this.step >= last;
    this.showStep();
  }

  private beta(): number {
    return Number(this.ui.smoothing.value);
  }

  private showSmoothing(): void {
    this.ui.smoothingLabel.textContent = this.beta().toFixed(3);
  }

  private schedule(now = false): void {
    if (now) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.render();
      return;
    }
    if (this.timer !== null) return;
    const catchingUp = this.record.lastStep < this.initialStep;
    const wait = catchingUp ? INITIAL_WAIT : Math.max(0, this.lastRender + REDRAW_EVERY - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.render();
    }, wait);
  }

  private render(): void {
    this.lastRender = performance.now();
    const record = this.record;
    this.curves.draw(record, this.beta(), this.detail?.steps ?? null);
    this.ui.slider.max = String(record.lastStep);
    if (this.following) this.step = record.lastStep;
    this.showStep();
    this.showMarks();
    if (!this.painted && record.lastStep >= this.initialStep) {
      this.painted = true;
      const ms = Math.round(performance.now() - (this.firstOpen ? 0 : this.openedAt));
      // Measured from navigation start for the run the page opened with, else from selecting the run.
      this.ui.curves.dataset.paintMs = String(ms);
      if (this.firstOpen) document.body.dataset.firstPaintMs = String(ms);
      this.firstOpen = false;
    }
  }

  private showStep(): void {
    const last = this.record.lastStep;
    this.ui.slider.value = String(this.step);
    this.ui.slider.max = String(last);
    this.ui.root.dataset.following = String(this.following);
    this.ui.stepLabel.textContent = this.following ? `step ${this.step} (live)` : `step ${this.step} of ${last}`;
    this.ui.follow.disabled = this.following;
    this.curves.setCursor(this.step);
    this.pictures.show(this.step, this.following);
  }

  /** Warnings and rollbacks as a banner (each also a mark on the curves); rebuilt when there are more. */
  private showMarks(): void {
    const marks = this.record.marks.filter((m) => m.kind !== 'resume');
    if (marks.length === this.markCount) return;
    this.markCount = marks.length;
    showBanner(this.ui.banner, marks, (step) => this.goTo(step));
  }

  private showDetail(detail: RunDetail): void {
    this.pictures.setSnapshots(detail.snapshots, Math.max(this.record.lastStep, detail.steps ?? 0));
    this.pictures.show(this.step, this.following);
    showFacts(this.ui, detail);
  }
}
