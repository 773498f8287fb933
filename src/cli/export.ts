// `gankit export`: writes a run's generator as a tfjs model a browser can load.
import { Command, Option } from 'commander';
import { exportGenerator } from '../export/export.js';

export function exportCommand(): Command {
  return new Command('export')
    .description(
      "Export a run's generator alone (the discriminator is discarded) as a tfjs LayersModel: " +
        'model.json + weights.bin, gankit.json (latent size, prior, output shape, value range) ' +
        'and an example index.html, with the TensorFlow.js it runs on copied into tfjs/ so it works offline.',
    )
    .requiredOption('--run <dir>', 'run directory written by gankit train')
    .requiredOption('--out <dir>', 'folder to write (an earlier export there is replaced once the new one is complete)')
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G")
        .choices(['average', 'trained'])
        .default('average'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  gankit export --run runs/fashion --out web/generator\n' +
        '  (cd web/generator && python3 -m http.server 8000)   # then open http://localhost:8000/\n' +
        "  in a page: const G = await tf.loadLayersModel('web/generator/model.json'); " +
        'G.predict(tf.randomNormal([64, latentDim]))',
    )
    .action(async (flags: { run: string; out: string; generator: 'average' | 'trained' }) => {
      const { out, metadata: m } = await exportGenerator({
        run: flags.run,
        out: flags.out,
        generator: flags.generator,
      });
      console.log(
        `exported G (${m.weights} weights, step ${m.step}): z ∈ R^${m.latentDim} (${m.prior}) ` +
          `→ ${m.outputShape.join('×')} to ${out}`,
      );
    });
}
