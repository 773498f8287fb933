// Images saved with NumPy: uint8 0..255, or float32 in [−1, 1] (what gankit's own
// samples and most GAN code write), shaped N×H×W or N×H×W×C.
import { readNpyTyped } from '../../io/npy.js';
import type { ImageDataset } from './types.js';

export async function readNpyImages(file: string): Promise<Omit<ImageDataset, 'name'>> {
  const array = await readNpyTyped(file);
  const { shape } = array;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Error(`Expected images of shape N×H×W or N×H×W×C in ${file} but received (${shape.join(', ')})`);
  }
  const [count, height, width, channels = 1] = shape;
  if (count === 0 || height === 0 || width === 0) {
    throw new Error(
      `Expected at least one image of at least 1×1 pixel in ${file} but its shape is (${shape.join(', ')}): the file ` +
        'holds no images; save the images again',
    );
  }
  if (channels !== 1 && channels !== 3) {
    throw new Error(
      `Expected 1 or 3 channels (the last axis of N×H×W×C) in ${file} but received ${channels}: save images ` +
        'channels-last, without alpha',
    );
  }
  const images = array.dtype === 'uint8' ? array.data : toBytes(array.data, file);
  return { source: file, images, count, height, width, channels };
}

/** [−1, 1] → 0..255 by round((x + 1)·127.5), the inverse of the x/127.5 − 1 that training applies. */
function toBytes(values: Float32Array, file: string): Uint8Array {
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= -1 && x <= 1)) {
      throw new Error(
        `Expected float32 image values in [−1, 1] in ${file} but element ${i} is ${x}: scale the images to [−1, ` +
          '1], or save them as uint8 0..255',
      );
    }
    bytes[i] = Math.round((x + 1) * 127.5);
  }
  return bytes;
}
