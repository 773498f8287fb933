// Downloads against a server on 127.0.0.1 (never the internet): resuming a broken
// download with a Range request, verification that deletes a bad file, redirects,
// HTTP errors, and known names fetched through a mirror with a test registry.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { create as createTar } from 'tar';
import { downloadFile, loadImages, type ImageRegistry } from '../../../src/data/images/index.js';
import { cifarRecords, idxBytes, patternBytes, serveFiles, sha256, temporaryDir } from './fixtures.js';

const payload = Buffer.from(patternBytes(200_000, 7));
const trainImages = patternBytes(4 * 3 * 3, 1);
const trainLabels = Uint8Array.from([2, 0, 1, 2]);
const idxFiles = {
  'train-images-idx3-ubyte.gz': gzipSync(idxBytes(0x803, [4, 3, 3], trainImages)),
  'train-labels-idx1-ubyte.gz': gzipSync(idxBytes(0x801, [4], trainLabels)),
};
const server = await serveFiles({
  '/payload.bin': payload,
  '/tiny/train-images-idx3-ubyte.gz': idxFiles['train-images-idx3-ubyte.gz'],
  '/tiny/train-labels-idx1-ubyte.gz': idxFiles['train-labels-idx1-ubyte.gz'],
});
after(() => server.close());

const request = (file: string, extra: Partial<Parameters<typeof downloadFile>[0]> = {}) => ({
  url: `${server.url}/payload.bin`,
  file,
  sha256: sha256(payload),
  bytes: payload.length,
  ...extra,
});

test('a download cut off halfway leaves a .part that the next run resumes with a Range request', async () => {
  const file = path.join(temporaryDir(), 'sub', 'payload.bin');
  server.cutOnce.add('/payload.bin');
  await assert.rejects(
    downloadFile(request(file, { retries: 0 })),
    /Expected to download .*payload.bin but the connection broke off after .* MB .*; what arrived is kept in .*payload.bin.part and the next run resumes/,
  );
  const kept = statSync(`${file}.part`).size;
  assert.ok(kept > 0 && kept < payload.length, `kept ${kept} bytes`);
  assert.equal(existsSync(file), false);

  server.requests.length = 0;
  const messages: string[] = [];
  await downloadFile(request(file, { onProgress: (m) => messages.push(m) }));
  assert.deepEqual(server.requests, [{ path: '/payload.bin', range: `bytes=${kept}-` }]);
  assert.equal(sha256(readFileSync(file)), sha256(payload));
  assert.deepEqual(readdirSync(path.dirname(file)), ['payload.bin']);
  assert.match(messages.at(-1)!, /^downloading payload.bin: 0.2\/0.2 MB$/);
});

test('within one run, a broken connection is resumed automatically', async () => {
  const file = path.join(temporaryDir(), 'payload.bin');
  server.cutOnce.add('/payload.bin');
  server.requests.length = 0;
  await downloadFile(request(file));
  assert.equal(server.requests.length, 2);
  assert.match(server.requests[1].range ?? '', /^bytes=\d+-$/);
  assert.deepEqual(readFileSync(file), payload);
});

test('a server that answers a Range request with 200 gets the download restarted from zero', async () => {
  const dir = temporaryDir();
  const file = path.join(dir, 'payload.bin');
  writeFileSync(`${file}.part`, Buffer.from('garbage that a 206 would have kept'));
  server.ignoreRange = true;
  try {
    await downloadFile(request(file));
  } finally {
    server.ignoreRange = false;
  }
  assert.deepEqual(readFileSync(file), payload);
  assert.deepEqual(readdirSync(dir), ['payload.bin']);
});

test('a complete .part left by a run that stopped before renaming is verified without a request', async () => {
  const file = path.join(temporaryDir(), 'payload.bin');
  writeFileSync(`${file}.part`, payload);
  server.requests.length = 0;
  await downloadFile(request(file));
  assert.equal(server.requests.length, 0);
  assert.deepEqual(readFileSync(file), payload);
});

