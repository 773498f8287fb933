// The run list: every run under the runs folder, polled every 2 s so new runs appear,
// with its status, step/steps and data/model/loss; a checkbox per run to compare the
// checked ones on /app/compare.html; and the "New training" form, whose run is selected
// as soon as the server has started it.
import { getJson, post, runQuery, type RunSummary } from './common.js';

const POLL_EVERY = 2000;

export interface RunListElements {
  list: HTMLElement;
  runsDir: HTMLElement;
  compare: HTMLButtonElement;
  form: HTMLFormElement;
  formMessage: HTMLElement;
  error: HTMLElement;
}

interface Row {
  item: HTMLLIElement;
  box: HTMLInputElement;
  name: HTMLButtonElement;
  facts: HTMLElement;
}

export class RunList {
  private readonly rows = new Map<string, Row>();
  private readonly checked = new Set<string>();
  private selected: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Runs started from the form that the server does not list yet (their trainer is still loading), by start time. */
  private readonly starting = new Map<string, { summary: RunSummary; since: number }>();
  runs: RunSummary[] = [];

  constructor(
    private readonly ui: RunListElements,
    private readonly select: (name: string) => void,
    /** Each poll's summaries (the selected run's status drives the steering buttons). */
    private readonly polled: (runs: RunSummary[]) => void,
  ) {
    ui.compare.addEventListener('click', () => {
      const query = [...this.checked].map(runQuery).join('&');
      window.open(`/app/compare.html?${query}`, '_blank');
    });
    ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.startTraining();
    });
  }

  /** Polls now and then every 2 s. */
  async refresh(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    try {
      const { runsDir, runs } = await getJson<{ runsDir: string; runs: RunSummary[] }>('/api/runs');
      this.ui.runsDir.textContent = runsDir;
      this.ui.error.textContent = '';
      this.show(runs);
      this.polled(runs);
    } catch (err) {
      this.ui.error.textContent = (err as Error).message;
    }
    this.timer = setTimeout(() => void this.refresh(), POLL_EVERY);
  }

  markSelected(name: string | null): void {
    this.selected = name;
    for (const [runName, row] of this.rows) row.item.classList.toggle('selected', runName === name);
  }

  private show(listed: RunSummary[]): void {
    this.runs = listed;
    // A run started here shows at once, as "starting", until the server finds its folder (at most a minute).
    for (const [name, { since }] of this.starting)
      if (listed.some((r) => r.name === name) || Date.now() - since > 60_000) this.starting.delete(name);
    const runs = [...listed, ...[...this.starting.values()].map((s) => s.summary)].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const names = new Set(runs.map((r) => r.name));
    for (const [name, row] of this.rows)
      if (!names.has(name)) {
        row.item.remove();
        this.rows.delete(name);
        this.checked.delete(name);
      }
    runs.forEach((run, i) => {
      const row = this.rows.get(run.name) ?? this.makeRow(run.name);
      const starting = this.starting.has(run.name);
      row.item.dataset.status = starting ? 'starting' : run.status;
      row.item.dataset.step = String(run.step);
      row.facts.textContent =
        `${starting ? 'starting' : run.status} · ${run.step}${run.steps ? `/${run.steps}` : ''} · ` +
        [run.data, run.model, run.loss].filter(Boolean).join(' ');
      // Sorted by name as the server sends them; move only what is out of place.
      if (this.ui.list.children[i] !== row.item) this.ui.list.insertBefore(row.item, this.ui.list.children[i] ?? null);
    });
    this.ui.compare.disabled = this.checked.size < 1;
    this.markSelected(this.selected);
  }

  private makeRow(name: string): Row {
    const item = document.createElement('li');
    item.dataset.run = name;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.title = 'compare this run';
    box.addEventListener('change', () => {
      if (box.checked) this.checked.add(name);
      else this.checked.delete(name);
      this.ui.compare.disabled = this.checked.size < 1;
    });
    const button = document.createElement('button');
    button.className = 'name';
    button.textContent = name;
    button.addEventListener('click', () => this.select(name));
    const facts = document.createElement('div');
    facts.className = 'facts';
    item.append(box, button, facts);
    const row = { item, box, name: button, facts };
    this.rows.set(name, row);
    return row;
  }

  private async startTraining(): Promise<void> {
    const form = new FormData(this.ui.form);
    const text = (key: string) => String(form.get(key) ?? '').trim();
    const number = (key: string) => (text(key) === '' ? undefined : Number(text(key)));
    const body = {
      name: text('name'),
      data: text('data'),
      model: text('model') || undefined,
      loss: text('loss') || undefined,
      steps: number('steps'),
      seed: number('seed'),
    };
    this.ui.formMessage.className = 'message';
    this.ui.formMessage.textContent = `starting ${body.name}…`;
    try {
      const { name, pid } = await post<{ name: string; pid: number }>('/api/train', body);
      this.ui.formMessage.textContent = `${name}: training (process ${pid})`;
      this.starting.set(name, {
        since: Date.now(),
        summary: {
          name,
          step: 0,
          steps: body.steps ?? null,
          status: 'training',
          data: body.data,
          model: body.model ?? null,
          loss: body.loss ?? null,
          kind: null,
          updated: 0,
        },
      });
      this.show(this.runs);
      this.select(name);
      await this.refresh();
    } catch (err) {
      this.ui.formMessage.className = 'message error';
      this.ui.formMessage.textContent = (err as Error).message;
    }
  }
}
