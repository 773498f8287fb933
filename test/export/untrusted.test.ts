// Export with hostile run data and a failing disk: every string from the run lands in
// index.html escaped (no data set name can add a tag or close the <script> element), and
// an export that cannot be written leaves the previous export whole, nothing half
// written beside it, and an error naming the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportGenerator } from '../../src/export/export.js';
import { examplePage } from '../../src/export/page.js';
import { TFJS_SCRIPTS } from '../../src/export/vendor.js';
import type { GeneratorMetadata } from '../../src/export/metadata.js';
import { makeRun, tempDir } from '../sampling/fixtures.js';
import { runWithFileLimit, srcModule } from '../io/failing-disk.js';

const HOSTILE = [
  '</script><script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "' onmouseover='alert(3)",
  'a & b <!-- c',
  'line\u2028separator\u2029end',
].join(' ');

/** The tags an HTML parser sees outside <script> elements, and the contents of those elements. */
function parse(html: string): { tags: string[]; scripts: string[] } {
  const scripts: string[] = [];
  // A script element ends at the first "</script" whatever its content, as in a browser.
  const rest = html.replace(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi, (_m, body: string) => {
    scripts.push(body);
    return '';
  });
  const withoutComments = rest.replace(/<!--[\s\S]*?-->/g, '');
  const tags = [...withoutComments.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
  return { tags, scripts };
}

/** Every file under `dir`, as paths relative to it (the export's tfjs/ folder included). */
const files = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(path.join(dir, f)).isFile());

const decode = (text: string) =>
  text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

test('hostile strings from a run are escaped in index.html: no new tag, the script holds the exact value', async () => {
  const { dir, generator } = await makeRun('mlp2d', { step: 12 });
  generator.dispose();
  const optionsFile = path.join(dir, 'options.json');
  const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
  writeFileSync(optionsFile, JSON.stringify({ ...options, data: HOSTILE, model: HOSTILE }));
  const out = path.join(tempDir(), 'web');
  const { metadata } = await exportGenerator({ run: dir, out });
  assert.equal(metadata.data, HOSTILE);
  const html = readFileSync(path.join(out, 'index.html'), 'utf8');
  const { tags, scripts } = parse(html);
  const pageTags = ['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'p', 'sup', 'button', 'canvas'];
  assert.deepEqual(
    tags.filter((t) => !pageTags.includes(t)),
    [],
  );
  // The TensorFlow.js scripts (external: no body), then the page's own.
  assert.deepEqual(
    scripts.map((body) => body.length > 0),
    [...TFJS_SCRIPTS.map(() => false), true],
    'a script element was added or cut',
  );
  const script = scripts[TFJS_SCRIPTS.length];
  assert.ok(!/[\u2028\u2029]/.test(script), 'a raw line separator in the script');
  const embedded = /const meta = (.*);\n/.exec(script);
  assert.ok(embedded, 'the metadata is not in the script');
  assert.deepEqual(JSON.parse(embedded[1]), JSON.parse(readFileSync(path.join(out, 'gankit.json'), 'utf8')));
  assert.equal(JSON.parse(embedded[1]).model, HOSTILE);
  const title = /<title>([^<]*)<\/title>/.exec(html);
  assert.equal(decode(title![1]), `gankit generator — ${HOSTILE}, step 12`);
  const heading = /<h1>([^<]*)<\/h1>/.exec(html);
  assert.equal(decode(heading![1]), `gankit generator — ${HOSTILE}, step 12`);
});

test('every interpolated metadata field is escaped, numbers included', () => {
  const meta = {
    format: 'gankit-generator',
    version: 1,
    latentDim: '<b>2</b>',
    prior: 'normal',
    outputShape: ['<i>2</i>'],
    valueRange: null,
    data: 'd',
    step: '<u>3</u>',
    model: 'm',
    weights: 'trained',
    jacobianTruncation: 0,
    exportedAt: '',
  } as unknown as GeneratorMetadata;
  const { tags } = parse(examplePage(meta));
  for (const t of ['b', 'i', 'u']) assert.ok(!tags.includes(t), `<${t}> came through`);
});

test('an export that hits a file-size limit leaves the previous export whole and names the folder', async () => {
  const { dir, generator } = await makeRun('dcgan28');
  generator.dispose();
  const parent = tempDir();
  const out = path.join(parent, 'web');
  await exportGenerator({ run: dir, out });
  const before = Object.fromEntries(files(out).map((f) => [f, readFileSync(path.join(out, f))]));
  assert.ok(before['weights.bin'].length > 1024 * 1024, 'DCGAN-28 weights take more than 1 MiB');
  assert.ok(before[path.join('tfjs', 'tf-core.min.js')], 'the first export has no tfjs/');
  const code = `
    const { exportGenerator } = await import(${JSON.stringify(srcModule('export/export.js'))});
    try { await exportGenerator({ run: ${JSON.stringify(dir)}, out: ${JSON.stringify(out)} }); console.log('{}'); }
    catch (err) { console.log(JSON.stringify({ message: err.message, code: err.code })); }`;
  const r = runWithFileLimit(code, 1024);
  assert.equal(r.status, 0, r.stderr);
  const failure = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(failure.code, 'EFBIG', r.stdout);
  assert.match(failure.message, new RegExp(`^Failed writing --out: ${out}/weights\\.bin: EFBIG`));
  assert.deepEqual(readdirSync(parent), ['web']);
  for (const [f, bytes] of Object.entries(before)) assert.deepEqual(readFileSync(path.join(out, f)), bytes, f);
  assert.deepEqual(files(out).sort(), Object.keys(before).sort());
});