test('a checksum mismatch deletes the file and names expected, actual and URL', async () => {
  const dir = temporaryDir();
  const wrong = '0'.repeat(64);
  await assert.rejects(downloadFile(request(path.join(dir, 'payload.bin'), { sha256: wrong })), (err: Error) => {
    assert.match(
      err.message,
      new RegExp(
        `Expected SHA-256 ${wrong} for ${server.url}/payload.bin but the downloaded file has ${sha256(payload)}; the file was deleted`,
      ),
    );
    return true;
  });
  assert.deepEqual(readdirSync(dir), []);
});

test('redirects are followed; a 404 names the URL and the status', async () => {
  const dir = temporaryDir();
  await downloadFile(request(path.join(dir, 'payload.bin'), { url: `${server.url}/redirect/payload.bin` }));
  assert.deepEqual(readFileSync(path.join(dir, 'payload.bin')), payload);
  await assert.rejects(
    downloadFile(request(path.join(dir, 'x.bin'), { url: `${server.url}/missing.bin` })),
    new RegExp(`Expected HTTP 200 from ${server.url}/missing.bin but received 404 Not Found`),
  );
  assert.deepEqual(readdirSync(dir), ['payload.bin']);
});

const tinyRegistry = (withChecksums = true): ImageRegistry => ({
  tiny: {
    format: 'idx',
    baseUrl: 'http://official.invalid/tiny/', // never used: the tests pass a mirror
    files: Object.entries(idxFiles).map(([name, bytes]) => ({
      name,
      bytes: bytes.length,
      ...(withChecksums && { sha256: sha256(bytes) }),
    })),
    classNames: ['a', 'b', 'c'],
  },
});

test('a known name is downloaded through the mirror into <dataDir>/<name>/, then read from there', async () => {
  const dataDir = temporaryDir();
  server.requests.length = 0;
  const options = { dataDir, mirror: `${server.url}/`, registry: tinyRegistry() };
  const data = await loadImages('tiny', options);
  assert.deepEqual(server.requests.map((r) => r.path).sort(), [
    '/tiny/train-images-idx3-ubyte.gz',
    '/tiny/train-labels-idx1-ubyte.gz',
  ]);
  assert.equal(data.name, 'tiny');
  assert.equal(data.source, path.join(dataDir, 'tiny'));
  assert.deepEqual(Array.from(data.images), Array.from(trainImages));
  assert.deepEqual(Array.from(data.labels!), Array.from(trainLabels));
  assert.deepEqual(data.classNames, ['a', 'b', 'c']);
  assert.deepEqual(readdirSync(path.join(dataDir, 'tiny')).sort(), Object.keys(idxFiles).sort());

  await loadImages('tiny', options);
  assert.equal(server.requests.length, 2, 'the second load reads the cache');
});

test('a failed download says which files to put into which folder to work offline', async () => {
  const dataDir = temporaryDir();
  const options = { dataDir, mirror: `${server.url}/nothing-here/`, registry: tinyRegistry() };
  await assert.rejects(loadImages('tiny', options), (err: Error) => {
    assert.match(err.message, /received 404/);
    const files = 'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz';
    assert.ok(
      err.message.includes(`To work offline, put ${files} (from ${server.url}/nothing-here/tiny/`),
      err.message,
    );
    assert.ok(err.message.includes(`into ${path.join(dataDir, 'tiny')} (GANKIT_DATA sets the data folder)`));
    return true;
  });
});

test('a system folder holding the files is used before downloading', async () => {
  const system = temporaryDir();
  for (const [name, bytes] of Object.entries(idxFiles)) writeFileSync(path.join(system, name), bytes);
  const registry = tinyRegistry();
  const data = await loadImages('tiny', {
    dataDir: temporaryDir(),
    download: false,
    registry: { tiny: { ...registry.tiny, systemDirs: [system] } },
  });
  assert.equal(data.source, system);
  assert.deepEqual(Array.from(data.labels!), Array.from(trainLabels));
});

