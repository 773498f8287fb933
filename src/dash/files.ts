// Files the dashboard serves, and only those: a run's files from inside the runs folder
// (no `..` segment, and the real path, symlinks resolved, inside the folder's real path),
// the pages from the page folder, and a fixed list of browser libraries from node_modules.
// Every refusal is a plain 404, so a probe learns nothing about what exists outside.
import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.npy': 'application/octet-stream',
  '.map': 'application/json',
};

export const contentType = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The real path of `relative` (a '/'-separated path, already URL-decoded) inside `root`,
 * or undefined when it is not a regular file inside root's real path: a `..` or empty
 * segment, a NUL, a symlink leading out, a folder, or nothing there.
 */
export async function insideFolder(root: string, relative: string): Promise<string | undefined> {
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes('\\')))
    return undefined;
  try {
    const realRoot = await fs.realpath(root);
    const real = await fs.realpath(path.join(realRoot, ...segments));
    if (!real.startsWith(realRoot + path.sep)) return undefined;
    return (await fs.stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a file whose path was checked, with its type; `cache` for files that never change under their name. */
export async function sendFile(response: ServerResponse, file: string, cache = false): Promise<void> {
  const stat = await fs.stat(file);
  response.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': stat.size,
    'Cache-Control': cache ? 'max-age=3600' : 'no-cache',
  });
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(response);
  });
}
