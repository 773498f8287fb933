// The shape of src/'s imports: no cycle between files, no cycle between top-level
// folders, and arrows that only point down the layers below. Reads the .ts sources
// (not dist/), so it checks what is written, type-only imports included.
//
// Layers, by a file's top-level entry under src/ (a folder, or a file at src/'s root):
//   0  rng.ts, suggest.ts, io, backend                       (foundations)
//   1  data, games, networks, metrics, plots, generate        (pieces)
//   2  run                                                   (a run directory)
//   3  train
//   4  sampling, export, dash                                (using trained runs; dash: the dashboard's server)
//   5  cli, index.ts                                         (entry points)
// A file may import from its own layer or lower ones. A new top-level entry fails until
// it is placed here deliberately.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root: this file is compiled to dist/test/architecture/imports.test.js. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = path.join(REPO, 'src');

const LAYERS: Record<string, number> = {
  'rng.ts': 0,
  'suggest.ts': 0,
  io: 0,
  backend: 0,
  data: 1,
  games: 1,
  networks: 1,
  metrics: 1,
  plots: 1,
  generate: 1,
  run: 2,
  train: 3,
  sampling: 4,
  export: 4,
  dash: 4,
  cli: 5,
  'index.ts': 5,
};

type Graph = Map<string, Set<string>>;

/** The module specifiers of a file's `import … from`, `import type … from`, `export … from` and `import '…'`. */
export function specifiers(source: string, fileName = 'x.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      found.push(statement.moduleSpecifier.text);
    }
  }
  return found;
}

/** Every .ts file under `dir` (no .d.ts), as paths relative to `root`, '/'-separated. */
function sources(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full, root);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

/** './x.js' from src/a/b.ts → 'a/x.ts' (also './x' → x.ts or x/index.ts); undefined when there is no such file. */
function resolve(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(path.join(SRC, from)), specifier);
  const candidates = specifier.endsWith('.js')
    ? [base.slice(0, -3) + '.ts', base.slice(0, -3) + '.tsx']
    : [base + '.ts', path.join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit && path.relative(SRC, hit).split(path.sep).join('/');
}

/** src/'s file graph (relative imports only) and the imports that name no file. */
function fileGraph(): { graph: Graph; unresolved: string[] } {
  const graph: Graph = new Map();
  const unresolved: string[] = [];
  for (const file of sources(SRC)) {
    const targets = new Set<string>();
    for (const spec of specifiers(readFileSync(path.join(SRC, file), 'utf8'), file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(file, spec);
      if (target) targets.add(target);
      else unresolved.push(`src/${file} imports '${spec}', which is no file under src/`);
    }
    graph.set(file, targets);
  }
  return { graph, unresolved };
}

/** The top-level entry of src/ a file belongs to: its first folder, or the file itself at src/'s root. */
const top = (file: string) => file.split('/')[0];

function folderGraph(files: Graph): Graph {
  const graph: Graph = new Map();
  for (const [from, targets] of files) {
    if (!graph.has(top(from))) graph.set(top(from), new Set());
    for (const to of targets) if (top(to) !== top(from)) graph.get(top(from))!.add(top(to));
  }
  return graph;
}

/**
 * Cycles that together pass through every node that is on one: Tarjan's strongly
 * connected components, then within each, from its first node not yet on a reported
 * cycle, the shortest way back to it. Each is written as its nodes with the first
 * repeated at the end: [a, b, c, a].
 */
export function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((s) => [...s])])].sort();
  const edges = (n: string) => [...(graph.get(n) ?? [])].sort();
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) connect(n);

  const cycles: string[][] = [];
  for (const component of components) {
    const inside = new Set(component);
    if (component.length === 1 && !edges(component[0]).includes(component[0])) continue;
    const covered = new Set<string>();
    for (const start of component) {
      if (covered.has(start)) continue;
      const cycle = shortestCycle(start, inside, edges);
      for (const n of cycle) covered.add(n);
      cycles.push(cycle);
    }
  }
  return cycles;
}

/** The shortest cycle from `start` back to it within `inside` (breadth-first). */
function shortestCycle(start: string, inside: Set<string>, edges: (n: string) => string[]): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length && !previous.has(start); i++) {
    const v = queue[i];
    for (const w of edges(v)) {
      if (!inside.has(w) || previous.has(w)) continue;
      previous.set(w, v);
      if (w === start) break;
      queue.push(w);
    }
  }
  const cycle = [start];
  for (let v = previous.get(start)!; v !== start; v = previous.get(v)!) cycle.unshift(v);
  cycle.unshift(start);
  return cycle;
}

