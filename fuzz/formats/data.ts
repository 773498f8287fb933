// The data files gankit reads, as fuzz formats: .npy images, IDX files raw (by path) and
// gzipped (as the known data set mnist), CIFAR-10 binary batches (by path) and their
// archive (as the known data set cifar10), and folders of PNG/JPEG images. Each reads
// the folder the way `gankit train --data …` does (loadImages) and checks that what it
// accepted is a usable data set: at least one image, consistent sizes, labels in range.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { create as createTar } from 'tar';
import { gzipSync } from 'node:zlib';
import { loadImages, type ImageDataset } from '../../src/data/images/index.js';
import type { Rng } from '../../src/rng.js';
import type { FuzzFormat } from '../format.js';
import * as bytes from './data-bytes.js';

type FormatMutation = NonNullable<FuzzFormat['mutations']>[number];

/** What every accepted image data set must be; `classes` is the number of classes when the format fixes it. */
function datasetProblem(result: unknown, classes?: number): string | undefined {
  const d = result as ImageDataset;
  if (!(d.count >= 1)) return `accepted ${d.count} images`;
  if (!(d.height >= 1 && d.width >= 1)) return `accepted images of ${d.height}×${d.width} pixels`;
  if (d.channels !== 1 && d.channels !== 3) return `accepted ${d.channels} channels`;
  if (d.images.length !== d.count * d.height * d.width * d.channels)
    return `accepted ${d.images.length} pixel bytes for ${d.count}×${d.height}×${d.width}×${d.channels}`;
  if (!d.labels) return undefined;
  if (d.labels.length !== d.count) return `accepted ${d.labels.length} labels for ${d.count} images`;
  const largest = d.labels.reduce((a, b) => Math.max(a, b), 0);
  const known = classes ?? d.classNames?.length;
  if (known !== undefined && largest >= known) return `accepted label ${largest} with ${known} classes`;
  if (known === undefined && d.count >= largest + 1) {
    // No class count in the format: a label may not leave most of the classes 0..label without an image.
    const distinct = new Set(d.labels).size;
    if (largest + 1 > 2 * distinct) return `accepted label ${largest} with only ${distinct} classes holding images`;
  }
  if (d.classNames && classes !== undefined && d.classNames.length !== classes)
    return `accepted ${d.classNames.length} class names for ${classes} classes`;
  return undefined;
}

/** Random big values for header fields: all ones, just past 2³¹, or any 32-bit value. */
function hugeU32(rng: Rng): number {
  const picks = [0xffffffff, 0x80000000, 0x7fffffff, 0x10000, rng.nextUint32()];
  return picks[rng.int(picks.length)];
}

// ---- .npy -------------------------------------------------------------------------

const NPY_FILES = ['u8.npy', 'f32.npy', 'f64-v3.npy'];

const npyFormat: FuzzFormat = {
  name: 'npy',
  async makeValid(dir) {
    const f32 = new Float32Array(3 * 4 * 4 * 3).map((_, i) => ((i * 7) % 255) / 127.5 - 1);
    const f64 = new Float64Array(2 * 3 * 3).map((_, i) => ((i * 29) % 255) / 127.5 - 1);
    const files = {
      'u8.npy': bytes.npy(1, '|u1', [6, 5, 4, 1], bytes.pattern(120)),
      'f32.npy': bytes.npy(1, '<f4', [3, 4, 4, 3], new Uint8Array(f32.buffer)),
      'f64-v3.npy': bytes.npy(3, '<f8', [2, 3, 3], new Uint8Array(f64.buffer)),
    };
    for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(dir, name), content);
    return NPY_FILES.map((n) => path.join(dir, n));
  },
  async read(dir) {
    return Promise.all(NPY_FILES.map((n) => loadImages(path.join(dir, n))));
  },
  check(result) {
    for (const d of result as ImageDataset[]) {
      const problem = datasetProblem(d);
      if (problem) return `${d.source}: ${problem}`;
    }
    return undefined;
  },
  mutations: [
    {
      name: 'npy huge shape',
      apply: (file, rng) =>
        bytes.editNpyHeader(file, (h) =>
          h.replace(/\(([^)]*)\)/, () => `(${hugeU32(rng) * (1 + rng.int(70000))}, ${hugeU32(rng)}, 4, 1)`),
        ),
    },
    {
      name: 'npy other shape',
      apply: (file, rng) =>
        bytes.editNpyHeader(file, (h) =>
          h.replace(/\(([^)]*)\)/, () => {
            const dims = Array.from({ length: rng.int(6) }, () => rng.int(rng.uniform() < 0.2 ? 1 : 8));
            return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
          }),
        ),
    },
    {
      name: 'npy odd shape text',
      apply: (file, rng) => {
        const odd = ['(-1, 2, 2)', '(1e3, 1, 1)', '(0x10, 1, 1)', '(2.5, 2, 2)', '(99999999999999999999, 0, 1)', '()'];
        return bytes.editNpyHeader(file, (h) => h.replace(/\(([^)]*)\)/, odd[rng.int(odd.length)]));
      },
    },
    {
      name: 'npy dtype',
      apply: (file, rng) => {
        const types = ['<i4', '>f4', '<f2', '|b1', 'O', '<U3', '<f8', '|u1', '<c8', '>u1', '<u2', ''];
        return bytes.editNpyHeader(file, (h) => h.replace(/'descr':\s*'[^']*'/, `'descr': '${types[rng.int(12)]}'`));
      },
    },
    {
      name: 'npy fortran order',
      apply: (file) => bytes.editNpyHeader(file, (h) => h.replace('False', 'True')),
    },
    {
      name: 'npy header length',
      async apply(file, rng) {
        const b = await fs.readFile(file);
        if (b.length < 12) return;
        if (b[6] === 1) b.writeUInt16LE(rng.uniform() < 0.5 ? 0xffff : rng.int(0x10000), 8);
        else b.writeUInt32LE(rng.uniform() < 0.5 ? hugeU32(rng) : rng.int(0x10000), 8);
        await fs.writeFile(file, b);
      },
    },
    {
      name: 'npy version',
      async apply(file, rng) {
        const b = await fs.readFile(file);
        if (b.length > 7) b[6 + rng.int(2)] = rng.int(256);
        await fs.writeFile(file, b);
      },
    },
  ],
};

