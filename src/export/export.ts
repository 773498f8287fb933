// Exporting a run's generator for use anywhere tfjs runs, browsers first. After
// training the discriminator is thrown away (Goodfellow et al. 2014): the export holds
// G alone as a tfjs LayersModel (model.json + weights.bin), gankit.json saying how to
// feed it (latent size, prior) and what it returns, and an example page with the
// TensorFlow.js it runs on copied beside it (tfjs/, vendor.ts), so it works offline. The
// folder is written whole or not at all (io/folder.ts), flushed to the disk, also on a
// full disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { modelFiles } from '../io/model-files.js';
import { writeModelFiles } from '../io/model-json.js';
import { foldSpectral } from '../io/fold-spectral.js';
import { writeFolderAtomic } from '../io/folder.js';
import { openRun } from '../run/open.js';
import { checkpointStep, hasAverage } from '../run/checkpoint.js';
import { examplePage } from './page.js';
import { copyTfjs, locateTfjs, TFJS_FOLDER, vendored } from './vendor.js';
import type { GeneratorMetadata } from './metadata.js';

/** The export's files; beside them the folder tfjs/ (TFJS_FOLDER) holds the page's TensorFlow.js. */
export const EXPORT_FILES = ['model.json', 'weights.bin', 'gankit.json', 'index.html'] as const;

export interface ExportRequest {
  run: string;
  /** The folder to write; replaced only once the new export is complete. */
  out: string;
  /** G's moving average (default, when the run kept one) or the trained G. */
  generator?: 'average' | 'trained';
}

export interface ExportInfo {
  /** Absolute path of the export folder. */
  out: string;
  /** Every file written, relative to `out` (tfjs/… included). */
  files: string[];
  metadata: GeneratorMetadata;
  /** Set when the run's `latest` could not be used and an older complete checkpoint was exported: why. */
  note?: string;
}

export async function exportGenerator(r: ExportRequest): Promise<ExportInfo> {
  const tfjs = await locateTfjs(); // before anything is read or written: a damaged install is refused first
  const { options, model, output, checkpoint: found } = await openRun(r.run, r.generator);
  try {
    const checkpoint = found.dir; // the one G came from, also when `latest` could not be used
    const metadata: GeneratorMetadata = {
      format: 'gankit-generator',
      version: 1,
      latentDim: options.latentDim,
      prior: options.prior,
      outputShape: output.kind === 'image' ? [...output.shape] : [output.dim],
      valueRange: output.kind === 'image' ? [-1, 1] : null,
      data: options.data,
      step: await checkpointStep(checkpoint),
      model: options.model,
      weights: (await hasAverage(checkpoint)) && r.generator !== 'trained' ? 'average' : 'trained',
      jacobianTruncation: options.jacobianTruncation,
      exportedAt: new Date().toISOString(),
      tfjs: vendored(tfjs),
    };
    // A spectrally normalised G is written with W/σ baked into plain tfjs layers, so the export needs no gankit
    // layer to load; any other G is written as it is.
    const files = foldSpectral(await modelFiles(model));
    const fill = async (dir: string) => {
      await writeModelFiles(dir, files);
      await fs.writeFile(path.join(dir, 'gankit.json'), JSON.stringify(metadata, null, 1) + '\n');
      await fs.writeFile(path.join(dir, 'index.html'), examplePage(metadata));
      await copyTfjs(tfjs, dir);
    };
    // An earlier export may be replaced, a folder holding anything else may not.
    const ours: string[] = [...EXPORT_FILES, TFJS_FOLDER];
    const isExport = (entries: string[]) => entries.every((e) => ours.includes(e));
    await writeFolderAtomic(r.out, fill, isExport, '--out');
    return {
      out: path.resolve(r.out),
      files: [...EXPORT_FILES, ...tfjs.flatMap((p) => p.files)],
      metadata,
      ...(found.note ? { note: found.note } : {}),
    };
  } finally {
    model.dispose();
  }
}
