// Steering the selected run: Pause (a training run: the trainer checkpoints and exits),
// Resume (a stopped run), Checkpoint now (a training run), each a POST carrying the token;
// when the server refuses, its sentence is shown. And the way to the playground.
import { post, runQuery, type RunSummary } from './common.js';

export interface SteeringElements {
  pause: HTMLButtonElement;
  resume: HTMLButtonElement;
  checkpoint: HTMLButtonElement;
  play: HTMLAnchorElement;
  message: HTMLElement;
}

export class Steering {
  private run: RunSummary | null = null;

  constructor(
    private readonly ui: SteeringElements,
    /** Called after a request was accepted (the run list refreshes). */
    private readonly changed: () => void,
  ) {
    ui.pause.addEventListener('click', () => this.send('pause', 'pausing: the trainer checkpoints and stops'));
    ui.resume.addEventListener('click', () => this.send('resume', 'resuming'));
    ui.checkpoint.addEventListener('click', () => this.send('checkpoint', 'a checkpoint after the current step'));
  }

  /** The selected run's summary, as the list or the event stream last saw it. */
  update(run: RunSummary): void {
    const changed = this.run?.name !== run.name;
    this.run = run;
    if (changed) this.ui.message.textContent = '';
    this.ui.pause.disabled = run.status !== 'training';
    this.ui.checkpoint.disabled = run.status !== 'training';
    this.ui.resume.disabled = run.status !== 'stopped';
    this.ui.play.href = `/app/play.html?${runQuery(run.name)}`;
    this.ui.play.hidden = run.kind === null;
  }

  private async send(action: 'pause' | 'resume' | 'checkpoint', doing: string): Promise<void> {
    const run = this.run;
    if (!run) return;
    this.ui.message.className = 'message';
    this.ui.message.textContent = `${run.name}: ${doing}…`;
    try {
      const { pid } = await post<{ pid: number }>(`/api/${action}?${runQuery(run.name)}`);
      this.ui.message.textContent = `${run.name}: ${doing} (process ${pid})`;
      this.changed();
    } catch (err) {
      this.ui.message.className = 'message error';
      this.ui.message.textContent = (err as Error).message;
    }
  }
}
