// The shape every image source is read into, and the options of loadImages.
import type { ImageRegistry } from './registry.js';

export interface ImageDataset {
  /** The name asked for ('fashion-mnist'), or the path given. */
  name: string;
  /** The file or folder the images were actually read from. */
  source: string;
  /** count×height×width×channels, row-major (NHWC), 0..255. */
  images: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Class index per image, when the format has labels. */
  labels?: Uint8Array;
  /** Names of the classes, indexed by label. */
  classNames?: string[];
}

export type Split = 'train' | 'test';

export interface LoadImagesOptions {
  /** Default 'train'. */
  split?: Split;
  /** Image folders only: resize so the short side is `size`, then centre-crop to size×size. */
  size?: number;
  /** Cache folder; default $GANKIT_DATA, else the user cache folder + '/data'. */
  dataDir?: string;
  /**
   * Base URL replacing the official ones (default $GANKIT_DATA_MIRROR); files are fetched from <mirror>/<name>/<file>.
   */
  mirror?: string;
  /** Default true; false turns a missing file into an error that says where to put it. */
  download?: boolean;
  /** Download progress, about twice a second: "downloading X: 12.3/29.5 MB". */
  onProgress?: (message: string) => void;
  /** @internal Tests replace the known data sets with their own. */
  registry?: ImageRegistry;
}
