// Built-in low-dimensional data sets. ring8 and grid25 follow the PacGAN / VEEGAN
// protocol exactly (see docs/design.md); each data set also knows its own density so
// pictures can draw it and the 1D case can compute the optimal discriminator.
import { Rng } from '../rng.js';

export const TOY_DATASETS = ['ring8', 'grid25', 'gauss1d', 'spiral', 'moons'] as const;
export type ToyName = (typeof TOY_DATASETS)[number];

export interface Bounds {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

export interface ToyDataset {
  name: ToyName;
  /** Dimension of a data point: 1 or 2. */
  dim: 1 | 2;
  /** Region that pictures show. For 1D data only xmin/xmax matter. */
  bounds: Bounds;
  /** n points, interleaved (n×dim). */
  sample(rng: Rng, n: number): Float32Array;
  /** Probability density at each of the points (n×dim interleaved). */
  density(points: Float32Array): Float32Array;
  /** For Gaussian mixtures: the mode centres (M×dim) and their common std, used by the mode metrics. */
  modes?: Float32Array;
  modeStd?: number;
  /** Length of the data's structure (the distance between neighbouring modes, or 1). */
  scale: number;
  /**
   * Labelled data (the mixtures): the number of classes, and `sample` with each point's
   * class, its mixture component (its natural label). It draws exactly the random
   * numbers `sample` draws, so a seeded run is the same whether or not it reads labels.
   */
  classes?: number;
  sampleLabelled?(rng: Rng, n: number): { points: Float32Array; labels: Int32Array };
}

export function toyDataset(name: string): ToyDataset {
  switch (name) {
    case 'ring8':
      return ring8();
    case 'grid25':
      return grid25();
    case 'gauss1d':
      return gauss1d();
    case 'spiral':
      return spiral();
    case 'moons':
      return moons();
    default:
      throw new Error(`Expected data to be one of ${TOY_DATASETS.join(', ')} but received "${name}"`);
  }
}

/** 8 Gaussians on the unit circle at angles 2πi/8, std 0.01. */
function ring8(): ToyDataset {
  const centres = new Float32Array(16);
  for (let i = 0; i < 8; i++) {
    centres[2 * i] = Math.cos((2 * Math.PI * i) / 8);
    centres[2 * i + 1] = Math.sin((2 * Math.PI * i) / 8);
  }
  return mixture('ring8', centres, 0.01, 2 * Math.sin(Math.PI / 8), { xmin: -1.5, xmax: 1.5, ymin: -1.5, ymax: 1.5 });
}

/** 25 Gaussians at {−4,−2,0,2,4}², std 0.05. */
function grid25(): ToyDataset {
  const centres = new Float32Array(50);
  let k = 0;
  for (const x of [-4, -2, 0, 2, 4]) {
    for (const y of [-4, -2, 0, 2, 4]) {
      centres[k++] = x;
      centres[k++] = y;
    }
  }
  return mixture('grid25', centres, 0.05, 2, { xmin: -5.5, xmax: 5.5, ymin: -5.5, ymax: 5.5 });
}

/** Equal-weight isotropic 2D Gaussian mixture. */
function mixture(name: ToyName, centres: Float32Array, std: number, spacing: number, bounds: Bounds): ToyDataset {
  const m = centres.length / 2;
  const sampleLabelled = (rng: Rng, n: number) => {
    const points = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = (labels[i] = rng.int(m));
      points[2 * i] = centres[2 * c] + std * rng.normal();
      points[2 * i + 1] = centres[2 * c + 1] + std * rng.normal();
    }
    return { points, labels };
  };
  return {
    name,
    dim: 2,
    bounds,
    scale: spacing,
    modes: centres,
    modeStd: std,
    classes: m,
    sampleLabelled,
    sample: (rng, n) => sampleLabelled(rng, n).points,
    density(points) {
      return gaussianMixtureDensity(points, centres, std);
    },
  };
}