// ---- IDX --------------------------------------------------------------------------

const IDX_IMAGES = 'train-images-idx3-ubyte';
const IDX_LABELS = 'train-labels-idx1-ubyte';

/** Damage to an IDX file's header fields or labels, given its bytes; used raw and inside gzip. */
const idxDamage: { name: string; change(b: Buffer, rng: Rng, file: string): Buffer }[] = [
  {
    name: 'idx huge dimension',
    change(b, rng) {
      const out = Buffer.from(b);
      const dims = out.length >= 4 ? out[3] : 0;
      if (dims > 0 && out.length >= 8 + 4 * (dims - 1)) out.writeUInt32BE(hugeU32(rng), 4 + 4 * rng.int(dims));
      return out;
    },
  },
  {
    name: 'idx zero dimension',
    change(b, rng) {
      const out = Buffer.from(b);
      const dims = out.length >= 4 ? out[3] : 0;
      if (dims > 0 && out.length >= 8 + 4 * (dims - 1)) out.writeUInt32BE(0, 4 + 4 * rng.int(dims));
      return out;
    },
  },
  {
    name: 'idx dimension count',
    change(b, rng) {
      const out = Buffer.from(b);
      if (out.length >= 4) out[2 + rng.int(2)] = rng.int(256);
      return out;
    },
  },
  {
    name: 'idx label out of range',
    change(b, rng, file) {
      const out = Buffer.from(b);
      if (!file.includes('labels') || out.length <= 8) return out;
      out[8 + rng.int(out.length - 8)] = 10 + rng.int(246);
      return out;
    },
  },
  {
    name: 'idx one label more or less',
    change(b, rng, file) {
      if (!file.includes('labels') || b.length < 9) return b;
      const more = rng.uniform() < 0.5;
      const out = more ? Buffer.concat([b, Buffer.from([rng.int(10)])]) : Buffer.from(b.subarray(0, b.length - 1));
      out.writeUInt32BE(out.length - 8, 4);
      return out;
    },
  },
];

const idxFormat: FuzzFormat = {
  name: 'idx',
  async makeValid(dir) {
    // 300 images: enough that any label byte 0..255 could name a class that holds images.
    const labels = Uint8Array.from({ length: 300 }, (_, i) => i % 10);
    await fs.writeFile(path.join(dir, IDX_IMAGES), bytes.idx(0x803, [300, 4, 3], bytes.pattern(3600)));
    await fs.writeFile(path.join(dir, IDX_LABELS), bytes.idx(0x801, [300], labels));
    return [path.join(dir, IDX_IMAGES), path.join(dir, IDX_LABELS)];
  },
  read: (dir) => loadImages(dir),
  check: (result) => datasetProblem(result),
  mutations: idxDamage.map((d) => ({
    name: d.name,
    apply: async (file, rng) => fs.writeFile(file, d.change(await fs.readFile(file), rng, file)),
  })),
};