const describe = (cycles: string[][], name: (n: string) => string) =>
  cycles.map((c) => `  ${c.map(name).join(' → ')}`).join('\n');

test('the checks check: the import reader finds every form and the cycle finder finds a planted cycle', () => {
  const source = `
    import { a } from './a.js';
    import type { B } from '../b.js';
    import * as c from './c/index.js';
    import d, {
      e,
      type F,
    } from './d.js';
    import './side-effect.js';
    export { g } from './g.js';
    export type { H } from './h.js';
    export * from './i.js';
    import fs from 'node:fs';
    // import { no } from './comment.js';
    const s = "import { no } from './string.js'";
  `;
  assert.deepEqual(specifiers(source), [
    './a.js',
    '../b.js',
    './c/index.js',
    './d.js',
    './side-effect.js',
    './g.js',
    './h.js',
    './i.js',
    'node:fs',
  ]);

  const graph = (edges: [string, string][]): Graph => {
    const g: Graph = new Map();
    for (const [from, to] of edges) (g.get(from) ?? g.set(from, new Set()).get(from)!).add(to);
    return g;
  };
  assert.deepEqual(
    findCycles(
      graph([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
      ]),
    ),
    [],
  );
  assert.deepEqual(
    findCycles(
      graph([
        ['x', 'a'],
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
      ]),
    ),
    [['a', 'b', 'c', 'a']],
  );
  assert.deepEqual(findCycles(graph([['a', 'a']])), [['a', 'a']]);
  // Two components, and the shortest way round within a larger one.
  const two = findCycles(
    graph([
      ['p', 'q'],
      ['q', 'p'],
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['b', 'a'],
    ]),
  );
  assert.deepEqual(two.map((c) => c.join(' → ')).sort(), ['a → b → a', 'c → a → b → c', 'p → q → p']);
  // Every reported cycle is made of real edges.
  const g = graph([
    ['m', 'n'],
    ['n', 'o'],
    ['o', 'p'],
    ['p', 'm'],
    ['o', 'm'],
  ]);
  for (const c of findCycles(g))
    for (let i = 0; i + 1 < c.length; i++) assert.ok(g.get(c[i])!.has(c[i + 1]), `${c[i]} → ${c[i + 1]} is no edge`);
});

test('src/ is read: every relative import names a file, and there are imports to check', () => {
  const { graph, unresolved } = fileGraph();
  assert.deepEqual(unresolved, []);
  const edges = [...graph.values()].reduce((n, s) => n + s.size, 0);
  assert.ok(graph.size > 50 && edges > 100, `only ${graph.size} files and ${edges} imports found under ${SRC}`);
});

test('no import cycle between files of src/', () => {
  const cycles = findCycles(fileGraph().graph);
  assert.equal(
    cycles.length,
    0,
    `Expected no import cycles but found ${cycles.length}:\n${describe(cycles, (f) => `src/${f}`)}`,
  );
});

test('no cycle between the top-level folders of src/', () => {
  const cycles = findCycles(folderGraph(fileGraph().graph));
  assert.equal(
    cycles.length,
    0,
    `Expected no cycles between src/'s top-level folders but found ${cycles.length}:\n${describe(cycles, (f) => `src/${f}`)}`,
  );
});

test('every import points to the same layer or a lower one', () => {
  const { graph } = fileGraph();
  const unplaced = [...new Set([...graph.keys()].map(top))].filter((entry) => !(entry in LAYERS)).sort();
  const upward: string[] = [];
  for (const [from, targets] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    for (const to of [...targets].sort()) {
      const [r, s] = [LAYERS[top(from)], LAYERS[top(to)]];
      if (r !== undefined && s !== undefined && s > r)
        upward.push(`  src/${from} (${top(from)}, layer ${r}) → src/${to} (${top(to)}, layer ${s})`);
    }
  }
  const problems: string[] = [];
  if (unplaced.length)
    problems.push(
      `top-level entries of src/ in no layer (add them to LAYERS in this test): ${unplaced.map((e) => `src/${e}`).join(', ')}`,
    );
  if (upward.length)
    problems.push(
      `${upward.length} import${upward.length === 1 ? '' : 's'} from a lower layer to a higher one:\n${upward.join('\n')}`,
    );
  assert.equal(problems.length, 0, `Expected every import to point down the layers but found\n${problems.join('\n')}`);
});
