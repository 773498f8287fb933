// The comparison (/app/compare.html?run=A&run=B…): the runs' curves on shared charts,
// one colour per run, smoothed as on the main page; the options that differ; their
// snapshots at one step side by side (a run with none at that step says so rather
// than show an older picture); the charts as one PNG, the snapshots as a GIF.
import { fileUrl, getJson, runQuery, token, type RunDetail } from './common.js';
import { chartsPng, drawChart, resmooth, runColor } from './compare-chart.js';
import { chartsOf, differingOptions, parseStats, type Chart } from './compare-data.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function statsText(name: string): Promise<string> {
  const response = await fetch(fileUrl(name, 'stats.jsonl'), { headers: { authorization: `Bearer ${token()}` } });
  if (response.status === 404) return ''; // a run that has not trained a step yet
  if (!response.ok) throw new Error(`Expected run ${name}'s stats.jsonl but the server answered ${response.status}`);
  return response.text();
}

function legend(names: string[]): void {
  $('legend').replaceChildren(
    ...names.map((name, k) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = runColor(k);
      const link = document.createElement('a');
      link.href = `/?${runQuery(name)}`;
      link.textContent = name;
      item.append(swatch, link);
      return item;
    }),
  );
}

function optionsTable(runs: RunDetail[]): void {
  const rows = differingOptions(runs.map((r) => r.options));
  const table = $<HTMLTableElement>('options');
  const head = document.createElement('tr');
  head.append(
    ...['option', ...runs.map((r) => r.name)].map((text) =>
      Object.assign(document.createElement('th'), { textContent: text }),
    ),
  );
  table.replaceChildren(head);
  for (const { key, values } of rows) {
    const row = document.createElement('tr');
    row.dataset.option = key;
    row.append(Object.assign(document.createElement('th'), { textContent: key }));
    for (const value of values)
      row.append(
        Object.assign(document.createElement('td'), { textContent: value === undefined ? '—' : JSON.stringify(value) }),
      );
    table.append(row);
  }
  $('options-note').textContent =
    rows.length === 0
      ? 'The runs have the same options.'
      : `${rows.length} ${rows.length === 1 ? 'option differs' : 'options differ'} (the run folder "out" aside).`;
}

/** The snapshot step slider: every step any run has a picture of the chosen kind at. */
function snapshots(runs: RunDetail[]): void {
  const kinds = [...new Set(runs.flatMap((r) => r.snapshots.map((s) => s.kind)))].sort();
  const kind = $<HTMLSelectElement>('kind');
  kind.replaceChildren(...kinds.map((k) => new Option(k, k)));
  if (kinds.includes('samples')) kind.value = 'samples';
  const slider = $<HTMLInputElement>('step');
  let steps: number[] = [];
  const gif = () => {
    const query = [...runs.map((r) => runQuery(r.name)), `kind=${encodeURIComponent(kind.value)}`].join('&');
    $<HTMLAnchorElement>('gif').href = `/api/gif?${query}`;
  };
  const show = () => {
    const step = steps[Number(slider.value)];
    $('step-label').textContent = step === undefined ? 'no snapshots' : `step ${step}`;
    $('snapshots').replaceChildren(
      ...runs.map((run, k) => {
        const cell = document.createElement('figure');
        const caption = document.createElement('figcaption');
        caption.textContent = run.name;
        caption.style.borderColor = runColor(k);
        const found = run.snapshots.find((s) => s.kind === kind.value && s.step === step);
        if (found) {
          const img = document.createElement('img');
          img.src = fileUrl(run.name, found.file);
          img.alt = `${run.name}: ${kind.value} at step ${step}`;
          cell.append(caption, img);
        } else {
          const none = document.createElement('p');
          none.className = 'none';
          none.textContent = `no ${kind.value} picture at step ${step}`;
          cell.append(caption, none);
        }
        return cell;
      }),
    );
  };
  kind.onchange = () => {
    steps = [...new Set(runs.flatMap((r) => r.snapshots.filter((s) => s.kind === kind.value).map((s) => s.step)))].sort(
      (a, b) => a - b,
    );
    slider.max = String(Math.max(0, steps.length - 1));
    slider.value = slider.max;
    slider.disabled = steps.length < 2;
    gif();
    show();
  };
  slider.oninput = show;
  kind.onchange(new Event('change'));
}

async function main(): Promise<void> {
  const names = new URLSearchParams(location.search).getAll('run');
  if (names.length === 0)
    throw new Error('Expected runs to compare in the address (compare.html?run=A&run=B); select them in the run list');
  document.title = `Compare ${names.join(', ')} — gankit dash`;
  const runs = await Promise.all(names.map((n) => getJson<RunDetail>(`/api/run?${runQuery(n)}`)));
  const stats = await Promise.all(names.map(async (n) => parseStats(await statsText(n))));
  legend(names);
  optionsTable(runs);
  snapshots(runs);

  const charts: Chart[] = chartsOf(stats);
  const weightInput = $<HTMLInputElement>('smoothing');
  const weight = () => Number(weightInput.value);
  const plots = charts.map((chart) => {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.chart = chart.key;
    $('charts').append(box);
    return { title: chart.title, chart, plot: drawChart(box, chart, names, weight()) };
  });
  weightInput.oninput = () => {
    $('smoothing-value').textContent = weight().toFixed(2);
    for (const { plot, chart } of plots) resmooth(plot, chart, weight());
  };
  $('smoothing-value').textContent = weight().toFixed(2);
  $('download-png').onclick = async () => {
    const blob = await chartsPng(plots, names);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `compare-${names.map((n) => n.replaceAll('/', '-')).join('-')}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  // For tests: what each chart draws (steps, then per run its raw values and their smoothing).
  Object.assign(window, {
    gankitCompare: { charts: () => plots.map(({ chart, plot }) => ({ key: chart.key, data: plot.data })) },
  });
  $('status').textContent = `${names.length} runs, ${charts.length} charts.`;
  document.body.dataset.state = 'ready';
}

main().catch((err: Error) => {
  $('status').textContent = `Could not compare the runs: ${err.message}`;
  document.body.dataset.state = 'error';
  console.warn(err);
});
