#!/usr/bin/env node
// npm's "install" step: builds the oneDNN addon with node-gyp when it can and
// otherwise says so in one line and exits 0 — gankit then runs on its wasm
// fallback, so a machine without oneDNN must still install cleanly.
// GANKIT_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOW = 'install oneDNN (Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn), then npm rebuild';

function skip(reason) {
  console.log(`gankit: native backend not built (${reason}); using the wasm fallback — for native speed ${HOW}`);
  process.exit(0);
}

if (process.env.GANKIT_SKIP_NATIVE === '1') skip('GANKIT_SKIP_NATIVE=1');
// Under npx (npm_command "exec"), npm links this folder into its cache and runs the install
// step again on the first call: reuse the addon that npm install built (scripts/prepare.mjs).
if (process.env.npm_command === 'exec' && existsSync(join(root, 'build', 'Release', 'gankit_native.node'))) process.exit(0);

// Fail fast and clearly when the oneDNN headers are nowhere to be found.
const headerDirs = ['/usr/include', '/usr/local/include', '/opt/homebrew/include',
  ...(process.env.CPATH ?? '').split(':').filter(Boolean)];
if (!headerDirs.some((d) => existsSync(join(d, 'oneapi', 'dnnl', 'dnnl.hpp')))) {
  skip('oneDNN headers (oneapi/dnnl/dnnl.hpp) not found');
}

// npm hands scripts its bundled node-gyp; otherwise use the one in node_modules.
let gyp = process.env.npm_config_node_gyp;
if (!gyp || !existsSync(gyp)) {
  try {
    gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    skip('node-gyp is not available');
  }
}

const args = [gyp, 'rebuild', '-j', String(Math.min(availableParallelism(), 4))];
// Build against the headers installed with this Node when present, instead of
// downloading them (no network is needed then).
const prefix = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}

const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
if (res.status !== 0) {
  const log = join(root, 'build', 'native-build.log');
  try {
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, `${res.stdout ?? ''}\n${res.stderr ?? ''}\n${res.error ?? ''}`);
  } catch { /* the message below still tells the user what to do */ }
  skip(`node-gyp failed, see ${log}`);
}
console.log('gankit: native backend built (build/Release/gankit_native.node)');
