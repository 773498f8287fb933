// What is said about a run in words: the line of facts under its name (status, step,
// data · model · loss, backend), metrics.json's verdict once finished, the options table,
// and the banner of its warnings and rollbacks.
import type { RunDetail } from './common.js';
import type { Mark } from './record.js';

export function showFacts(
  ui: { facts: HTMLElement; verdict: HTMLElement; options: HTMLElement },
  detail: RunDetail,
): void {
  const backend = detail.options.backend ?? detail.metrics?.backend;
  ui.facts.textContent = [
    detail.status,
    `step ${detail.step}${detail.steps ? ` / ${detail.steps}` : ''}`,
    [detail.data, detail.model, detail.loss].filter(Boolean).join(' · '),
    backend ? `backend ${backend}` : '',
  ]
    .filter(Boolean)
    .join(' — ');
  const verdict = detail.metrics?.verdict;
  ui.verdict.hidden = !(detail.status === 'finished' && detail.metrics);
  ui.verdict.textContent =
    typeof verdict === 'string' ? verdict : detail.metrics ? `finished: ${finalNumbers(detail.metrics)}` : '';
  const rows = Object.entries(detail.options).map(([key, value]) => {
    const row = document.createElement('tr');
    const k = document.createElement('th');
    k.textContent = key;
    const v = document.createElement('td');
    v.textContent = typeof value === 'string' ? value : JSON.stringify(value);
    row.append(k, v);
    return row;
  });
  const table = document.createElement('table');
  table.append(...rows);
  ui.options.replaceChildren(table);
}

/** The warnings and rollbacks, each with a button that moves the step slider to it. */
export function showBanner(banner: HTMLElement, marks: Mark[], goTo: (step: number) => void): void {
  banner.hidden = marks.length === 0;
  const items = marks.map((m) => {
    const item = document.createElement('li');
    item.className = m.kind;
    const jump = document.createElement('button');
    jump.className = 'jump';
    jump.textContent = `step ${m.step}`;
    jump.addEventListener('click', () => goTo(m.step));
    item.append(jump, ` ${m.kind}: ${m.text}`);
    return item;
  });
  const list = document.createElement('ul');
  list.append(...items);
  banner.replaceChildren(list);
}

/** metrics.json's numbers in a line, when it carries no verdict sentence. */
function finalNumbers(metrics: Record<string, unknown>): string {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : (v as number).toPrecision(4)}`)
    .join(', ');
}
