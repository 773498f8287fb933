// The weights manifest of an untrusted model.json, checked before a byte of the weights
// is read: every path relative and inside the model's folder (no "..", no absolute path,
// no symbolic link out of it), every file a regular file (not /dev/zero, not a folder),
// and each group's files exactly as large as its weight specs need (dtype size × the
// product of the shape). Sizes come from stat, so no allocation is sized by a field of
// the file; the weights are then read into one buffer of the checked size.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Bytes per value of the dtypes tfjs stores unquantized. */
export const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1, complex64: 8 } as const;

/**
 * One weight of a manifest, as tfjs writes it (its io.WeightsManifestEntry, unquantized),
 * declared here so that the dashboard, which must not load tfjs, can read manifests too.
 */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: keyof typeof DTYPE_BYTES;
}

export interface WeightFile {
  file: string;
  bytes: number;
}

export interface CheckedManifest {
  specs: WeightSpec[];
  /** Every weight file in manifest order (groups, then paths), with its size. */
  files: WeightFile[];
  /** Their total size, equal to what the specs need. */
  bytes: number;
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `manifest` (model.json's weightsManifest, from `jsonFile` in folder `dir`) and stats its files. */
export async function checkManifest(jsonFile: string, dir: string, manifest: unknown): Promise<CheckedManifest> {
  const fail = (what: string): never => {
    throw new Error(
      `Expected model.json at ${jsonFile} to list its weights as tfjs does but ${what}; ` +
        'the file is damaged or was not written by tfjs: restore it or write it again',
    );
  };
  if (!Array.isArray(manifest)) return fail(`its weightsManifest is ${show(manifest)} instead of a list`);
  const realDir = await fs.realpath(dir).catch((err) => fail(`its folder cannot be read (${err.code ?? err})`));
  const specs: WeightSpec[] = [];
  const files: WeightFile[] = [];
  let total = 0;
  for (const [g, group] of manifest.entries()) {
    const at = `weightsManifest[${g}]`;
    if (!isObject(group)) return fail(`${at} is ${show(group)}`);
    const { paths, weights } = group;
    if (!Array.isArray(paths)) return fail(`${at}.paths is ${show(paths)} instead of a list of file names`);
    if (!Array.isArray(weights)) return fail(`${at}.weights is ${show(weights)} instead of a list`);
    const needed = weights.reduce((sum: number, spec, i) => sum + specBytes(spec, `${at}.weights[${i}]`, fail), 0);
    specs.push(...(weights as WeightSpec[]));
    let held = 0;
    for (const [i, p] of paths.entries()) {
      const file = await weightFile(dir, realDir, p, `${at}.paths[${i}]`, fail);
      files.push(file);
      held += file.bytes;
    }
    if (held !== needed) {
      const names = files.slice(files.length - paths.length).map((f) => f.file);
      fail(`the weights of ${at} need ${needed} bytes and its files (${names.join(', ') || 'none'}) hold ${held}`);
    }
    total += held;
  }
  return { specs, files, bytes: total };
}

/** The bytes one weight spec needs; fails on a malformed spec. */
function specBytes(spec: unknown, at: string, fail: (what: string) => never): number {
  if (!isObject(spec)) return fail(`${at} is ${show(spec)}`);
  if (typeof spec.name !== 'string') return fail(`${at}.name is ${show(spec.name)} instead of a string`);
  if (spec.quantization !== undefined) return fail(`${at} is quantized, and gankit reads unquantized weights`);
  const dtype = spec.dtype as keyof typeof DTYPE_BYTES;
  const size = typeof dtype === 'string' && Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
  if (size === undefined) {
    return fail(`${at}.dtype is ${show(spec.dtype)} instead of one of ${Object.keys(DTYPE_BYTES).join(', ')}`);
  }
  const shape = spec.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`${at}.shape is ${show(shape)} instead of a list of non-negative integers`);
  }
  const bytes = shape.reduce((product: number, d: number) => product * d, size);
  if (!Number.isSafeInteger(bytes)) return fail(`${at}.shape ${show(shape)} is impossibly large`);
  return bytes;
}

/** A manifest path, checked to name a regular file inside the model's folder, with its size. */
async function weightFile(
  dir: string,
  realDir: string,
  p: unknown,
  at: string,
  fail: (what: string) => never,
): Promise<WeightFile> {
  if (typeof p !== 'string' || p === '' || p.includes('\0')) return fail(`${at} is ${show(p)}`);
  const parts = p.split(/[\\/]/);
  if (path.posix.isAbsolute(p) || path.win32.isAbsolute(p) || parts.includes('..')) {
    return fail(`${at} is ${show(p)}, which is not a path inside the model's folder ${dir}`);
  }
  const file = path.join(dir, p);
  const unreadable = (err: unknown) =>
    fail(`${at} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  const real = await fs.realpath(file).catch(unreadable);
  const relative = path.relative(realDir, real);
  if (relative === '' || relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative)) {
    return fail(`${at} names ${file}, a link to ${real} outside the model's folder ${dir}`);
  }
  const stat = await fs.stat(real).catch(unreadable);
  if (!stat.isFile()) return fail(`${at} names ${file}, which is not a regular file`);
  return { file, bytes: stat.size };
}

/**
 * Reads the checked files into one buffer of `manifest.bytes` bytes, calling `check` on
 * each file's bytes; a file that changed size since it was checked is refused.
 */
export async function readWeights(
  manifest: CheckedManifest,
  check?: (file: string, bytes: Uint8Array) => void,
): Promise<ArrayBuffer> {
  const data = new Uint8Array(manifest.bytes);
  let offset = 0;
  for (const { file, bytes } of manifest.files) {
    const handle = await fs.open(file, 'r');
    try {
      const part = data.subarray(offset, offset + bytes);
      let read = 0;
      while (read < bytes) {
        const { bytesRead } = await handle.read(part, read, bytes - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      const extra = await handle.read(new Uint8Array(1), 0, 1, bytes);
      if (read !== bytes || extra.bytesRead !== 0) {
        throw new Error(`Expected ${bytes} bytes in ${file} but it changed size while being read; read it again`);
      }
      check?.(file, part);
    } finally {
      await handle.close();
    }
    offset += bytes;
  }
  return data.buffer;
}
