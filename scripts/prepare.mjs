#!/usr/bin/env node
// npm's "prepare" step: compiles the TypeScript (npm run build). Skipped under npx
// (npm_command "exec") once dist/ exists: `npx gankit` in this folder links the package
// into npx's cache and runs its install steps again on the first call of each folder,
// which cost ~40 s of silence and rebuilt dist/ under a running command. The build that
// `npm install` made is the one to use.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.npm_command === 'exec' && existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) process.exit(0);
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
