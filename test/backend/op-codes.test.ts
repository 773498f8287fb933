// The op codes TypeScript passes to the native addon are the C++ enums in
// native/src: those are the source, and this test reads their text (it needs
// no built addon) and checks every TS table against its enum, name by name and
// number by number. Names: C++ "k" + the TS name, with "Op" appended where the
// plain name is taken (kSigmoidOp); Activation's TS keys are tfjs's lower-case
// activation names, so that table compares names ignoring case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UnaryOp } from '../../src/backend/kernels/unary_ops.js';
import { BinaryOp } from '../../src/backend/kernels/binary_ops.js';
import { ReduceOp } from '../../src/backend/kernels/reduce_ops.js';
import { ActivationCode } from '../../src/backend/kernels/activation.js';
import { ActivationGradOp } from '../../src/backend/kernels/GankitActivationGrad.js';

// dist/test/backend/ → the package root.
const nativeSrc = fileURLToPath(new URL('../../../native/src/', import.meta.url));

interface CppEnum {
  name: string;
  file: string;
  /** enumerator → value, in declaration order */
  values: Map<string, number>;
}

/** Every `enum [class] Name [: type] { … }` in one C++ source text. */
export function parseEnums(text: string, file: string): CppEnum[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const enums: CppEnum[] = [];
  for (const m of code.matchAll(/\benum\s+(?:class\s+|struct\s+)?(\w+)\s*(?::\s*[\w:]+\s*)?\{([^}]*)\}/g)) {
    const values = new Map<string, number>();
    let next = 0;
    for (const item of m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const e = /^(\w+)\s*(?:=\s*(.+))?$/.exec(item);
      if (!e) throw new Error(`Expected an enumerator in enum ${m[1]} (${file}) but received "${item}"`);
      if (e[2] !== undefined) {
        const expr = e[2].trim();
        const v = /^(0x[0-9a-f]+|\d+)$/i.test(expr) ? Number(expr) : values.get(expr);
        if (v === undefined) {
          throw new Error(
            `Expected an integer or an earlier enumerator for ${e[1]} in enum ${m[1]} (${file}) ` +
              `but received "${expr}"; teach op-codes.test.ts to read it`,
          );
        }
        next = v;
      }
      values.set(e[1], next++);
    }
    enums.push({ name: m[1], file, values });
  }
  return enums;
}

function nativeEnums(): Map<string, CppEnum> {
  const all = new Map<string, CppEnum>();
  for (const f of readdirSync(nativeSrc)
    .filter((n) => /\.(cc|h)$/.test(n))
    .sort()) {
    for (const e of parseEnums(readFileSync(nativeSrc + f, 'utf8'), `native/src/${f}`)) {
      const seen = all.get(e.name);
      if (seen) throw new Error(`Expected one enum ${e.name} in native/src but found it in ${seen.file} and ${e.file}`);
      all.set(e.name, e);
    }
  }
  return all;
}

interface Pairing {
  /** the C++ enum */
  cpp: string;
  /** how the TS table is named in messages */
  ts: string;
  table: Readonly<Record<string, number>>;
  ignoreCase?: boolean;
}

/** Every enum shared with TypeScript, and the table that must match it. */
const SHARED: Pairing[] = [
  { cpp: 'UnaryOp', ts: 'UnaryOp (src/backend/kernels/unary_ops.ts)', table: UnaryOp },
  { cpp: 'BinaryOp', ts: 'BinaryOp (src/backend/kernels/binary_ops.ts)', table: BinaryOp },
  { cpp: 'ReduceOp', ts: 'ReduceOp (src/backend/kernels/reduce_ops.ts)', table: ReduceOp },
  {
    cpp: 'Activation',
    ts: 'ActivationCode (src/backend/kernels/activation.ts)',
    table: ActivationCode,
    ignoreCase: true,
  },
  {
    cpp: 'ActivationGradOp',
    ts: 'ActivationGradOp (src/backend/kernels/GankitActivationGrad.ts)',
    table: ActivationGradOp,
  },
];

/** Enums that never cross to TypeScript, and why. */
const NATIVE_ONLY: Record<string, string> = {
  Kind: 'conv.cc: which convolution direction a primitive-cache key is for',
  Flow: 'common.h: whether a Primitive reads or writes its weights',
};

/**
 * Every disagreement between a C++ enum and a TS table, one sentence each.
 * kNum* enumerators are counts (the addon's range check), not codes: each must
 * equal the number of codes.
 */
