// The playground (/app/play.html?run=NAME[&step=S]): a run's generator loaded from its
// checkpoint and run in the page with TensorFlow.js, so playing costs the server nothing.
// Samples (a scatter or an image grid), latent sliders on one selected sample, a strip
// interpolating between two samples, the Jacobian truncation of 2D runs, class and code
// pickers for conditional runs, and downloads (.npy, PNG). window.gankitPlay exposes
// the computations so tests can hold them against G run in Node.
import { fileUrl, getJson, runQuery, token, type RunDetail } from './common.js';
import {
  encodeCodes,
  exampleSize,
  generatorInfo,
  jacobianNorms,
  keptRows,
  runGenerator,
  truncationPool,
  type GeneratorInfo,
} from './generator.js';
import { drawLatents, interpolate, pickRows } from './latent.js';
import { encodeNpy } from './npy.js';
import { canvasPoint, drawGrid, drawScatter, fittedBounds, gridHit, scatterHit, type Bounds } from './play-draw.js';
import { codePickers, type CodeChoice } from './play-codes.js';
import { describeBackend, fetchArtifacts, loadModel, startBackend, type LayersModel } from './tfjs.js';
import { TOY_BOUNDS } from './toy-bounds.js';

const POINTS = 1000; // 1D and 2D runs: enough to see the modes, drawn in well under a second
const IMAGES = 64; // an 8 × 8 grid
const GRID_COLUMNS = 8;
const STRIP_STEPS = 8;
const MAX_SLIDERS = 16;
const DEFAULT_TRUNCATION = 0.01; // for runs trained without one: gankit's own default for toy data

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => ($('status').textContent = text);

interface Samples {
  /** The pool drawn from the prior (more rows than shown when truncating) and each row's drawn codes. */
  pool: Float32Array;
  poolClasses: Int32Array;
  poolContinuous: Float32Array;
  /** Pool rows shown, in order. */
  kept: Int32Array;
  /** G's outputs for the shown rows; their z and codes. */
  outputs: Float32Array;
  z: Float32Array;
  codes?: Float32Array;
}

class Playground {
  model!: LayersModel;
  info!: GeneratorInfo;
  samples!: Samples;
  bounds?: Bounds;
  selected = 0;
  other?: number;
  strip?: Float32Array;
  choice!: CodeChoice;
  /** Counts of render and slider requests, so that a late answer to an earlier one is dropped. */
  renders = 0;
  moves = 0;

  constructor(
    readonly detail: RunDetail,
    readonly backend: string,
  ) {}

  get isImage() {
    return this.info.outputShape.length === 3;
  }
  get count() {
    return this.isImage ? IMAGES : POINTS;
  }
  get truncation(): number {
    const box = $<HTMLInputElement>('truncation');
    return !this.isImage && box.checked ? Number($<HTMLInputElement>('ratio').value) : 0;
  }

  /**
   * Loads the chosen checkpoint's G (the moving average unless unticked) and draws its
   * samples: on the same z as before when it reads the same inputs.
   */
  async load(): Promise<void> {
    const checkpoint = this.detail.checkpoints[Number($<HTMLSelectElement>('checkpoint').value)];
    const average = $<HTMLInputElement>('average');
    average.disabled = checkpoint.average === null;
    if (checkpoint.average === null) average.checked = false; // the trained G is all there is
    const file = average.checked && checkpoint.average ? checkpoint.average : checkpoint.generator;
    status(`Loading G of step ${checkpoint.step} on the ${this.backend} backend…`);
    const model = await loadModel(fileUrl(this.detail.name, file), token());
    const previous = this.model; // disposed once the new G has drawn: a request in flight may still be using it
    this.model = model;
    const before = this.info;
    this.info = generatorInfo(model, this.detail.options);
    const bounds = this.detail.data === null ? undefined : TOY_BOUNDS[this.detail.data];
    this.bounds = bounds;
    // Points only, as gankit samples toy runs (1D ones too); for images (z ∈ R^100) it would take 200 passes of G.
    $('truncation-box').hidden = this.isImage;
    this.choice ??= codePickers($('codes'), this.info.codes, () => void this.render().catch(fail));
    this.sliders();
    // Another checkpoint of the run reads the same inputs: keep z and the codes, so the samples show what changed in G.
    const sameInputs = before?.latentDim === this.info.latentDim && this.samples?.pool !== undefined;
    await (sameInputs ? this.render() : this.resample());
    previous?.dispose();
  }

