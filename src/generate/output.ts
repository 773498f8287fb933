// What a generator makes, read from its output shape: images or points.
import type * as tfl from '@tensorflow/tfjs-layers';

/** What G outputs per example: an image (H×W×C) or a point in R^dim. */
export type GeneratorOutput =
  { kind: 'image'; shape: [h: number, w: number, c: number] } | { kind: 'points'; dim: number };

/** Image run when G's output is [batch, H, W, C], 2D run when it is [batch, D]. */
export function generatorOutput(model: tfl.LayersModel): GeneratorOutput {
  const shape = model.outputs[0].shape;
  const rest = shape.slice(1);
  if (rest.every((d): d is number => typeof d === 'number' && d > 0)) {
    if (rest.length === 3) return { kind: 'image', shape: rest as [number, number, number] };
    if (rest.length === 1) return { kind: 'points', dim: rest[0] };
  }
  throw new Error(
    'Expected G to output [batch, D] points or [batch, H, W, C] images but it outputs ' +
      `[${shape.map(String).join(', ')}]`,
  );
}