export function compare(e: CppEnum, p: Pairing): string[] {
  const problems: string[] = [];
  const norm = (s: string) => (p.ignoreCase ? s.toLowerCase() : s);
  const codes = new Map<string, [string, number]>(); // TS-style name → [C++ name, value]
  for (const [name, v] of e.values) {
    if (name.startsWith('kNum')) continue;
    const plain = name.replace(/^k/, '');
    const key = norm(plain.endsWith('Op') && plain !== 'Op' ? plain.slice(0, -2) : plain);
    const twin = codes.get(key);
    if (twin) problems.push(`enum ${e.name} (${e.file}) has both ${twin[0]} and ${name} for one TS name`);
    codes.set(key, [name, v]);
  }
  for (const [name, v] of e.values) {
    if (name.startsWith('kNum') && v !== codes.size) {
      problems.push(`${name} = ${v} in enum ${e.name} (${e.file}) but the enum has ${codes.size} codes`);
    }
  }
  const inTs = new Set<string>();
  for (const [key, v] of Object.entries(p.table)) {
    inTs.add(norm(key));
    const c = codes.get(norm(key));
    if (!c) problems.push(`${p.ts} has ${key} = ${v} but enum ${e.name} (${e.file}) has no k${key}`);
    else if (c[1] !== v) {
      problems.push(`${p.ts} has ${key} = ${v} but enum ${e.name} (${e.file}) has ${c[0]} = ${c[1]}`);
    }
  }
  for (const [n, [name, v]] of codes) {
    if (!inTs.has(n)) problems.push(`enum ${e.name} (${e.file}) has ${name} = ${v} but ${p.ts} has no such name`);
  }
  const byValue = new Map<number, string>();
  for (const [key, v] of Object.entries(p.table)) {
    const other = byValue.get(v);
    if (other !== undefined) problems.push(`${p.ts} gives ${other} and ${key} the same code ${v}`);
    byValue.set(v, key);
  }
  return problems;
}

test('every enum in native/src is paired with a TS table or marked native-only', () => {
  const unpaired = [...nativeEnums().values()]
    .filter((e) => !SHARED.some((p) => p.cpp === e.name) && !(e.name in NATIVE_ONLY))
    .map((e) => `enum ${e.name} (${e.file}) is in neither SHARED nor NATIVE_ONLY of op-codes.test.ts`);
  assert.deepEqual(unpaired, []);
});

for (const p of SHARED) {
  test(`${p.ts} matches enum ${p.cpp} in native/src`, () => {
    const e = nativeEnums().get(p.cpp);
    assert.ok(e, `Expected an enum ${p.cpp} in native/src (the source of ${p.ts}) but found none`);
    const problems = compare(e, p);
    if (problems.length > 0) assert.fail(`op codes disagree:\n  ${problems.join('\n  ')}`);
  });
}

test('the checker itself reports swapped codes, missing and extra names, and a wrong count', () => {
  const [e] = parseEnums(
    `// codes
    enum FooOp : int { kA = 0, kB, /* two */ kCOp, kD = 7, kE = kD, kNumFoo };`,
    'foo.cc',
  );
  assert.deepEqual(
    [...e.values],
    [
      ['kA', 0],
      ['kB', 1],
      ['kCOp', 2],
      ['kD', 7],
      ['kE', 7],
      ['kNumFoo', 8],
    ],
  );
  const ok = compare(parseEnums('enum F : int { kA = 0, kBOp, kNumF };', 'f.cc')[0], {
    cpp: 'F',
    ts: 'F',
    table: { A: 0, B: 1 },
  });
  assert.deepEqual(ok, []);
  const problems = compare(parseEnums('enum F : int { kA = 0, kB, kC, kNumF };', 'f.cc')[0], {
    cpp: 'F',
    ts: 'F (f.ts)',
    table: { A: 1, B: 0, D: 2 },
  });
  assert.deepEqual(problems, [
    'F (f.ts) has A = 1 but enum F (f.cc) has kA = 0',
    'F (f.ts) has B = 0 but enum F (f.cc) has kB = 1',
    'F (f.ts) has D = 2 but enum F (f.cc) has no kD',
    'enum F (f.cc) has kC = 2 but F (f.ts) has no such name',
  ]);
  assert.deepEqual(
    compare(parseEnums('enum G : int { kA = 0, kNumG = 3 };', 'g.cc')[0], { cpp: 'G', ts: 'G', table: { A: 0 } }),
    ['kNumG = 3 in enum G (g.cc) but the enum has 1 codes'],
  );
});
