// gankit eval checks the sample count before it loads or downloads any data: a data
// mirror on 127.0.0.1 that this test starts must see no request, and the data folder
// must stay empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNpy } from '../../src/io/npy.js';
import { runCli } from './run-cli.js';

test('eval refuses too few samples before loading or downloading any data', async () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'gankit-eval-order-'));
    const data = mkdtempSync(path.join(tmpdir(), 'gankit-eval-data-'));
    const few = path.join(dir, 'few.npy');
    await writeNpy(few, new Float32Array(20 * 32 * 32 * 3).fill(-0.5), [20, 32, 32, 3]);
    const env = { ...process.env, GANKIT_DATA: data, GANKIT_DATA_MIRROR: `http://127.0.0.1:${port}` };
    const cases: [string[], RegExp][] = [
      [
        ['eval', '--samples', few, '--data', 'cifar10', '--metrics', 'kid,nn'],
        /Expected at least 1,000 samples for nn but received 20/,
      ],
      [
        ['eval', '--samples', few, '--data', 'cifar10', '--metrics', 'fid10k'],
        /Expected at least 10,000 samples for fid10k but received 20/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { env });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.deepEqual(requests, [], 'no download was tried');
    assert.deepEqual(readdirSync(data), [], 'nothing was written to the data folder');
    // The control: enough samples for kid (2), so the data set is fetched, from the mirror.
    const control = await runCli(['eval', '--samples', few, '--data', 'cifar10', '--metrics', 'kid'], { env });
    assert.equal(control.status, 1);
    assert.ok(requests.length > 0, `the mirror was not asked: ${control.stderr}`);
  } finally {
    server.close();
  }
});