  /** A fresh pool from the prior (and fresh drawn codes), then render. */
  async resample(): Promise<void> {
    const { latentDim, prior, codes } = this.info;
    const size = truncationPool(this.count, this.truncation > 0 ? this.truncation : 0);
    const poolClasses = new Int32Array(size);
    const poolContinuous = new Float32Array(size * (codes?.continuous ?? 0));
    if (codes) {
      for (let i = 0; i < size; i++) poolClasses[i] = Math.floor(Math.random() * codes.classes);
      for (let i = 0; i < poolContinuous.length; i++) poolContinuous[i] = 2 * Math.random() - 1;
    }
    this.samples = { pool: drawLatents(prior, size, latentDim), poolClasses, poolContinuous } as Samples;
    this.other = undefined;
    await this.render();
  }

  /** The codes G reads for pool rows `rows`, as the pickers say (a picked class, or each row's own draw). */
  codesFor(rows: ArrayLike<number>): Float32Array | undefined {
    const layout = this.info.codes;
    if (!layout) return undefined;
    const { poolClasses, poolContinuous } = this.samples;
    const classes = Int32Array.from(rows, (r) => this.choice.classOf(poolClasses[r]));
    const continuous = new Float32Array(rows.length * layout.continuous);
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < layout.continuous; j++)
        continuous[i * layout.continuous + j] = this.choice.continuousOf(
          j,
          poolContinuous[rows[i] * layout.continuous + j],
        );
    return encodeCodes(layout, classes, continuous);
  }

  /** Truncates the pool (2D runs, when asked), runs G on the rows shown, and draws. */
  async render(): Promise<void> {
    const started = performance.now();
    const s = this.samples;
    const dim = this.info.latentDim;
    const poolSize = s.pool.length / dim;
    const ratio = this.truncation;
    if (ratio > 0 && poolSize < truncationPool(this.count, ratio)) return this.resample(); // the ratio grew
    const all = Int32Array.from({ length: poolSize }, (_, i) => i);
    // Pickers and sliders may ask again before G has answered: only the latest request's samples are shown.
    const ticket = ++this.renders;
    const kept =
      ratio > 0
        ? keptRows(await jacobianNorms(this.model, this.info, s.pool, this.codesFor(all)), this.count, ratio)
        : all.subarray(0, this.count);
    const z = pickRows(s.pool, dim, kept);
    const codes = this.codesFor(kept);
    const outputs = await runGenerator(this.model, this.info, z, codes);
    if (ticket !== this.renders || s !== this.samples) return;
    Object.assign(s, { kept, z, codes, outputs });
    this.selected = Math.min(this.selected, this.count - 1);
    this.draw();
    this.sliders();
    await this.redrawStrip();
    const truncated = ratio > 0 ? ` (${+(100 * ratio).toFixed(2)}% Jacobian truncation)` : '';
    status(
      `${this.count} samples${truncated} in ${Math.round(performance.now() - started)} ms on the ${this.backend} backend.`,
    );
    document.body.dataset.state = 'ready';
    document.body.dataset.samples = String(this.count);
  }

  draw(): void {
    const canvas = $<HTMLCanvasElement>('samples');
    const marks = { selected: this.selected, other: this.other };
    if (this.isImage) return drawGrid(canvas, this.samples.outputs, this.info.outputShape, GRID_COLUMNS, marks);
    const dim = this.info.outputShape[0];
    this.bounds ??= fittedBounds(this.samples.outputs, dim);
    drawScatter(canvas, this.samples.outputs, dim, this.bounds, { ...marks, path: this.strip });
  }

  /** A click selects a sample (A); a shift-click picks the other end of the interpolation (B). */
  async click(event: MouseEvent): Promise<void> {
    const canvas = $<HTMLCanvasElement>('samples');
    const [x, y] = canvasPoint(canvas, event);
    const hit = this.isImage
      ? gridHit(this.info.outputShape, GRID_COLUMNS, this.count, x, y)
      : scatterHit(this.samples.outputs, this.info.outputShape[0], this.bounds!, x, y);
    if (hit === undefined) return;
    await this.select(hit, event.shiftKey);
  }

  async select(index: number, asOther = false): Promise<void> {
    if (asOther) this.other = index;
    else this.selected = index;
    this.sliders();
    await this.redrawStrip();
    this.draw();
  }

  /** Sliders for the first latent dimensions of the selected sample; moving one re-runs G on that sample. */
  sliders(): void {
    const box = $('sliders');
    const { latentDim, prior } = this.info;
    const shown = Math.min(latentDim, MAX_SLIDERS);
    $('selected-index').textContent = `#${this.selected}`;
    if (!this.samples?.z) return;
    const range = prior === 'uniform' ? 1 : 3;
    box.replaceChildren(
      ...Array.from({ length: shown }, (_, j) => {
        const label = document.createElement('label');
        const input = document.createElement('input');
        const value = document.createElement('output');
        Object.assign(input, { type: 'range', min: -range, max: range, step: 0.01 });
        input.value = String(this.samples.z[this.selected * latentDim + j]);
        value.textContent = Number(input.value).toFixed(2);
        input.dataset.axis = String(j);
        input.oninput = () => {
          value.textContent = Number(input.value).toFixed(2);
          void this.moveLatent(j, Number(input.value));
        };
        label.append(`z${j + 1}`, input, value);
        return label;
      }),
    );
    if (latentDim > shown) box.append(`(the first ${shown} of ${latentDim} dimensions)`);
  }

  async moveLatent(axis: number, value: number): Promise<void> {
    const s = this.samples;
    const dim = this.info.latentDim;
    const i = this.selected;
    s.z[i * dim + axis] = value;
    s.pool[s.kept[i] * dim + axis] = value; // a new truncation keeps the edit
    const codeDim = s.codes ? s.codes.length / this.count : 0;
    const ticket = ++this.moves;
    const one = await runGenerator(
      this.model,
      this.info,
      s.z.subarray(i * dim, (i + 1) * dim),
      s.codes?.subarray(i * codeDim, (i + 1) * codeDim),
    );
    if (ticket !== this.moves || s !== this.samples) return; // a later position of the slider is on its way
    s.outputs.set(one, i * one.length);
    this.draw();
    await this.redrawStrip();
  }

  /** The strip from A (selected) to B: 8 steps, linear or spherical in z, A's codes held. */
  async redrawStrip(): Promise<void> {
    const canvas = $<HTMLCanvasElement>('strip');
    const note = $('strip-note');
    if (this.other === undefined || !this.samples?.z) {
      this.strip = undefined;
      canvas.hidden = true;
      note.textContent = 'Shift-click a second sample (B) to interpolate from the selected one (A).';
      return;
    }
    const dim = this.info.latentDim;
    const spherical = $<HTMLInputElement>('spherical').checked;
    const z = this.samples.z;
    const path = interpolate(
      z.subarray(this.selected * dim, (this.selected + 1) * dim),
      z.subarray(this.other * dim, (this.other + 1) * dim),
      STRIP_STEPS,
      spherical,
    );
    const codes = this.samples.codes;
    const codeDim = codes ? codes.length / this.count : 0;
    const held = codes && pickRows(codes, codeDim, new Array(STRIP_STEPS).fill(this.selected));
    this.strip = await runGenerator(this.model, this.info, path, held);
    note.textContent = `#${this.selected} → #${this.other}, ${spherical ? 'spherical' : 'linear'} in z, ${STRIP_STEPS} steps`;
    if (this.isImage) {
      canvas.hidden = false;
      drawGrid(canvas, this.strip, this.info.outputShape, STRIP_STEPS);
    } else {
      canvas.hidden = true;
      this.draw(); // the path is drawn over the scatter
    }
  }

  download(kind: 'npy' | 'png'): void {
    const name = `${this.detail.name.replaceAll('/', '-')}-step-${this.stepShown()}-samples.${kind}`;
    const save = (blob: Blob) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    };
    if (kind === 'npy') {
      const bytes = encodeNpy(this.samples.outputs, [this.count, ...this.info.outputShape]);
      save(new Blob([bytes], { type: 'application/octet-stream' }));
    } else {
      $<HTMLCanvasElement>('samples').toBlob((blob) => blob && save(blob), 'image/png');
    }
  }

  stepShown(): number {
    return this.detail.checkpoints[Number($<HTMLSelectElement>('checkpoint').value)].step;
  }
}

