// Data sets known by name: looked for in the cache folder, then in the folders a
// system package installs them into, and otherwise downloaded (verified) into the cache.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { extract } from 'tar';
import { CIFAR_FOLDER, readCifarFolder } from './cifar.js';
import { downloadFile } from './download.js';
import { readIdxImages } from './idx.js';
import { idxSplitFiles, type KnownImageData, type RegistryFile } from './registry.js';
import type { ImageDataset, LoadImagesOptions } from './types.js';

/** $GANKIT_DATA, else the user cache folder's data/ (~/.cache/gankit/data on Linux). */
export function defaultDataDir(): string {
  return process.env.GANKIT_DATA || path.join(envPaths('gankit', { suffix: '' }).cache, 'data');
}

export async function loadKnown(
  name: string,
  entry: KnownImageData,
  options: LoadImagesOptions,
): Promise<ImageDataset> {
  const split = options.split ?? 'train';
  const cache = path.join(options.dataDir ?? defaultDataDir(), name);
  if (entry.format === 'idx') {
    const wanted = idxSplitFiles(split);
    let dir = [cache, ...(entry.systemDirs ?? [])].find((d) => wanted.every((f) => existsSync(path.join(d, f))));
    if (dir === undefined) {
      await fetchFiles(
        name,
        entry,
        entry.files.filter((f) => wanted.includes(f.name)),
        cache,
        options,
      );
      dir = cache;
    }
    const data = await readIdxImages(path.join(dir, wanted[0]), path.join(dir, wanted[1]));
    return { name, source: dir, ...data, classNames: entry.classNames };
  }
  const batches = path.join(cache, CIFAR_FOLDER);
  if (!existsSync(batches)) {
    const archive = entry.files[0];
    await fetchFiles(name, entry, [archive], cache, options);
    await extractArchive(path.join(cache, archive.name), cache, options.onProgress);
  }
  const data = await readCifarFolder(batches, split);
  return { name, ...data, classNames: data.classNames ?? entry.classNames };
}

/** Downloads the files not already in the cache, after checking that each can be verified. */
async function fetchFiles(
  name: string,
  entry: KnownImageData,
  files: RegistryFile[],
  cache: string,
  options: LoadImagesOptions,
): Promise<void> {
  const missing = files.filter((f) => !existsSync(path.join(cache, f.name)));
  if (missing.length === 0) return;
  const mirror = options.mirror ?? process.env.GANKIT_DATA_MIRROR;
  // A mirror serves every data set, so it keeps them apart the way the cache does.
  const urlOf = (file: RegistryFile) =>
    mirror ? `${mirror.replace(/\/+$/, '')}/${name}/${file.name}` : entry.baseUrl + file.name;
  const where = [cache, ...(entry.systemDirs ?? [])].join(' or ');
  if (options.download === false) {
    throw new Error(
      `Expected ${name}'s ${missing.map((f) => f.name).join(', ')} in ${where} but they are not there and ` +
        'downloads are off: ' +
        `download ${missing.map(urlOf).join(', ')} into ${cache}, or allow downloads`,
    );
  }
  const unverifiable = missing.find((f) => f.sha256 === undefined);
  if (unverifiable) {
    throw new Error(
      `Expected a known SHA-256 for ${urlOf(unverifiable)} but gankit has none (no checksum known), and it ` +
        'downloads only files it can verify: ' +
        `download the file yourself into ${cache}`,
    );
  }
  for (const file of missing) {
    await downloadFile({
      url: urlOf(file),
      file: path.join(cache, file.name),
      sha256: file.sha256!,
      bytes: file.bytes,
      onProgress: options.onProgress,
    });
  }
}

/** Extracts into a temporary folder first, so a half-extracted folder never looks complete. */
async function extractArchive(archive: string, cache: string, onProgress?: (message: string) => void): Promise<void> {
  onProgress?.(`extracting ${path.basename(archive)}`);
  const temporary = await fs.mkdtemp(path.join(cache, '.extract-'));
  try {
    try {
      await extract({ file: archive, cwd: temporary, strict: true });
    } catch (err) {
      throw new Error(
        `Expected a complete .tar.gz archive at ${archive} but extracting it failed (${(err as Error).message}): ` +
          'delete it and run again to download it anew',
      );
    }
    const extracted = path.join(temporary, CIFAR_FOLDER);
    if (!existsSync(extracted))
      throw new Error(
        `Expected ${archive} to hold the folder ${CIFAR_FOLDER} but it does not: delete it and run again to ` +
          'download it anew',
      );
    // Another process may have finished the same extraction first; its copy is as good.
    await fs.rename(extracted, path.join(cache, CIFAR_FOLDER)).catch((err) => {
      if (!existsSync(path.join(cache, CIFAR_FOLDER))) throw err;
    });
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
}