test('without a known checksum, or with downloads off, nothing is fetched and the error says what to do', async () => {
  const dataDir = temporaryDir();
  server.requests.length = 0;
  await assert.rejects(
    loadImages('tiny', { dataDir, mirror: server.url, registry: tinyRegistry(false) }),
    new RegExp(
      `Expected a known SHA-256 for ${server.url}/tiny/train-images-idx3-ubyte.gz but gankit has none \\(no checksum known\\)`,
    ),
  );
  await assert.rejects(
    loadImages('tiny', { dataDir, mirror: server.url, registry: tinyRegistry(), download: false }),
    new RegExp(
      `Expected tiny's train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz in ${dataDir}/tiny but they are not there and downloads are off: download ${server.url}/tiny/train-images-idx3-ubyte.gz`,
    ),
  );
  assert.equal(server.requests.length, 0);
  assert.deepEqual(readdirSync(dataDir), []);
});

test('cifar10 through a mirror: the archive is verified, then extracted via a temporary folder', async () => {
  const staging = temporaryDir();
  mkdirSync(path.join(staging, 'cifar-10-batches-bin'));
  const train = patternBytes(2 * 3072, 3);
  writeFileSync(path.join(staging, 'cifar-10-batches-bin', 'data_batch_1.bin'), cifarRecords([1, 8], train));
  writeFileSync(path.join(staging, 'cifar-10-batches-bin', 'test_batch.bin'), cifarRecords([5], patternBytes(3072, 4)));
  const archive = path.join(staging, 'cifar-10-binary.tar.gz');
  await createTar({ gzip: true, file: archive, cwd: staging }, ['cifar-10-batches-bin']);
  const bytes = readFileSync(archive);
  const cifarServer = await serveFiles({ '/cifar10/cifar-10-binary.tar.gz': bytes });
  try {
    const registry: ImageRegistry = {
      cifar10: {
        format: 'cifar10',
        baseUrl: 'http://official.invalid/',
        files: [{ name: 'cifar-10-binary.tar.gz', bytes: bytes.length, sha256: sha256(bytes) }],
        classNames: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'],
      },
    };
    const dataDir = temporaryDir();
    const messages: string[] = [];
    const data = await loadImages('cifar10', {
      dataDir,
      mirror: cifarServer.url,
      registry,
      onProgress: (m) => messages.push(m),
    });
    assert.deepEqual(Array.from(data.labels!), [1, 8]);
    assert.deepEqual(Array.from(data.images), Array.from(train));
    assert.deepEqual(data.classNames, registry.cifar10.classNames); // no batches.meta.txt in this archive
    assert.ok(messages.includes('extracting cifar-10-binary.tar.gz'));
    assert.deepEqual(readdirSync(path.join(dataDir, 'cifar10')).sort(), [
      'cifar-10-batches-bin',
      'cifar-10-binary.tar.gz',
    ]);
    const test_ = await loadImages('cifar10', { dataDir, registry, download: false, split: 'test' });
    assert.deepEqual(Array.from(test_.labels!), [5]);

    // A damaged archive in the cache: extraction fails and leaves no folder behind.
    const damaged = temporaryDir();
    mkdirSync(path.join(damaged, 'cifar10'));
    writeFileSync(path.join(damaged, 'cifar10', 'cifar-10-binary.tar.gz'), bytes.subarray(0, bytes.length >> 1));
    await assert.rejects(
      loadImages('cifar10', { dataDir: damaged, registry, download: false }),
      /Expected a complete CIFAR-10 archive at .*cifar-10-binary.tar.gz but reading it failed \(.*unexpected end of file\): delete it and run again to download it anew/,
    );
    assert.deepEqual(readdirSync(path.join(damaged, 'cifar10')), ['cifar-10-binary.tar.gz']);
  } finally {
    await cifarServer.close();
  }
});
