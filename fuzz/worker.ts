// One fuzz worker process: imports the formats once, then reads case after case as the
// pool (fuzz/pool.ts) sends them, answering how each read ended. Whatever the reader does
// here (throw, hang, abort) stays in this process; the pool watches it from outside.
//   node dist/fuzz/worker.js <formats module> [export name, default ALL_FORMATS]
import { pathToFileURL } from 'node:url';
import { initBackend } from '../src/backend/index.js';
import type { FuzzFormat } from './format.js';
import type { ChildAnswer } from './pool.js';

const [modulePath, exportName = 'ALL_FORMATS'] = process.argv.slice(2);
// As every gankit command does before it reads a model: tfjs builds layers on a backend.
await initBackend();
const formats = (await import(pathToFileURL(modulePath).href))[exportName] as FuzzFormat[];
if (!Array.isArray(formats)) throw new Error(`Expected ${modulePath} to export an array ${exportName}`);
const byName = new Map(formats.map((f) => [f.name, f]));

const maxRssKb = () => process.resourceUsage().maxRSS;

process.on('message', async (task: { format: string; dir: string }) => {
  const format = byName.get(task.format);
  let answer: ChildAnswer;
  try {
    if (!format) throw new Error(`Expected a format named ${task.format} in ${modulePath}`);
    const result = await format.read(task.dir);
    answer = { kind: 'accepted', violation: format.check?.(result), maxRssKb: maxRssKb() };
  } catch (err) {
    const isError = err instanceof Error;
    answer = {
      kind: 'threw',
      isError,
      name: isError ? err.name : typeof err,
      message: isError ? err.message : String(err),
      syscall: (err as NodeJS.ErrnoException)?.syscall,
      maxRssKb: maxRssKb(),
    };
  }
  process.send!(answer);
});

process.send!({ ready: true, maxRssKb: maxRssKb() });
