// Formats whose readers misbehave on purpose, one way each, so the harness's own tests can
// check that every kind of defect is caught and classified (test/fuzz/harness.test.ts).
// Imported by the fuzz workers as a formats module: FAKE_FORMATS.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FuzzFormat } from '../../fuzz/format.js';

function fake(name: string, read: FuzzFormat['read'], extra: Partial<FuzzFormat> = {}): FuzzFormat {
  return {
    name,
    async makeValid(dir) {
      await fs.writeFile(path.join(dir, 'data.bin'), Buffer.from('0123456789abcdef'));
      return [path.join(dir, 'data.bin')];
    },
    read,
    ...extra,
  };
}

export const FAKE_FORMATS: FuzzFormat[] = [
  fake('accepts', async () => 'fine'),
  fake('refuses', async (dir) => {
    throw new Error(`Expected nothing useful in ${path.join(dir, 'data.bin')} and received it: delete it`);
  }),
  fake('aborts', async () => process.abort()),
  fake('hangs', () => {
    for (;;); // a busy loop: the worker cannot even answer
  }),
  fake('type error', async () => (undefined as unknown as { x: number }).x),
  fake('names no file', async () => {
    throw new Error('Expected something else but received this');
  }),
  fake('system error', (dir) => fs.readFile(path.join(dir, 'absent'))),
  fake('throws a string', async () => {
    throw 'data.bin is bad'; // eslint-disable-line no-throw-literal
  }),
  fake('leaves a file', async (dir) => {
    await fs.writeFile(path.join(dir, '.data.bin.tmp-1'), 'half');
    throw new Error(`Expected more in ${path.join(dir, 'data.bin')}`);
  }),
  fake('may leave a file', async (dir) => fs.writeFile(path.join(dir, 'extracted'), 'whole'), {
    mayCreate: (relative) => relative === 'extracted',
  }),
  fake('bad accept', async () => ({ count: 0 }), {
    check: (result) => ((result as { count: number }).count < 1 ? 'accepted 0 images' : undefined),
  }),
  fake('huge allocation', async () => Buffer.alloc(100 << 20, 1).length),
];