/** The checkpoint to start with: ?step=S exactly, else the latest; a sentence when S has none. */
function initialCheckpoint(detail: RunDetail, asked: string | null): { index: number; note?: string } {
  const last = detail.checkpoints.length - 1;
  if (asked === null) return { index: last };
  const index = detail.checkpoints.findIndex((c) => c.step === Number(asked));
  if (index >= 0) return { index };
  const steps = detail.checkpoints.map((c) => c.step).join(', ');
  return { index: last, note: `No checkpoint at step ${asked} (checkpoints: ${steps}); showing the latest.` };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const name = params.get('run');
  if (!name) throw new Error('Expected the address to name a run (play.html?run=NAME); open it from the run list');
  $('run').textContent = name;
  document.title = `Play with G — ${name}`;
  const detail = await getJson<RunDetail>(`/api/run?${runQuery(name)}`);
  if (detail.checkpoints.length === 0)
    throw new Error(`Expected a checkpoint in run ${name} but it has none yet; wait for its first checkpoint`);
  const { index, note } = initialCheckpoint(detail, params.get('step'));
  const select = $<HTMLSelectElement>('checkpoint');
  select.replaceChildren(
    ...detail.checkpoints.map((c, i) => new Option(`step ${c.step}${c.average ? '' : ' (no average)'}`, String(i))),
  );
  select.value = String(index);
  $('note').textContent = note ?? '';
  const ratio = Number(detail.options.jacobianTruncation);
  $<HTMLInputElement>('ratio').value = String(ratio > 0 ? ratio : DEFAULT_TRUNCATION);
  $<HTMLInputElement>('truncation').checked = ratio > 0;

  status('Starting TensorFlow.js…');
  // The backend is chosen by the G shown first: it must run that G as the cpu backend does.
  const first = detail.checkpoints[index];
  const artifacts = await fetchArtifacts(fileUrl(detail.name, first.average ?? first.generator), token());
  const backend = await startBackend(params.get('backend'), artifacts);
  document.body.dataset.backend = backend.name;
  if (backend.gpu) document.body.dataset.gpu = backend.gpu;
  $('backend').textContent = describeBackend(backend);
  const play = new Playground(detail, backend.name);
  const guarded = (action: () => Promise<void> | void) => () =>
    Promise.resolve()
      .then(action)
      .catch((err: Error) => fail(err));
  select.onchange = guarded(() => play.load());
  $('average').onchange = guarded(() => play.load());
  $('again').onclick = guarded(() => play.resample());
  $('truncation').onchange = guarded(() => play.render());
  $('ratio').onchange = guarded(() => play.render());
  $('spherical').onchange = $('linear').onchange = guarded(() => play.redrawStrip());
  $('samples').onclick = (event) => guarded(() => play.click(event))();
  $('download-npy').onclick = () => play.download('npy');
  $('download-png').onclick = () => play.download('png');
  Object.assign(window, { gankitPlay: testHooks(play) });
  await play.load();
}

