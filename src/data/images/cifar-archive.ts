// CIFAR-10's archive (cifar-10-binary.tar.gz) unpacked into the cache. Only the files
// gankit reads are taken from it, each bounded in size before its bytes are read, and
// each is checked (record size, labels, class names) before any of them is written: a
// damaged archive is refused naming the archive, and leaves nothing behind, so the cache
// never holds a half-extracted or damaged folder that would be trusted on the next run.
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { withFileErrors } from '../../io/file-errors.js';
import { CIFAR_FOLDER, CIFAR_RECORD_BYTES, decodeCifarRecords, parseClassNames } from './cifar.js';

const WANTED = new RegExp(
  `^(?:\\./)?${CIFAR_FOLDER}/(data_batch_[1-9]\\d*\\.bin|test_batch\\.bin|batches\\.meta\\.txt)$`,
);
/** CIFAR-10's batches hold 10,000 records; twice that is allowed for re-packed archives. */
const MAX_BATCH_BYTES = 20_000 * CIFAR_RECORD_BYTES;
const MAX_NAMES_BYTES = 64 * 1024;
/** All entries together (the real archive unpacks to 184 MB); a larger one is refused before it is inflated. */
const MAX_TOTAL_BYTES = 1 << 30;

/** Unpacks `archive` into `cache`/cifar-10-batches-bin, or throws naming the archive and leaves nothing behind. */
export async function extractCifarArchive(
  archive: string,
  cache: string,
  onProgress?: (message: string) => void,
): Promise<void> {
  onProgress?.(`extracting ${path.basename(archive)}`);
  const damaged = (why: string) =>
    new Error(
      `Expected a complete CIFAR-10 archive at ${archive} but ${why}: delete it and run again to download it anew`,
    );
  // A file inside cannot be deleted on its own: its message's advice gives way to the archive's.
  const inner = (err: unknown) =>
    `a file in it is damaged: ${(err as Error).message.replace(/;\s*delete it and [^;]*$/, '')}`;
  let files: Map<string, Buffer>;
  try {
    files = await readEntries(archive);
  } catch (err) {
    throw damaged(`reading it failed (${(err as Error).message})`);
  }
  const batches = [...files.keys()].filter((n) => n.endsWith('.bin'));
  if (!batches.some((n) => n.startsWith('data_batch_')))
    throw damaged(`it holds no ${CIFAR_FOLDER}/data_batch_*.bin (it holds: ${[...files.keys()].join(', ') || 'none'})`);
  for (const name of batches) {
    try {
      decodeCifarRecords(files.get(name)!, `${archive}:${CIFAR_FOLDER}/${name}`);
    } catch (err) {
      throw damaged(inner(err));
    }
  }
  if (files.has('batches.meta.txt')) {
    try {
      parseClassNames(files.get('batches.meta.txt')!.toString('utf8'), `${archive}:${CIFAR_FOLDER}/batches.meta.txt`);
    } catch (err) {
      throw damaged(inner(err));
    }
  }
  // Written into a temporary folder first, then renamed: a half-written folder never looks complete.
  const temporary = await withFileErrors(cache, 'extracting CIFAR-10', () => fs.mkdtemp(path.join(cache, '.extract-')));
  try {
    const folder = path.join(temporary, CIFAR_FOLDER);
    await fs.mkdir(folder);
    for (const [name, bytes] of files) {
      const file = path.join(folder, name);
      await withFileErrors(file, 'extracting CIFAR-10', () => fs.writeFile(file, bytes));
    }
    // Another process may have finished the same extraction first; its copy is as good.
    await fs.rename(folder, path.join(cache, CIFAR_FOLDER)).catch((err) => {
      if (!existsSync(path.join(cache, CIFAR_FOLDER))) throw err;
    });
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
}

/** The wanted entries' bytes by file name; sizes are checked from each header before its data are read. */
function readEntries(archive: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const chunks = new Map<string, Buffer[]>();
    let total = 0;
    let failed = false;
    const input = createReadStream(archive);
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(err);
    };
    const parser = new Parser({
      strict: true,
      onReadEntry(entry: ReadEntry) {
        total += entry.size ?? 0;
        const name = WANTED.exec(entry.path)?.[1];
        if (total > MAX_TOTAL_BYTES) {
          entry.resume();
          return fail(new Error(`its entries hold more than ${MAX_TOTAL_BYTES} bytes; CIFAR-10's hold 184 MB`));
        }
        if (!name || (entry.type !== 'File' && entry.type !== 'OldFile')) return entry.resume();
        const limit = name.endsWith('.bin') ? MAX_BATCH_BYTES : MAX_NAMES_BYTES;
        if ((entry.size ?? 0) > limit) {
          entry.resume();
          return fail(new Error(`${entry.path} is ${entry.size} bytes, more than the ${limit} it can be`));
        }
        const parts: Buffer[] = [];
        chunks.set(name, parts);
        entry.on('data', (chunk: Buffer) => parts.push(chunk));
      },
    });
    parser.on('error', fail);
    input.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve(new Map([...chunks].map(([name, parts]) => [name, Buffer.concat(parts)])));
    });
    input.pipe(parser);
  });
}
