// A static file server on 127.0.0.1 for the browser tests of exports: every file under
// a folder, and pages of the test's own by path; it lists the paths asked for, so a test
// can say where the page's scripts came from.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** Serves everything under `root`, and `pages` by name, on 127.0.0.1; lists the paths asked for. */
export async function serve(
  root: string,
  pages: Record<string, string>,
): Promise<{ url: string; asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server = http.createServer(async (req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    asked.push(name);
    try {
      const body = name in pages ? Buffer.from(pages[name]) : await fs.readFile(path.join(root, path.normalize(name)));
      res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