/** What tests call: G on given rows, the page's truncation of a given pool, and what is shown. */
function testHooks(play: Playground) {
  return {
    info: () => play.info,
    sample: async (z: number[], codes?: number[]) =>
      Array.from(await runGenerator(play.model, play.info, Float32Array.from(z), codes && Float32Array.from(codes))),
    truncate: async (pool: number[], n: number, ratio: number, codes?: number[]) =>
      Array.from(
        keptRows(
          await jacobianNorms(play.model, play.info, Float32Array.from(pool), codes && Float32Array.from(codes)),
          n,
          ratio,
        ),
      ),
    shown: () => ({
      pool: Array.from(play.samples.pool),
      z: Array.from(play.samples.z),
      codes: play.samples.codes && Array.from(play.samples.codes),
      outputs: Array.from(play.samples.outputs),
      strip: play.strip && Array.from(play.strip),
      selected: play.selected,
      other: play.other,
      perExample: exampleSize(play.info),
    }),
    select: (index: number, asOther = false) => play.select(index, asOther),
  };
}

function fail(err: Error): void {
  status(`Could not play with this run's generator: ${err.message}`);
  document.body.dataset.state = 'error';
  console.warn(err); // a warning: the sentence on the page is the report, the stack is for developers
}

main().catch(fail);
