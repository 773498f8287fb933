// Data sets known by name: looked for in the cache folder, then in the folders a
// system package installs them into, and otherwise downloaded (verified) into the cache.
import { existsSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { CIFAR_FOLDER, readCifarFolder } from './cifar.js';
import { extractCifarArchive } from './cifar-archive.js';
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
    const classes = { count: entry.classNames.length, why: `${name} has ${entry.classNames.length} classes` };
    const data = await readIdxImages(path.join(dir, wanted[0]), path.join(dir, wanted[1]), classes);
    return { name, source: dir, ...data, classNames: entry.classNames };
  }
  const batches = path.join(cache, CIFAR_FOLDER);
  if (!existsSync(batches)) {
    const archive = entry.files[0];
    await fetchFiles(name, entry, [archive], cache, options);
    await extractCifarArchive(path.join(cache, archive.name), cache, options.onProgress);
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
    }).catch((err: Error) => {
      // The way on without a network: which files, from where, into which folder.
      err.message +=
        `. To work offline, put ${missing.map((f) => f.name).join(', ')} (from ${missing.map(urlOf).join(', ')}) ` +
        `into ${cache} (GANKIT_DATA sets the data folder)`;
      throw err;
    });
  }
}
