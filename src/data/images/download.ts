// Downloads that can be trusted and resumed: bytes stream into <file>.part while being
// hashed, a broken connection resumes with an HTTP Range request (also in a later
// run, from the .part left behind), and only a file whose size and SHA-256 match is
// renamed to its final name, so a file under that name is always a verified one.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';

export interface DownloadRequest {
  url: string;
  /** Final path; the download grows in `${file}.part` until verified. */
  file: string;
  /** Expected SHA-256, lower-case hex. */
  sha256: string;
  /** Expected size in bytes, when known. */
  bytes?: number;
  onProgress?: (message: string) => void;
  /** Further attempts after the connection breaks, each resuming where the last stopped (default 3). */
  retries?: number;
}

const MAX_REDIRECTS = 5;
const IDLE_TIMEOUT_MS = 30_000;
const PROGRESS_INTERVAL_MS = 500;

/** An HTTP answer or a bad file: trying again would not help. */
class FatalDownloadError extends Error {}

/** What has arrived so far, hashed as it arrived. */
interface Received {
  bytes: number;
  hash: Hash;
}

export async function downloadFile(request: DownloadRequest): Promise<void> {
  const { url, file, sha256, bytes, retries = 3 } = request;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  const received = await resumeFrom(part, bytes);
  const progress = progressReporter(path.basename(file), bytes, request.onProgress);
  const done = () => bytes !== undefined && received.bytes >= bytes;
  for (let attempt = 0; !done(); attempt++) {
    try {
      await fetchInto(url, part, received, progress);
      if (bytes === undefined || done()) break;
      throw new Error('the server ended the file early');
    } catch (err) {
      if (err instanceof FatalDownloadError) throw err;
      if (attempt >= retries) {
        const reason = (err as Error).message;
        if (received.bytes === 0) {
          throw new Error(
            `Expected to download ${url} but ${attempt + 1} attempts failed (${reason}): check the network, or ` +
              'set a mirror (GANKIT_DATA_MIRROR)',
          );
        }
        const of = bytes === undefined ? '' : ` of ${megabytes(bytes)}`;
        throw new Error(
          `Expected to download ${url} but the connection broke off after ${megabytes(received.bytes)}${of} MB ` +
            `(${reason}); ` +
            `what arrived is kept in ${part} and the next run resumes from there`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
  progress(received.bytes, true);
  await verify(request, part, received);
  await fs.rename(part, file);
}

/** Picks up an earlier run's .part: its bytes are hashed again so the digest covers the whole file. */
async function resumeFrom(part: string, expectedBytes: number | undefined): Promise<Received> {
  const hash = createHash('sha256');
  const size = await fs.stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0 || (expectedBytes !== undefined && size > expectedBytes)) {
    await fs.rm(part, { force: true });
    return { bytes: 0, hash };
  }
  for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
  return { bytes: size, hash };
}

/** One request for the bytes not yet received, appended to the .part file; throws when the connection breaks. */
async function fetchInto(
  url: string,
  part: string,
  received: Received,
  progress: (bytes: number) => void,
): Promise<void> {
  const response = await get(url, received.bytes > 0 ? { Range: `bytes=${received.bytes}-` } : {});
  if (received.bytes > 0 && !answersRange(response, received.bytes)) {
    // The server sent the whole file (200), or a range we did not ask for, or found
    // our range unsatisfiable (416: the file changed on the server): start over.
    received.bytes = 0;
    received.hash = createHash('sha256');
    if (response.statusCode !== 200) {
      response.destroy();
      await fs.rm(part, { force: true });
      throw new Error(`the server answered ${response.statusCode} to a resumed request; starting over`);
    }
  }
  const out = await fs.open(part, received.bytes === 0 ? 'w' : 'a');
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      await out.write(chunk);
      received.hash.update(chunk);
      received.bytes += chunk.length;
      progress(received.bytes);
    }
  } finally {
    await out.close();
  }
}

function answersRange(response: IncomingMessage, from: number): boolean {
  if (response.statusCode !== 206) return false;
  const start = /^bytes (\d+)-/.exec(response.headers['content-range'] ?? '')?.[1];
  return Number(start) === from;
}

async function verify(request: DownloadRequest, part: string, received: Received): Promise<void> {
  const { url, sha256, bytes } = request;
  if (bytes !== undefined && received.bytes !== bytes) {
    await fs.rm(part, { force: true });
    throw new FatalDownloadError(
      `Expected ${bytes} bytes from ${url} but received ${received.bytes}; the file was deleted. The server may ` +
        'hold another version of it: check the URL or the mirror',
    );
  }
  const actual = received.hash.digest('hex');
  if (actual !== sha256.toLowerCase()) {
    await fs.rm(part, { force: true });
    throw new FatalDownloadError(
      `Expected SHA-256 ${sha256} for ${url} but the downloaded file has ${actual}; the file was deleted. ` +
        `It is corrupt or another version of the file: try again, or check the URL or the mirror`,
    );
  }
}

/** GET following up to five redirects; resolves with a 2xx response, or throws naming the URL and status. */
function get(url: string, headers: Record<string, string>, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : undefined;
    if (!client) return reject(new FatalDownloadError(`Expected an http: or https: URL but received ${url}`));
    const request = client.get(url, { headers }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume(); // drain, so the socket is freed
        if (redirects >= MAX_REDIRECTS)
          return reject(
            new FatalDownloadError(
              `Expected at most ${MAX_REDIRECTS} redirects from ${url} but there were more; check the URL`,
            ),
          );
        return resolve(get(new URL(location, url).toString(), headers, redirects + 1));
      }
      const unsatisfiable = status === 416 && headers.Range !== undefined; // fetchInto starts over
      if ((status < 200 || status >= 300) && !unsatisfiable) {
        response.resume();
        return reject(
          new FatalDownloadError(
            `Expected HTTP 200 from ${url} but received ${status} ${response.statusMessage ?? ''}`.trimEnd(),
          ),
        );
      }
      resolve(response);
    });
    request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
  });
}

function progressReporter(name: string, total: number | undefined, onProgress?: (message: string) => void) {
  let last = 0;
  return (bytes: number, final = false) => {
    const now = Date.now();
    if (!onProgress || (!final && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    onProgress(`downloading ${name}: ${megabytes(bytes)}${total === undefined ? '' : `/${megabytes(total)}`} MB`);
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