/** N(2, 0.5²): one dimension, where D* = p_data / (p_data + p_g) can be drawn beside D. */
function gauss1d(): ToyDataset {
  const mean = 2;
  const std = 0.5;
  return {
    name: 'gauss1d',
    dim: 1,
    scale: 1,
    bounds: { xmin: -2, xmax: 5, ymin: 0, ymax: 1 },
    sample(rng, n) {
      return rng.fillNormal(new Float32Array(n), mean, std);
    },
    density(points) {
      const out = new Float32Array(points.length);
      const norm = 1 / (std * Math.sqrt(2 * Math.PI));
      for (let i = 0; i < points.length; i++) {
        const t = (points[i] - mean) / std;
        out[i] = norm * Math.exp(-0.5 * t * t);
      }
      return out;
    },
  };
}

/** Points spread along a curve c(t), t ~ U(0,1), plus isotropic Gaussian noise. */
function curveDataset(
  name: ToyName,
  curve: (t: number) => [number, number],
  noise: number,
  bounds: Bounds,
): ToyDataset {
  // The density is the noise kernel averaged along the curve; 600 points along it
  // make the sum indistinguishable from the integral at this noise level.
  const along = new Float32Array(2 * 600);
  for (let i = 0; i < 600; i++) {
    const [x, y] = curve((i + 0.5) / 600);
    along[2 * i] = x;
    along[2 * i + 1] = y;
  }
  return {
    name,
    dim: 2,
    bounds,
    scale: 1,
    sample(rng, n) {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const [x, y] = curve(rng.uniform());
        out[2 * i] = x + noise * rng.normal();
        out[2 * i + 1] = y + noise * rng.normal();
      }
      return out;
    },
    density(points) {
      return gaussianMixtureDensity(points, along, noise);
    },
  };
}

/** An Archimedean spiral of 1¾ turns, radius 0.25 → 2, noise std 0.04. */
function spiral(): ToyDataset {
  return curveDataset(
    'spiral',
    (t) => {
      const theta = 0.5 * Math.PI + 3.5 * Math.PI * t;
      const r = (2 * theta) / (4 * Math.PI);
      return [r * Math.cos(theta), r * Math.sin(theta)];
    },
    0.04,
    { xmin: -2.5, xmax: 2.5, ymin: -2.5, ymax: 2.5 },
  );
}

/** Two interleaved half circles (as in scikit-learn's make_moons), centred, noise std 0.05. */
function moons(): ToyDataset {
  return curveDataset(
    'moons',
    (t) => {
      const a = Math.PI * ((2 * t) % 1);
      return t < 0.5 ? [Math.cos(a) - 0.5, Math.sin(a) - 0.25] : [0.5 - Math.cos(a), 0.25 - Math.sin(a)];
    },
    0.05,
    { xmin: -2, xmax: 2, ymin: -1.5, ymax: 1.5 },
  );
}

/**
 * Centres of an n×n grid of cells over `bounds`, row-major from (xmin, ymin): the
 * layout of the plots' Grid, so values computed here can be drawn directly.
 */
export function gridCentres(bounds: Bounds, n: number): Float32Array {
  const { xmin, xmax, ymin, ymax } = bounds;
  const points = new Float32Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      points[2 * (j * n + i)] = xmin + ((i + 0.5) * (xmax - xmin)) / n;
      points[2 * (j * n + i) + 1] = ymin + ((j + 0.5) * (ymax - ymin)) / n;
    }
  }
  return points;
}

/** The data density on an n×n grid over the data set's bounds. */
export function densityGrid(
  data: ToyDataset,
  n: number,
): { values: Float32Array; nx: number; ny: number; bounds: Bounds } {
  return { values: data.density(gridCentres(data.bounds, n)), nx: n, ny: n, bounds: data.bounds };
}

function gaussianMixtureDensity(points: Float32Array, centres: Float32Array, std: number): Float32Array {
  const n = points.length / 2;
  const m = centres.length / 2;
  const out = new Float32Array(n);
  const norm = 1 / (m * 2 * Math.PI * std * std);
  const inv = -0.5 / (std * std);
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    let s = 0;
    for (let j = 0; j < m; j++) {
      const dx = x - centres[2 * j];
      const dy = y - centres[2 * j + 1];
      s += Math.exp(inv * (dx * dx + dy * dy));
    }
    out[i] = norm * s;
  }
  return out;
}