const idxGzFormat: FuzzFormat = {
  name: 'idx.gz',
  async makeValid(dir) {
    const mnist = path.join(dir, 'mnist');
    await fs.mkdir(mnist);
    const labels = Uint8Array.from({ length: 20 }, (_, i) => (i * 3) % 10);
    const images = path.join(mnist, `${IDX_IMAGES}.gz`);
    const labelsFile = path.join(mnist, `${IDX_LABELS}.gz`);
    await fs.writeFile(images, gzipSync(bytes.idx(0x803, [20, 28, 28], bytes.pattern(20 * 784))));
    await fs.writeFile(labelsFile, gzipSync(bytes.idx(0x801, [20], labels)));
    return [images, labelsFile];
  },
  // The known data set mnist, found in the cache folder (never downloaded here).
  read: (dir) => loadImages('mnist', { dataDir: dir, download: false }),
  check: (result) => datasetProblem(result, 10),
  mutations: [
    ...idxDamage.map((d): FormatMutation => ({
      name: `${d.name} (inside gzip)`,
      apply: (file, rng) => bytes.editGzipped(file, (inner) => d.change(inner, rng, file)),
    })),
    {
      name: 'gzip bomb (768 MB more than the header says)',
      apply: async (file) => fs.appendFile(file, await bytes.gzipBombMember()),
    },
    {
      name: 'truncated inside gzip',
      apply: (file, rng) => bytes.editGzipped(file, (inner) => inner.subarray(0, rng.int(inner.length))),
    },
    {
      name: 'flipped inside gzip',
      apply: (file, rng) =>
        bytes.editGzipped(file, (inner) => {
          const out = Buffer.from(inner);
          out[rng.int(Math.min(out.length, 16))] ^= 1 + rng.int(255);
          return out;
        }),
    },
  ],
};

// ---- CIFAR-10 ----------------------------------------------------------------------

const CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

async function writeCifarBatches(batches: string): Promise<string[]> {
  await fs.mkdir(batches, { recursive: true });
  const files = {
    'data_batch_1.bin': bytes.cifarRecords([6, 9, 0], 1),
    'data_batch_2.bin': bytes.cifarRecords([4, 1], 2),
    'batches.meta.txt': Buffer.from(CIFAR_CLASSES.join('\n') + '\n\n'),
  };
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(batches, name), content);
  return Object.keys(files).map((n) => path.join(batches, n));
}

const cifarDamage: { name: string; change(b: Buffer, rng: Rng, file: string): Buffer }[] = [
  {
    name: 'cifar label out of range',
    change(b, rng, file) {
      const out = Buffer.from(b);
      const records = Math.floor(out.length / 3073);
      if (file.endsWith('.bin') && records > 0) out[3073 * rng.int(records)] = 10 + rng.int(246);
      return out;
    },
  },
  {
    name: 'cifar no records',
    change: (b, _rng, file) => (file.endsWith('.bin') ? Buffer.alloc(0) : b),
  },
  {
    name: 'cifar one more record',
    change: (b, rng, file) => (file.endsWith('.bin') ? Buffer.concat([b, bytes.cifarRecords([rng.int(10)])]) : b),
  },
  {
    name: 'cifar class names',
    change(b, rng, file) {
      if (!file.endsWith('.txt')) return b;
      const names = b.toString('latin1').split('\n');
      if (rng.uniform() < 0.5) names.splice(rng.int(names.length), 1);
      else names.splice(rng.int(names.length), 0, 'extra');
      return Buffer.from(names.join('\n'), 'latin1');
    },
  },
];

const cifarFormat: FuzzFormat = {
  name: 'cifar',
  makeValid: (dir) => writeCifarBatches(path.join(dir, 'cifar-10-batches-bin')),
  read: (dir) => loadImages(dir),
  check: (result) => datasetProblem(result, 10),
  mutations: cifarDamage.map((d) => ({
    name: d.name,
    apply: async (file, rng) => fs.writeFile(file, d.change(await fs.readFile(file), rng, file)),
  })),
};

const CIFAR_ARCHIVE = path.join('cifar10', 'cifar-10-binary.tar.gz');

