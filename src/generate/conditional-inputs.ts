// What a conditional generator is asked for in its pictures: a class grid (one row per
// class or categorical code value, one fixed z per column, so each column shows one
// "style" in every class) and InfoGAN's traversals (one row per categorical value,
// columns sweeping one continuous code from −2 to 2 with z and the other codes fixed,
// as Figure 2 of Chen et al. 2016 does: beyond the [−1, 1] of training, to show what
// the code has come to mean).
import type { Codes, Conditioning } from '../games/conditional.js';
import { Rng } from '../rng.js';
import { drawLatents, type Prior } from './latent.js';

export interface GridInputs {
  /** rows × columns latent vectors, row-major. */
  z: Float32Array;
  codes: Codes;
  rows: number;
  columns: number;
}

/** Columns of the class grid and of the traversals. */
export const GRID_COLUMNS = 10;
export const TRAVERSAL_STEPS = 9; // −2, −1.5, …, 2: includes 0

/**
 * Row k: class k; column j: the j-th z (and, for InfoGAN, the j-th continuous codes),
 * the same in every row. z is drawn first, then the continuous codes.
 */
export function classGridInputs(
  cond: Conditioning,
  rng: Rng,
  prior: Prior,
  latentDim: number,
  columns = GRID_COLUMNS,
): GridInputs {
  if (!Number.isInteger(columns) || columns < 1)
    throw new Error(`Expected a positive integer for columns but received ${columns}`);
  const rows = cond.classes;
  const zs = drawLatents(rng, prior, columns, latentDim);
  const continuous = rng.fillUniform(new Float32Array(columns * cond.continuous), -1, 1);
  const z = new Float32Array(rows * columns * latentDim);
  const classes = new Int32Array(rows * columns);
  const cont = new Float32Array(rows * columns * cond.continuous);
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < columns; j++) {
      const i = k * columns + j;
      z.set(zs.subarray(j * latentDim, (j + 1) * latentDim), i * latentDim);
      classes[i] = k;
      cont.set(continuous.subarray(j * cond.continuous, (j + 1) * cond.continuous), i * cond.continuous);
    }
  }
  return { z, codes: cond.encode(classes, cont), rows, columns };
}

/**
 * InfoGAN: row k is categorical value k; column j sets continuous code `code` (1-based)
 * to −range + 2·range·j/(steps − 1), the other continuous codes 0; one z for the whole grid.
 */
export function traversalInputs(
  cond: Conditioning,
  rng: Rng,
  prior: Prior,
  latentDim: number,
  code: number,
  steps = TRAVERSAL_STEPS,
  range = 2,
): GridInputs {
  if (cond.continuous === 0) {
    throw new Error(
      `Expected an InfoGAN run with continuous codes for a traversal but received model ${cond.model} ` +
        `with ${cond.continuous} continuous codes`,
    );
  }
  if (!Number.isInteger(code) || code < 1 || code > cond.continuous) {
    throw new Error(`Expected the continuous code to traverse to be 1..${cond.continuous} but received ${code}`);
  }
  const rows = cond.classes;
  const values = traversalValues(steps, range);
  const one = drawLatents(rng, prior, 1, latentDim);
  const z = new Float32Array(rows * steps * latentDim);
  const classes = new Int32Array(rows * steps);
  const cont = new Float32Array(rows * steps * cond.continuous);
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < steps; j++) {
      const i = k * steps + j;
      z.set(one, i * latentDim);
      classes[i] = k;
      cont[i * cond.continuous + code - 1] = values[j];
    }
  }
  return { z, codes: cond.encode(classes, cont), rows, columns: steps };
}

/** The values a traversal's columns give the swept code: −range … range in `steps` even steps. */
export function traversalValues(steps = TRAVERSAL_STEPS, range = 2): number[] {
  return Array.from({ length: steps }, (_, j) => -range + (2 * range * j) / (steps - 1));
}

/**
 * What the class grid's rows show: the data's class names for models that learn from
 * labels (cgan, acgan; "class k" where the data has none), and for InfoGAN "code k", the
 * categorical code's value, which means whatever G came to make of it.
 */
export function classGridLabels(cond: Conditioning, classNames?: readonly string[]): RowLabels {
  const rows = Array.from({ length: cond.classes }, (_, k) => k);
  if (!cond.trainsOnLabels) return { rowHeading: 'categorical code', rowLabels: rows.map((k) => `code ${k}`) };
  const named = classNames !== undefined && classNames.length === cond.classes;
  return { rowHeading: 'class', rowLabels: rows.map((k) => (named ? classNames[k] : `class ${k}`)) };
}

/** A traversal's rows (the categorical code's values) and columns (the swept code's values, "c2 = −2 … 2"). */
export function traversalLabels(cond: Conditioning, code: number, steps = TRAVERSAL_STEPS, range = 2): AxisLabels {
  return {
    ...classGridLabels(cond),
    columnHeading: `c${code} =`,
    columnLabels: traversalValues(steps, range).map(signed),
  };
}

/** −1.5 with a true minus sign; 0 without one. */
function signed(v: number): string {
  const text = String(+Math.abs(v).toFixed(3));
  return v < 0 && text !== '0' ? `−${text}` : text;
}

export interface RowLabels {
  rowHeading: string;
  rowLabels: string[];
}

export interface AxisLabels extends RowLabels {
  columnHeading: string;
  columnLabels: string[];
}

/** Under a class grid's title: what its rows and columns hold. */
export function classGridSubtitle(cond: Conditioning): string {
  return cond.trainsOnLabels
    ? 'one row per class, one fixed noise vector per column'
    : "one row per value of InfoGAN's categorical code, one fixed z and continuous codes per column";
}

/** Under a traversal's title: what is swept and what is held. */
export function traversalSubtitle(code: number): string {
  return `one row per categorical code value; c${code} swept beyond training's [−1, 1]; z and the other codes fixed`;
}
