// Real write failures for tests, without mocks: a child process whose file-size limit
// (ulimit -f) makes any write past it fail with EFBIG, as a full disk fails a write; a
// tiny tmpfs where the disk really is full (ENOSPC; needs root to mount); and a record of
// the fsync and rename calls a piece of code makes, read from the open descriptors.
// Importing this file does nothing (the test runner imports every file under test/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** dist/src/<module>.js of this build, as a URL to import in a child process. */
export const srcModule = (module: string) =>
  pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src', module)).href;

/**
 * Runs ES module `code` in a child Node whose files cannot grow past `kib` KiB (bash's
 * ulimit -f; SIGXFSZ ignored, so the write fails with EFBIG instead of killing it).
 * Returns what it printed and its exit status.
 */
export function runWithFileLimit(code: string, kib: number): { stdout: string; stderr: string; status: number | null } {
  const script = `trap '' XFSZ; ulimit -f ${kib}; exec "${process.execPath}" --input-type=module -e "$CODE"`;
  const r = spawnSync('bash', ['-c', script], {
    env: { ...process.env, CODE: code },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** A full-disk test needs root to mount a tmpfs; says why not otherwise. */
export function tmpfsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'a tmpfs needs Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (the EFBIG tests cover the same paths)';
  return undefined;
}

/** Mounts a tmpfs of `kib` KiB, runs `work` in it, then unmounts it. */
export async function withTmpfs<T>(kib: number, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-tmpfs-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`Expected to mount a tmpfs at ${dir} but: ${mount.stderr}`);
  try {
    return await work(dir);
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the file system holding `dir` until a write fails. */
export async function fillDisk(dir: string): Promise<void> {
  const filler = path.join(dir, 'filler');
  mkdirSync(filler, { recursive: true });
  const block = new Uint8Array(4096);
  for (let i = 0; ; i++) {
    try {
      await fs.writeFile(path.join(filler, String(i)), block);
    } catch {
      return;
    }
  }
}

export type DiskEvent = { op: 'sync'; path: string } | { op: 'rename'; from: string; to: string };

/**
 * Records every FileHandle.sync (with the path of its descriptor, from /proc/self/fd) and
 * every fs.promises.rename while `work` runs. Linux only (see procUnavailable).
 */
export async function recordDiskEvents(work: () => Promise<void>): Promise<DiskEvent[]> {
  const events: DiskEvent[] = [];
  const probe = await fs.open(fileURLToPath(import.meta.url), 'r');
  const proto = Object.getPrototypeOf(probe) as { sync(): Promise<void>; fd: number };
  await probe.close();
  const sync = proto.sync;
  const rename = fs.rename;
  proto.sync = async function (this: { fd: number }) {
    events.push({ op: 'sync', path: readlinkSync(`/proc/self/fd/${this.fd}`) });
    return sync.call(this);
  };
  fs.rename = async (from, to) => {
    events.push({ op: 'rename', from: String(from), to: String(to) });
    return rename(from, to);
  };
  try {
    await work();
  } finally {
    proto.sync = sync;
    fs.rename = rename;
  }
  return events;
}

export const procUnavailable = () => (existsSync('/proc/self/fd') ? undefined : 'needs /proc/self/fd (Linux)');
