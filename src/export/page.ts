// index.html of an export: the smallest page that samples the generator in a browser.
// Plain script (no build step) so it reads as an example to copy from. It loads only
// files of its own folder, TensorFlow.js from tfjs/ (vendor.ts), so it works offline, and
// runs on the best backend that runs G correctly there (webgpu → webgl → wasm → cpu),
// naming it and its GPU on the page. web/tfjs.ts does the same in the dashboard's
// playground; the two are held to the same behaviour by the Chromium tests. Every value from
// the run is escaped where it lands: HTML text and attributes as entities, and the JSON
// in the <script> element with <, U+2028 and U+2029 as \u escapes, so that no data set
// name (a folder's name, chosen by anyone) can close the element or add markup.
import type { GeneratorMetadata } from './metadata.js';
import { PAGE_BACKENDS, TFJS_FOLDER, TFJS_SCRIPTS } from './vendor.js';

/**
 * How far G's outputs on a backend may stray from the cpu backend's before the page
 * passes over it, relative to the outputs' scale (at least 1). Float32 backends agree
 * to about 1e-6 and float16 WebGL (phones) to about 1e-3; a broken kernel is off by
 * the outputs' own scale.
 */
export const PROBE_TOLERANCE = 0.01;

/** Text or an attribute value of HTML: the five characters that could end or open markup, as entities. */
export const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON for inside a <script> element: `<` cannot start `</script>` or `<!--`; U+2028/9 end lines in old parsers. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function examplePage(meta: GeneratorMetadata): string {
  const metaJson = scriptJson(meta);
  // The scripts the export carries (an optional backend that was not installed is not among them).
  const scripts = (meta.tfjs?.flatMap((p) => p.files) ?? TFJS_SCRIPTS).filter((f) => f.endsWith('.js'));
  const title = `gankit generator — ${escapeHtml(meta.data)}, step ${escapeHtml(meta.step)}`;
  const prior = meta.prior === 'normal' ? 'N(0, I)' : 'uniform on [−1, 1]';
  const output = meta.valueRange
    ? `${escapeHtml(meta.outputShape.join('×'))} images`
    : `points in R<sup>${escapeHtml(meta.outputShape[0])}</sup>`;
  // The template is cut in pieces only to keep the source within 120 columns; the page's lines are unchanged.
  return (
    `<!doctype html>
<!--
  Samples the generator exported by gankit (model.json, weights.bin, gankit.json).
  Serve this folder over HTTP and open index.html, e.g. python3 -m http.server 8000
  then http://localhost:8000/ (browsers refuse to fetch model.json from file://).
  Everything it loads is in this folder, TensorFlow.js in ${TFJS_FOLDER}/, so it works offline.
  Add ?backend=cpu to the address to choose the backend (or a list: ?backend=webgl,wasm).
-->
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
${scripts.map((src) => `<script src="${src}"></script>`).join('\n')}
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
  canvas { image-rendering: pixelated; border: 1px solid #ccc; display: block; margin-top: 1rem; }
</style>
</head>
<body>
<h1>${title}</h1>
<p>z ~ ${prior} in R<sup>${escapeHtml(meta.latentDim)}</sup> →
  G → ${output}.
  <button id="again">New samples</button></p>
<p id="status">Loading the model…</p>
<p id="backend"></p>
<canvas id="canvas"></canvas>
<script>
const meta = ${metaJson};

// The backends of the TensorFlow.js in ${TFJS_FOLDER}/, best first: the GPU through WebGPU, then
// through WebGL, then WebAssembly (its .wasm files are in ${TFJS_FOLDER}/ too), then plain
// JavaScript (slower, but it always starts). A GPU backend whose adapter is software (a
// CPU emulating a GPU: SwiftShader, llvmpipe) is passed over, as it runs G several times
// slower than WebAssembly. The first backend that runs G on two rows as the cpu backend
// does runs, unless the address asks for one or a list (?backend=webgl or
// ?backend=webgpu,wasm: then software adapters count too).
const backends = ${JSON.stringify(PAGE_BACKENDS)};
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;
const TOLERANCE = ${PROBE_TOLERANCE}; // × the outputs' scale: float16 GPUs pass, broken kernels do not

// The GPU a backend would run on, as the browser names it, and whether it is software;
// undefined when the browser offers none, null for backends that use no GPU.
async function gpuOf(name) {
  if (name === 'webgpu') {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    if (!adapter) return undefined;
    const info = adapter.info || {};
    const parts = [info.vendor, info.architecture, info.device].filter(Boolean).join(' ');
    const description = info.description || parts || 'an unnamed adapter';
    const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
    return { description, software: Boolean(fallback) || SOFTWARE.test(description) };
  }
  if (name === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return undefined;
    const named = gl.getExtension('WEBGL_debug_renderer_info');
    const description = String(gl.getParameter(named ? named.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext(); // tfjs makes its own; browsers cap live contexts
    return { description, software: SOFTWARE.test(description) };
  }
  return null;
}

// G's outputs for two fixed rows (each input's shape, values spread over [−1, 1]).
async function probe(model) {
  const inputs = model.inputs.map((input) => {
    const shape = [2, ...input.shape.slice(1)];
    const size = shape.reduce((a, b) => a * b);
    return tf.tensor(Float32Array.from({ length: size }, (_, i) => Math.sin(1.7 * i + 0.3)), shape);
  });
  try {
    const y = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const values = await y.data();
    y.dispose();
    return values;
  } finally {
    tf.dispose(inputs);
  }
}

// Starts the first backend that runs G as the cpu backend does, and builds G on it from
// the model's files (fetched once). Returns G, the backend, its GPU and why each backend
// before it was passed over.
async function startBackend(artifacts) {
  tf.wasm.setWasmPaths(new URL('${TFJS_FOLDER}/', location.href).href);
  const asked = new URLSearchParams(location.search).get('backend');
  const candidates = asked ? asked.split(',').map((name) => name.trim()) : backends;
  await tf.setBackend('cpu');
  const reference = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const expected = await probe(reference);
  reference.dispose();
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  const passed = [];
  for (const name of candidates) {
    let model;
    try {
      const gpu = await gpuOf(name);
      if (gpu === undefined) throw new Error(name === 'webgpu' ? 'no WebGPU adapter' : 'no WebGL 2');
      if (!tf.findBackendFactory(name)) throw new Error('not in this TensorFlow.js');
      if (gpu?.software && !asked) throw new Error('software adapter ' + gpu.description + ', slower than wasm');
      if (!(await tf.setBackend(name))) throw new Error('did not start');
      model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const values = await probe(model).catch((err) => { throw new Error('G failed: ' + err.message); });
      let diff = 0;
      for (let i = 0; i < values.length; i++) diff = Math.max(diff, Math.abs(values[i] - expected[i]));
      if (!(diff <= TOLERANCE * scale)) throw new Error('G is off the cpu backend by ' + diff);
      return { name, model, gpu: gpu?.description, passed };
    } catch (err) {
      model?.dispose();
      passed.push(name + ' (' + err.message + ')');
    }
  }
  throw new Error('no TensorFlow.js backend could run G: ' + passed.join('; '));
}

// z from the prior the generator was trained with.
function latents(n) {
  return meta.prior === 'uniform'
    ? tf.randomUniform([n, meta.latentDim], -1, 1)
    : tf.randomNormal([n, meta.latentDim]);
}

// Images: an 8×8 grid, values in [−1, 1] mapped to bytes, drawn at 1 px per pixel
// and enlarged by CSS (image-rendering: pixelated keeps them sharp).
async function drawImages(model, canvas) {
  const n = 64, columns = 8, pad = 2;
  const [h, w, c] = meta.outputShape;
  const x = tf.tidy(() => model.predict(latents(n)));
  const values = await x.data();
  x.dispose();
  const width = columns * (w + pad) + pad, height = Math.ceil(n / columns) * (h + pad) + pad;
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = Math.max(width, Math.min(4 * width, 640)) + 'px';
  const ctx = canvas.getContext('2d');
  const picture = ctx.createImageData(width, height);
  picture.data.fill(255);
  const byte = (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)));
  for (let i = 0; i < n; i++) {
    const left = pad + (i % columns) * (w + pad), top = pad + Math.floor(i / columns) * (h + pad);
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) {
      const source = ((i * h + y) * w + xx) * c, target = ((top + y) * width + left + xx) * 4;
      for (let k = 0; k < 3; k++) picture.data[target + k] = byte(values[source + (c === 1 ? 0 : k)]);
    }
  }
  ctx.putImageData(picture, 0, 0);
  return n;
}

// Jacobian-based truncation, as gankit samples the run: of a pool of latent rows,
// keep (in order) the first n whose ‖J_G(z)‖² is at most the pool's (1 − ratio)
// quantile. The norms come from central differences along each latent axis; the
// rows dropped are those G stretches across the gaps between modes.
async function keptLatents(model, pool, n, ratio) {
  const [size, dim] = pool.shape, step = 1e-3;
  const norms = tf.tidy(() => {
    let sum = tf.zeros([size]);
    for (let axis = 0; axis < dim; axis++) {
      const shift = tf.mul(tf.oneHot(tf.fill([size], axis, 'int32'), dim), step);
      const slope = tf.div(tf.sub(model.predict(tf.add(pool, shift)), model.predict(tf.sub(pool, shift))), 2 * step);
      sum = tf.add(sum, tf.sum(tf.square(tf.reshape(slope, [size, -1])), 1));
    }
    return sum;
  });
  const values = await norms.data();
  norms.dispose();
  const cutoff = Float64Array.from(values).sort()[size - Math.floor(ratio * size) - 1];
  const kept = [];
  for (let i = 0; i < size && kept.length < n; i++) if (values[i] <= cutoff) kept.push(i);
  return tf.gather(pool, kept);
}

// n latent rows from the prior, less those the run's truncation drops. Points only:
// for images (z ∈ R^100) the norms would take 200 passes of G over the pool.
async function sampleLatents(model, n) {
  const ratio = meta.jacobianTruncation || 0;
  if (ratio === 0) return latents(n);
  const pool = latents(Math.max(Math.ceil(n / (1 - ratio)), 1000));
  const z = await keptLatents(model, pool, n, ratio);
  pool.dispose();
  return z;
}

// Points: a scatter of 2,000 samples (first two coordinates); one scale for both
// axes, fitted to the samples, so shapes are not stretched.
async function drawPoints(model, canvas) {
  const n = 2000, size = 480;
  const [d] = meta.outputShape;
  const z = await sampleLatents(model, n);
  const x = tf.tidy(() => model.predict(z));
  z.dispose();
  const values = await x.data();
  x.dispose();
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const margin = 0.05 * (hi - lo || 1);
  lo -= margin; hi += margin;
  const at = (v) => ((v - lo) / (hi - lo)) * size;
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = 'rgba(30, 90, 200, 0.5)';
  for (let i = 0; i < n; i++) {
    const px = at(values[i * d]), py = d > 1 ? size - at(values[i * d + 1]) : size / 2;
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
  return n;
}

(async () => {
  const status = document.getElementById('status');
  const canvas = document.getElementById('canvas');
  try {
    status.textContent = 'Loading the model…';
    // An absolute URL: given plain 'model.json', tfjs looks for the weights at the
    // site's root (/weights.bin) instead of beside model.json.
    const artifacts = await tf.io.http(new URL('model.json', location.href).href).load();
    status.textContent = 'Starting TensorFlow.js…';
    const { name, model, gpu, passed } = await startBackend(artifacts);
    document.body.dataset.backend = name;
    if (gpu) document.body.dataset.gpu = gpu;
    document.getElementById('backend').textContent = 'Backend: ' + name + (gpu ? ' on ' + gpu : '') +
      (passed.length ? '. Passed over: ' + passed.join('; ') + '.' : '.');
    const draw = async () => {
      const started = performance.now();
      const n = await (meta.valueRange ? drawImages : drawPoints)(model, canvas);
` +
    `      const truncation = !meta.valueRange && meta.jacobianTruncation > 0 ` +
    `? ' (' + +(100 * meta.jacobianTruncation).toFixed(2) + '% Jacobian truncation)' : '';\n` +
    `      status.textContent = n + ' samples' + truncation + ' in ' + Math.round(performance.now() - started) + ` +
    `' ms on the ' + tf.getBackend() + ' backend.';\n` +
    `      document.body.dataset.state = 'ready';
    };
    document.getElementById('again').onclick = draw;
    await draw();
  } catch (err) {
    status.textContent = 'Could not sample the generator: ' + err.message;
    document.body.dataset.state = 'error';
    throw err;
  }
})();
</script>
</body>
</html>
`
  );
}
