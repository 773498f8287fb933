// The dashboard's main page (/): the run list on the left, the selected run on the right
// (docs/dashboard.md §3). The selected run is kept in the address (?run=NAME) so a reload
// or a shared link opens it again.
import type { RunSummary } from './common.js';
import { RunList } from './run-list.js';
import { RunView } from './run-view.js';
import { Steering } from './steering.js';

const byId = <T extends HTMLElement>(id: string) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`Expected #${id} in index.html but it is missing; the page and its script disagree`);
  return element as T;
};

const steering = new Steering(
  {
    pause: byId('pause'),
    resume: byId('resume'),
    checkpoint: byId('checkpoint'),
    play: byId('play'),
    message: byId('steer-message'),
  },
  () => void list.refresh(),
);

const view = new RunView(
  {
    root: byId('run'),
    title: byId('run-name'),
    facts: byId('run-facts'),
    banner: byId('banner'),
    verdict: byId('verdict'),
    slider: byId('step-slider'),
    stepLabel: byId('step-label'),
    follow: byId('follow'),
    smoothing: byId('smoothing'),
    smoothingLabel: byId('smoothing-value'),
    curves: byId('curves'),
    pictures: byId('pictures'),
    options: byId('options-table'),
    connection: byId('connection'),
  },
  (summary) => steering.update(summary),
);

function select(name: string): void {
  const url = new URL(location.href);
  url.searchParams.set('run', name);
  history.replaceState(null, '', url);
  list.markSelected(name);
  byId('empty').hidden = true;
  void view.open(name);
}

const list = new RunList(
  {
    list: byId('runs'),
    runsDir: byId('runs-dir'),
    compare: byId('compare'),
    form: byId('train-form'),
    formMessage: byId('train-message'),
    error: byId('runs-error'),
  },
  select,
  (runs: RunSummary[]) => {
    const selected = runs.find((r) => r.name === view.name);
    if (selected) steering.update(selected);
  },
);

const wanted = new URL(location.href).searchParams.get('run');
if (wanted) select(wanted);
void list.refresh().then(() => {
  // Without ?run=, the most recently updated run.
  if (!wanted && list.runs.length > 0) select([...list.runs].sort((a, b) => b.updated - a.updated)[0].name);
});
