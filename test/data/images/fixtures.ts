// Small data files written by the tests themselves, and an HTTP server on 127.0.0.1
// that serves bytes the way S3 does (Range requests answered with 206), with switches
// for the failures a download must survive.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export function temporaryDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gankit-images-'));
}

/** An IDX file: magic, big-endian sizes, bytes. */
export function idxBytes(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Writes images (count×h×w) and labels as IDX files named as MNIST's, gzipped or not. */
export function writeIdxSplit(
  dir: string,
  prefix: string,
  images: Uint8Array,
  dims: [number, number, number],
  labels?: Uint8Array,
  gzip = true,
): void {
  const write = (name: string, bytes: Buffer) =>
    writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, idxBytes(0x803, dims, images));
  if (labels) write(`${prefix}-labels-idx1-ubyte`, idxBytes(0x801, [labels.length], labels));
}

/** Deterministic bytes that differ from image to image and pixel to pixel. */
export function patternBytes(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + salt * 101 + ((i * i) >> 3)) % 256);
}

/** CIFAR-10 records: 1 label byte, then the red, green and blue planes of a 32×32 image given in NHWC. */
export function cifarRecords(labels: number[], nhwc: Uint8Array): Buffer {
  const out = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, n) => {
    out[n * 3073] = label;
    for (let p = 0; p < 1024; p++)
      for (let c = 0; c < 3; c++) out[n * 3073 + 1 + c * 1024 + p] = nhwc[(n * 1024 + p) * 3 + c];
  });
  return out;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface SeenRequest {
  path: string;
  range?: string;
}

export interface FixtureServer {
  url: string;
  requests: SeenRequest[];
  /** The next request for this path sends half the body, then the connection is destroyed. */
  cutOnce: Set<string>;
  /** Answer 200 with the whole file even when asked for a range. */
  ignoreRange: boolean;
  close(): Promise<void>;
}

/** Serves `files` (URL path → bytes); /redirect/<path> answers 302 to /<path>. */
export async function serveFiles(files: Record<string, Uint8Array>): Promise<FixtureServer> {
  const state: Omit<FixtureServer, 'url' | 'close'> = { requests: [], cutOnce: new Set(), ignoreRange: false };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    state.requests.push({ path: url, range: req.headers.range });
    if (url.startsWith('/redirect/')) {
      res.writeHead(302, { Location: url.slice('/redirect'.length) }).end();
      return;
    }
    const body = files[url];
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such file');
      return;
    }
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const partial = !state.ignoreRange && req.headers.range !== undefined;
    const sent = partial ? body.subarray(from) : body;
    const headers: http.OutgoingHttpHeaders = { 'Content-Length': sent.length, 'Accept-Ranges': 'bytes' };
    if (partial) headers['Content-Range'] = `bytes ${from}-${body.length - 1}/${body.length}`;
    res.writeHead(partial ? 206 : 200, headers);
    if (state.cutOnce.delete(url)) {
      res.write(sent.subarray(0, sent.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(sent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
