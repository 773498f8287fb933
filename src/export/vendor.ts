// The TensorFlow.js an export's index.html runs on, copied next to it so the page works
// with no network: the browser builds (dist/*.min.js, and the wasm backend's .wasm files)
// of the tfjs packages gankit itself depends on, taken from node_modules at export time,
// never committed. Every file is found before anything is written, so a damaged install
// is refused with the file it lacks, not discovered halfway through an export. The
// WebGPU backend is an optional dependency of gankit: where it is not installed the
// page goes without it (and without that backend), where it is installed it must be whole.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VendoredPackage } from './metadata.js';

/** The export's subfolder holding the copies (index.html loads tfjs/…). */
export const TFJS_FOLDER = 'tfjs';

interface Bundle {
  package: string;
  /** Files under the package's dist/. */
  files: readonly string[];
  /** An optional dependency of gankit: skipped when not installed. */
  optional?: boolean;
}

/**
 * The browser builds, in the order the page loads the scripts: core, then the backends
 * (each registers itself with core), then layers. The dashboard's play.html lists the
 * same scripts (test/dash/play.test.ts holds it to TFJS_SCRIPTS).
 */
const BUNDLES: readonly Bundle[] = [
  { package: '@tensorflow/tfjs-core', files: ['tf-core.min.js'] },
  { package: '@tensorflow/tfjs-backend-cpu', files: ['tf-backend-cpu.min.js'] },
  { package: '@tensorflow/tfjs-backend-webgl', files: ['tf-backend-webgl.min.js'] },
  { package: '@tensorflow/tfjs-backend-webgpu', files: ['tf-backend-webgpu.min.js'], optional: true },
  {
    package: '@tensorflow/tfjs-backend-wasm',
    // The backend picks one at run time: SIMD where the browser has it, threads only on cross-origin isolated pages.
    files: [
      'tf-backend-wasm.min.js',
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
    ],
  },
  { package: '@tensorflow/tfjs-layers', files: ['tf-layers.min.js'] },
];

/** The scripts a page loads, relative to the export folder, in order (optional ones included). */
export const TFJS_SCRIPTS = BUNDLES.flatMap((b) => b.files.filter((f) => f.endsWith('.js'))).map(
  (f) => `${TFJS_FOLDER}/${f}`,
);

/**
 * The backends the pages try, best first: the GPU through WebGPU, then through WebGL,
 * then WebAssembly, then plain JavaScript (slow, but it always starts). The pages pass
 * over a GPU backend whose adapter is software (it measured slower than wasm) unless
 * the address asks for it (docs/dashboard.md, "Backends in the browser").
 */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export interface TfjsSource extends VendoredPackage {
  /** Absolute path of the package's dist/ folder. */
  dist: string;
}

/**
 * Finds every file to copy, resolving the packages as Node would from `from` (a file
 * path; default: this module, so it works from an installed gankit). Throws, naming the
 * package or file, when one is missing (an optional package may be missing whole).
 */
export async function locateTfjs(from: string = import.meta.url): Promise<TfjsSource[]> {
  const require = createRequire(from);
  const sources: TfjsSource[] = [];
  for (const { package: name, files, optional } of BUNDLES) {
    let manifest: string;
    let version: string;
    try {
      manifest = require.resolve(`${name}/package.json`);
      ({ version } = JSON.parse(await fs.readFile(manifest, 'utf8')) as { version: string });
    } catch {
      if (optional) continue; // npm installs optional dependencies where it can; the page then goes without
      throw new Error(
        `Expected the npm package ${name}, a dependency of gankit whose browser build the exported page loads, ` +
          `to be installed, but it cannot be found from ${path.dirname(fileOf(from))}; ` +
          "reinstall gankit's dependencies (npm install)",
      );
    }
    const dist = path.join(path.dirname(manifest), 'dist');
    for (const file of files) {
      const stat = await fs.stat(path.join(dist, file)).catch(() => undefined);
      if (!stat?.isFile()) {
        throw new Error(
          `Expected ${path.join(dist, file)}, part of ${name} ${version}'s browser build that the exported page ` +
            `loads, but it is missing; the installation is damaged: reinstall it (npm install ${name}@${version})`,
        );
      }
    }
    sources.push({ package: name, version, dist, files: files.map((f) => `${TFJS_FOLDER}/${f}`) });
  }
  return sources;
}

/** Copies the located files into `exportDir`/tfjs; the caller flushes the folder (io/folder.ts). */
export async function copyTfjs(sources: TfjsSource[], exportDir: string): Promise<void> {
  await fs.mkdir(path.join(exportDir, TFJS_FOLDER));
  for (const source of sources) {
    for (const file of source.files) {
      await fs.copyFile(path.join(source.dist, path.basename(file)), path.join(exportDir, file));
    }
  }
}

/** What gankit.json records: each package's version and the files copied from it. */
export const vendored = (sources: TfjsSource[]): VendoredPackage[] =>
  sources.map(({ package: name, version, files }) => ({ package: name, version, files }));

const fileOf = (from: string) => (from.startsWith('file:') ? fileURLToPath(from) : from);
