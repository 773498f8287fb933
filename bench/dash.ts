// The dashboard server's costs (issue 17's targets), measured on a real `gankit dash`:
//   memory   RSS of the server with 20 runs open (one short finished run copied 20 times,
//            plus a 16,000-step run) while 21 event streams are open, and its peak
//   latency  the first GET /api/runs and GET /api/run of the 16,000-step run (cold, then
//            warm), and the time to stream its whole stats.jsonl (what a first paint needs)
//   live     from a line appended to stats.jsonl to its arrival on an open stream
// The long run's record is synthesized by default (16,000 step lines, the evaluation and
// warning lines a default ring8 run writes); --train-long trains a real one (~90 s).
//   npm run bench:dash                    options: --train-long, --json
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
const RUNS = 20;
const LONG_STEPS = 16_000;
const args = process.argv.slice(2);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMb = (pid: number, field = 'VmRSS') =>
  Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function train(out: string, steps: number) {
  const result = spawnSync(
    process.execPath,
    [CLI, 'train', '--data', 'ring8', '--steps', String(steps), '--out', out],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`gankit train failed:\n${result.stdout}\n${result.stderr}`);
}

/** A default ring8 run's record, synthesized: a step line each step, evaluations and a warning every 2,000. */
function synthesizeLong(folder: string) {
  const options = JSON.parse(readFileSync(path.join(folder, 'options.json'), 'utf8'));
  writeFileSync(path.join(folder, 'options.json'), JSON.stringify({ ...options, steps: LONG_STEPS }, null, 2));
  const lines: string[] = [];
  for (let step = 1; step <= LONG_STEPS; step++) {
    const [d, g] = [1.38 - Math.sin(step / 300) * 0.05, 0.69 + Math.cos(step / 250) * 0.05];
    lines.push(
      JSON.stringify({
        step,
        lossD: d,
        lossG: g,
        dReal: 0.52,
        dFake: 0.48,
        lr: 0.001 * (1 - step / LONG_STEPS),
        seconds: step / 60,
      }),
    );
    if (step % 2000 === 0) {
      lines.push(JSON.stringify({ step, metrics: { modes: 8, totalModes: 8, highQuality: 0.97, reverseKL: 0.004 } }));
    }
  }
  writeFileSync(path.join(folder, 'stats.jsonl'), lines.join('\n') + '\n');
}

function get(port: number, token: string, p: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ ms: performance.now() - start, bytes }));
      })
      .on('error', reject);
  });
}

/** An event stream that counts the bytes of lines received and reports each `lines` message's arrival. */
function stream(port: number, token: string, run: string, onLines: (data: string) => void) {
  const req = http.get({
    host: '127.0.0.1',
    port,
    path: `/api/events?run=${encodeURIComponent(run)}`,
    headers: { authorization: `Bearer ${token}` },
  });
  req.on('response', (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.includes('event: lines')) continue;
        onLines(
          block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n'),
        );
      }
    });
  });
  req.on('error', () => undefined);
  return req;
}

