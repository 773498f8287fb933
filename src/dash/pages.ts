// The page's own files (docs/dashboard.md §3): HTML and CSS from the page folder (web/),
// the compiled scripts from dist/web/, and the browser libraries from node_modules, by
// a fixed list (uPlot's two files and the TensorFlow.js files of export/vendor.ts) so
// nothing else of node_modules can be reached. HTML pages get the token in a <meta>.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateTfjs } from '../export/vendor.js';

/** This package's root: this file is dist/src/dash/pages.js. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PageFolders {
  /** HTML and CSS (default: the package's web/). */
  pages: string;
  /** The compiled browser scripts (default: the package's dist/web/). */
  scripts: string;
}

export const defaultPageFolders = (): PageFolders => ({
  pages: path.join(PACKAGE_ROOT, 'web'),
  scripts: path.join(PACKAGE_ROOT, 'dist', 'web'),
});

/** A page, script or stylesheet name: letters, digits, '-' and '_' (no path). */
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;

/** The file answering /app/NAME.EXT (or / for index.html), or undefined when there is none to serve. */
export function appFile(folders: PageFolders, urlPath: string): string | undefined {
  if (urlPath === '/') return path.join(folders.pages, 'index.html');
  const match = /^\/app\/([^/]+)\.(html|js|css|js\.map)$/.exec(urlPath);
  if (!match || !PLAIN_NAME.test(match[1])) return undefined;
  const [, name, ext] = match;
  return path.join(ext.startsWith('js') ? folders.scripts : folders.pages, `${name}.${ext}`);
}

/** An HTML page with `<meta name="gankit-token">` put right after `<head>`. */
export async function pageWithToken(file: string, token: string): Promise<string | undefined> {
  const html = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (html === undefined) return undefined;
  const meta = `<meta name="gankit-token" content="${token}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return meta + html; // no <head>: the parser puts a leading <meta> in the head anyway
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

/** /vendor/… → the library file in node_modules; built once, from the fixed lists. */
export async function vendorFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const require = createRequire(import.meta.url);
  try {
    const uplot = path.dirname(require.resolve('uplot/package.json'));
    for (const file of ['uPlot.iife.min.js', 'uPlot.min.css'])
      files.set(`/vendor/uplot/${file}`, path.join(uplot, 'dist', file));
  } catch {
    // not installed: /vendor/uplot/… answers 404 and the page says what failed to load
  }
  try {
    for (const source of await locateTfjs())
      for (const file of source.files) files.set(`/vendor/${file}`, path.join(source.dist, path.basename(file)));
  } catch {
    // same: the playground cannot load, the rest of the page works
  }
  return files;
}
