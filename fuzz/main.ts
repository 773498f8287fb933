// gankit's fuzzer: every file format gankit reads gets damaged copies of a valid
// instance, read in worker processes, and each outcome is classified. A reader may
// accept a file or refuse it with an Error naming the file; a raw error, a crash, a hang,
// a file left behind, a silently accepted damage or a huge allocation is a defect.
//   npm run fuzz                              1,000 cases per format, seed 1, 2 workers
//   npm run fuzz -- --cases N --seed S --jobs J --format npy,idx --timeout SECONDS
//   npm run fuzz -- --format npy --replay SEED  one case, its folder kept, told in full
// Exits 1 when any case is a defect, so CI can run it.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { OUTCOMES, type FuzzFormat, type Outcome } from './format.js';
import { DEFAULTS, Fuzzer, isDefect, type CaseResult, type FuzzOptions } from './runner.js';

interface Args {
  options: FuzzOptions;
  formats?: string[];
  replay?: number;
}

function parseArgs(argv: string[]): Args {
  const options: FuzzOptions = { ...DEFAULTS, cases: 1000, seed: 1 };
  let formats: string[] | undefined;
  let replay: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const integer = (min: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min)
        throw new Error(`Expected ${flag} to be an integer ≥ ${min} but received ${value}`);
      i++;
      return n;
    };
    if (flag === '--cases') options.cases = integer(1);
    else if (flag === '--seed') options.seed = integer(0);
    else if (flag === '--jobs') options.jobs = integer(1);
    else if (flag === '--timeout') options.timeoutMs = integer(1) * 1000;
    else if (flag === '--replay') replay = integer(0);
    else if (flag === '--format') {
      formats = (value ?? '').split(',').filter((f) => f.length > 0);
      i++;
    } else throw new Error(`Expected --cases, --seed, --jobs, --timeout, --format or --replay but received ${flag}`);
  }
  return { options, formats, replay };
}

async function main(): Promise<number> {
  const { options, formats: wanted, replay } = parseArgs(process.argv.slice(2));
  const all = (await import(pathToFileURL(options.formatsModule).href))[options.exportName] as FuzzFormat[];
  const unknown = wanted?.filter((name) => !all.some((f) => f.name === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`Expected formats among ${all.map((f) => f.name).join(', ')} but received ${unknown.join(', ')}`);
  const formats = wanted ? all.filter((f) => wanted.includes(f.name)) : all;

  if (replay !== undefined) {
    if (formats.length !== 1) throw new Error('Expected --replay SEED with one --format NAME');
    const fuzzer = await Fuzzer.start({ ...options, jobs: 1, keep: true });
    try {
      const r = await fuzzer.runCase(formats[0], replay);
      console.log(`format ${r.format}, seed ${r.seed}: ${r.mutation} of ${r.file}`);
      console.log(`outcome: ${r.outcome}${isDefect(r.outcome) ? ' (a defect)' : ''}`);
      if (r.detail) console.log(`detail: ${r.detail}`);
      console.log(`the case's folder, as mutated: ${r.dir}`);
      return isDefect(r.outcome) ? 1 : 0;
    } finally {
      await fuzzer.close();
    }
  }

  const started = performance.now();
  const total = formats.length * options.cases;
  let done = 0;
  const fuzzer = await Fuzzer.start({
    ...options,
    onCase: () => {
      done++;
      if (process.stderr.isTTY && done % 50 === 0) process.stderr.write(`\r${done}/${total} cases`);
    },
  });
  let results: CaseResult[];
  try {
    results = await fuzzer.runAll(formats);
  } finally {
    await fuzzer.close();
  }
  if (process.stderr.isTTY) process.stderr.write('\r');
  const seconds = (performance.now() - started) / 1000;
  console.log(report(results, formats, options, seconds));
  return results.some((r) => isDefect(r.outcome)) ? 1 : 0;
}

/** The table of outcomes per format, then every defect with the command that replays it. */
export function report(results: CaseResult[], formats: FuzzFormat[], options: FuzzOptions, seconds: number): string {
  const columns: Outcome[] = OUTCOMES.filter((o) => !isDefect(o) || results.some((r) => r.outcome === o));
  const header = ['format', ...columns, 'defects'];
  const rows = formats.map((f) => {
    const mine = results.filter((r) => r.format === f.name);
    const count = (o: Outcome) => mine.filter((r) => r.outcome === o).length;
    return [f.name, ...columns.map((o) => String(count(o))), String(mine.filter((r) => isDefect(r.outcome)).length)];
  });
  const totals = ['total', ...header.slice(1).map((_, c) => String(rows.reduce((s, r) => s + Number(r[c + 1]), 0)))];
  const table = [header, ...rows, totals];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const lines = [
    `gankit fuzz: ${options.cases} cases per format, seed ${options.seed}, ${options.jobs} workers, ` +
      `${results.length} cases in ${seconds.toFixed(1)} s`,
    '',
    line(header),
    ...rows.map(line),
    line(totals),
  ];
  const defects = results.filter((r) => isDefect(r.outcome)).sort((a, b) => a.format.localeCompare(b.format));
  if (defects.length === 0) lines.push('', 'No defects.');
  else {
    lines.push('', `${defects.length} defects (replay one with: npm run fuzz -- --format FORMAT --replay SEED):`);
    for (const d of defects.slice(0, 100))
      lines.push(`  ${d.format} --replay ${d.seed}: ${d.outcome}, ${d.mutation} of ${d.file}: ${d.detail}`);
    if (defects.length > 100) lines.push(`  … and ${defects.length - 100} more`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error((err as Error).message);
      process.exit(2);
    },
  );
}
