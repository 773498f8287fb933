// Copies a box of a row-major array into a box of another, one contiguous run of the
// last axis at a time: what Slice and each part of SplitV (a box of the input → the
// whole output) and PadV2 (the whole input → a box of the output) all are.

/** A new array holding the box of `extent` elements per axis at `start` of `from`. */
export function box(
  from: Float32Array,
  fromShape: readonly number[],
  start: readonly number[],
  extent: readonly number[],
): Float32Array {
  const to = new Float32Array(extent.reduce((a, e) => a * e, 1));
  copyRows(from, fromShape, start, to, extent, new Array(extent.length).fill(0), extent);
  return to;
}

/** Copies `extent` elements per axis from `from` at `fromStart` into `to` at `toStart`. */
export function copyRows(
  from: Float32Array,
  fromShape: readonly number[],
  fromStart: readonly number[],
  to: Float32Array,
  toShape: readonly number[],
  toStart: readonly number[],
  extent: readonly number[],
): void {
  const rank = extent.length;
  const run = extent[rank - 1];
  if (extent.some((e) => e === 0)) return;
  const fromStrides = strides(fromShape);
  const toStrides = strides(toShape);
  const index = new Array(rank - 1).fill(0);
  const rows = extent.slice(0, -1).reduce((a, e) => a * e, 1);
  for (let r = 0; r < rows; r++) {
    let src = fromStart[rank - 1];
    let dst = toStart[rank - 1];
    for (let d = 0; d < rank - 1; d++) {
      src += (fromStart[d] + index[d]) * fromStrides[d];
      dst += (toStart[d] + index[d]) * toStrides[d];
    }
    to.set(from.subarray(src, src + run), dst);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < extent[d]) break;
      index[d] = 0;
    }
  }
}

function strides(shape: readonly number[]): number[] {
  const s = new Array(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}