const cifarArchiveFormat: FuzzFormat = {
  name: 'cifar.tar.gz',
  async makeValid(dir) {
    const staging = path.join(dir, '..', `${path.basename(dir)}-staging`);
    await writeCifarBatches(path.join(staging, 'cifar-10-batches-bin'));
    await fs.mkdir(path.join(dir, 'cifar10'));
    const archive = path.join(dir, CIFAR_ARCHIVE);
    // A fixed mtime and no owner: the same bytes on every run, so a case replays exactly.
    await createTar({ gzip: true, file: archive, cwd: staging, portable: true, mtime: new Date(0) }, [
      'cifar-10-batches-bin',
    ]);
    await fs.rm(staging, { recursive: true });
    return [archive];
  },
  // The known data set cifar10: its archive in the cache folder is extracted, then read.
  read: (dir) => loadImages('cifar10', { dataDir: dir, download: false }),
  check: (result) => datasetProblem(result, 10),
  mayCreate: (relative) =>
    relative === 'cifar10/cifar-10-batches-bin' || relative.startsWith('cifar10/cifar-10-batches-bin/'),
  mutations: [
    {
      name: 'tar entry size huge',
      apply: (file, rng) =>
        bytes.editGzipped(file, (tar) => {
          const out = Buffer.from(tar);
          const headers = bytes.tarHeaders(out);
          if (headers.length > 0) bytes.setTarField(out, headers[rng.int(headers.length)], 124, 12, '77777777777');
          return out;
        }),
    },
    {
      name: 'tar entry escapes the folder',
      apply: (file, rng) =>
        bytes.editGzipped(file, (tar) => {
          const out = Buffer.from(tar);
          const headers = bytes.tarHeaders(out);
          const names = ['../escaped.bin', '/tmp/gankit-fuzz-absolute.bin', 'cifar-10-batches-bin/../../escaped.bin'];
          if (headers.length > 0) bytes.setTarField(out, headers[rng.int(headers.length)], 0, 100, names[rng.int(3)]);
          return out;
        }),
    },
    {
      name: 'tar header bytes',
      apply: (file, rng) =>
        bytes.editGzipped(file, (tar) => {
          const out = Buffer.from(tar);
          const headers = bytes.tarHeaders(out);
          if (headers.length > 0) out[headers[rng.int(headers.length)] + rng.int(512)] ^= 1 + rng.int(255);
          return out;
        }),
    },
    {
      name: 'tar truncated inside gzip',
      apply: (file, rng) => bytes.editGzipped(file, (tar) => tar.subarray(0, rng.int(tar.length))),
    },
    ...cifarDamage.slice(0, 1).map((d): FormatMutation => ({
      name: `${d.name} (inside the archive)`,
      apply: (file, rng) =>
        bytes.editGzipped(file, (tar) => {
          // The first entry with data is a batch or the names file; its data sit after its header.
          const out = Buffer.from(tar);
          for (const at of bytes.tarHeaders(out)) {
            const name = out.toString('latin1', at, at + 100).replace(/\0.*$/, '');
            if (!name.endsWith('.bin')) continue;
            const size = parseInt(out.toString('latin1', at + 124, at + 136).replace(/\0.*$/, ''), 8);
            const changed = d.change(out.subarray(at + 512, at + 512 + size), rng, name);
            changed.copy(out, at + 512);
            return out;
          }
          return out;
        }),
    })),
  ],
};

// ---- image folders -------------------------------------------------------------------

async function writeImage(file: string, channels: 1 | 3 | 4, salt: number, jpeg = false): Promise<void> {
  let image = sharp(bytes.pattern(8 * 8 * channels, salt), { raw: { width: 8, height: 8, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  await (jpeg ? image.jpeg({ quality: 90 }) : image.png()).toFile(file);
}

const imageFolderFormat: FuzzFormat = {
  name: 'image-folder',
  async makeValid(dir) {
    await fs.mkdir(path.join(dir, 'cats'));
    await fs.mkdir(path.join(dir, 'dogs'));
    const files: [string, 1 | 3 | 4, boolean][] = [
      ['cats/a.png', 3, false],
      ['cats/b.jpg', 3, true],
      ['dogs/c.png', 1, false],
      ['dogs/d.png', 4, false],
    ];
    for (const [name, channels, jpeg] of files) await writeImage(path.join(dir, name), channels, name.length, jpeg);
    return files.map(([name]) => path.join(dir, name));
  },
  read: (dir) => loadImages(dir),
  check: (result) => datasetProblem(result, 2),
  mutations: [
    {
      name: 'png huge size',
      async apply(file, rng) {
        if (!file.endsWith('.png')) return;
        await fs.writeFile(file, bytes.setPngSize(await fs.readFile(file), hugeU32(rng), hugeU32(rng) >>> rng.int(20)));
      },
    },
    {
      name: 'png zero size',
      async apply(file, rng) {
        if (!file.endsWith('.png')) return;
        await fs.writeFile(file, bytes.setPngSize(await fs.readFile(file), rng.int(2) * 8, rng.int(2) ? 0 : 8));
      },
    },
    {
      name: 'png chunk length',
      async apply(file, rng) {
        if (file.endsWith('.png'))
          await fs.writeFile(file, bytes.setPngChunkLength(await fs.readFile(file), hugeU32(rng)));
      },
    },
    {
      name: 'jpeg size',
      async apply(file, rng) {
        if (!file.endsWith('.jpg')) return;
        const [w, h] = rng.uniform() < 0.5 ? [0xffff, 0xffff] : [rng.int(0x10000), rng.int(3)];
        await fs.writeFile(file, bytes.setJpegSize(await fs.readFile(file), w, h));
      },
    },
  ],
};

export const DATA_FORMATS: FuzzFormat[] = [
  npyFormat,
  idxFormat,
  idxGzFormat,
  cifarFormat,
  cifarArchiveFormat,
  imageFolderFormat,
];
