// Writes that never leave a half-written file behind: data goes to a temporary file in
// the same directory, which is then renamed over the target (rename is atomic on POSIX).
import { promises as fs } from 'node:fs';
import path from 'node:path';

let counter = 0;

export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${counter++}`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryPathFor(target);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