async function main() {
  const root = mkdtempSync(path.join(tmpdir(), 'gankit-bench-dash-'));
  const runs = path.join(root, 'runs');
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  try {
    console.log(`load before: ${load}`);
    const seed = path.join(root, 'seed');
    console.log('training one short ring8 run (300 steps) to copy …');
    train(seed, 300);
    for (let i = 1; i <= RUNS; i++)
      cpSync(seed, path.join(runs, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
    const long = path.join(runs, 'long');
    if (args.includes('--train-long')) {
      console.log(`training a ${LONG_STEPS}-step ring8 run …`);
      train(long, LONG_STEPS);
    } else {
      cpSync(seed, long, { recursive: true });
      synthesizeLong(long);
    }
    const longBytes = readFileSync(path.join(long, 'stats.jsonl')).length;

    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'dash', '--runs', runs, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<URL>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /^gankit dash: (\S+)$/m.exec(out);
        if (m) resolve(new URL(m[1]));
      });
    });
    const startMs = performance.now() - started;
    const [port, token] = [Number(url.port), url.searchParams.get('token')!];
    const pid = child.pid!;
    const rssIdle = rssMb(pid);

    const runsCold = await get(port, token, '/api/runs');
    const runCold = await get(port, token, '/api/run?run=long');
    const runsWarm: number[] = [];
    const runWarm: number[] = [];
    for (let i = 0; i < 9; i++) {
      runsWarm.push((await get(port, token, '/api/runs')).ms);
      runWarm.push((await get(port, token, '/api/run?run=long')).ms);
    }

    // The long run's whole record over its stream: what the page needs for a first paint.
    const firstStart = performance.now();
    let got = 0;
    const longStream = await new Promise<{ ms: number; req: http.ClientRequest }>((resolve) => {
      const req = stream(port, token, 'long', (data) => {
        got += Buffer.byteLength(data) + 1;
        if (got >= longBytes) resolve({ ms: performance.now() - firstStart, req });
      });
    });

    // 20 more streams, one per copy, each until its record arrived.
    const streams: http.ClientRequest[] = [longStream.req];
    await Promise.all(
      Array.from({ length: RUNS }, (_, i) => {
        const name = `copy-${String(i + 1).padStart(2, '0')}`;
        return new Promise<void>((resolve) => streams.push(stream(port, token, name, () => resolve())));
      }),
    );
    await new Promise((r) => setTimeout(r, 2000)); // a few polls of every stream
    const rssOpen = rssMb(pid);

    // Live: a line appended to one copy's record, until it arrives on that copy's second stream.
    const live = path.join(runs, 'copy-01', 'stats.jsonl');
    const delays: number[] = [];
    let step = 301;
    let arrived: (() => void) | undefined;
    let primed = false;
    streams.push(
      stream(port, token, 'copy-01', (data) => {
        if (!primed) primed = true;
        else if (data.includes('"bench":true')) arrived?.();
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 20; i++) {
      const t = await new Promise<number>((resolve) => {
        const at = performance.now();
        arrived = () => resolve(performance.now() - at);
        appendFileSync(live, JSON.stringify({ step: step++, bench: true }) + '\n');
      });
      delays.push(t);
      await new Promise((r) => setTimeout(r, 137)); // out of phase with the 250 ms poll
    }
    const rssPeak = rssMb(pid, 'VmHWM');
    for (const s of streams) s.destroy();
    child.kill('SIGINT');

    const report = {
      runs: RUNS + 1,
      streams: streams.length,
      longRecord: `${LONG_STEPS} steps, ${(longBytes / 1e6).toFixed(1)} MB${args.includes('--train-long') ? ' (trained)' : ' (synthesized)'}`,
      startMs: Math.round(startMs),
      rssIdleMb: +rssIdle.toFixed(1),
      rssOpenMb: +rssOpen.toFixed(1),
      rssPeakMb: +rssPeak.toFixed(1),
      runsColdMs: +runsCold.ms.toFixed(1),
      runsWarmMs: +median(runsWarm).toFixed(1),
      runColdMs: +runCold.ms.toFixed(1),
      runWarmMs: +median(runWarm).toFixed(1),
      longStreamMs: Math.round(longStream.ms),
      appendToArrivalMedianMs: Math.round(median(delays)),
      appendToArrivalMaxMs: Math.round(Math.max(...delays)),
      loadBefore: load,
      loadAfter: loadavg()
        .map((x) => x.toFixed(2))
        .join(' '),
    };
    if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `gankit dash, ${report.runs} runs (${report.longRecord} for the long one), ${report.streams} event streams`,
      );
      console.log(`  address printed after            ${report.startMs} ms`);
      console.log(
        `  RSS idle / streams open / peak   ${report.rssIdleMb} / ${report.rssOpenMb} / ${report.rssPeakMb} MB`,
      );
      console.log(`  GET /api/runs first / warm       ${report.runsColdMs} / ${report.runsWarmMs} ms`);
      console.log(`  GET /api/run (long) first / warm ${report.runColdMs} / ${report.runWarmMs} ms`);
      console.log(`  the long record streamed in      ${report.longStreamMs} ms`);
      console.log(
        `  append → arrival median / max    ${report.appendToArrivalMedianMs} / ${report.appendToArrivalMaxMs} ms`,
      );
      console.log(`  load before / after              ${report.loadBefore} / ${report.loadAfter}`);
    }
    if (report.rssPeakMb >= 100) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
