// The generic mutations the fuzzer applies to a file of any format: byte damage of every
// kind a disk, a download or a careless edit produces, and, for JSON files, values of the
// wrong type. Each is deterministic given the Rng, so a case replays from its seed alone.
import { promises as fs } from 'node:fs';
import type { Rng } from '../src/rng.js';

export interface Mutation {
  name: string;
  /** Whether the mutation makes sense for this file (default: every file). */
  appliesTo?(file: string): boolean;
  apply(file: string, rng: Rng): Promise<void>;
}

/** How many leading bytes count as "the header" for header-aimed damage. */
const HEADER_SPAN = 128;

async function edit(file: string, change: (bytes: Buffer) => Buffer): Promise<void> {
  await fs.writeFile(file, change(await fs.readFile(file)));
}

function randomBytes(rng: Rng, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** A position, half the time in the header, otherwise anywhere. */
function position(rng: Rng, length: number): number {
  const span = rng.uniform() < 0.5 ? Math.min(length, HEADER_SPAN) : length;
  return rng.int(Math.max(1, span));
}

export const BYTE_MUTATIONS: Mutation[] = [
  {
    name: 'truncate',
    apply: (file, rng) => edit(file, (b) => b.subarray(0, rng.int(Math.max(1, b.length)))),
  },
  {
    name: 'flip bytes',
    apply: (file, rng) =>
      edit(file, (b) => {
        if (b.length === 0) return b;
        const out = Buffer.from(b);
        for (let k = 1 + rng.int(8); k > 0; k--) out[position(rng, out.length)] ^= 1 + rng.int(255);
        return out;
      }),
  },
  {
    name: 'extreme byte',
    apply: (file, rng) =>
      edit(file, (b) => {
        if (b.length === 0) return b;
        const out = Buffer.from(b);
        const at = position(rng, out.length);
        out.fill(rng.uniform() < 0.5 ? 0xff : 0x00, at, Math.min(out.length, at + 1 + rng.int(4)));
        return out;
      }),
  },
  { name: 'empty file', apply: (file) => fs.writeFile(file, Buffer.alloc(0)) },
  {
    name: 'append garbage',
    apply: (file, rng) => edit(file, (b) => Buffer.concat([b, randomBytes(rng, 1 + rng.int(4096))])),
  },
  {
    name: 'duplicate header bytes',
    apply: (file, rng) =>
      edit(file, (b) => {
        const at = rng.int(Math.max(1, Math.min(b.length, HEADER_SPAN)));
        const run = b.subarray(at, at + 1 + rng.int(8));
        return Buffer.concat([b.subarray(0, at), run, b.subarray(at)]);
      }),
  },
  {
    name: 'delete header bytes',
    apply: (file, rng) =>
      edit(file, (b) => {
        const at = rng.int(Math.max(1, Math.min(b.length, HEADER_SPAN)));
        return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(8))]);
      }),
  },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replacements of a wrong type or an absurd size for any JSON value. */
const WRONG_VALUES: { name: string; value: () => Json }[] = [
  { name: 'null', value: () => null },
  { name: 'array', value: () => [] },
  { name: 'object', value: () => ({}) },
  { name: 'string', value: () => '12' },
  { name: 'boolean', value: () => true },
  { name: 'negative number', value: () => -1 },
  { name: 'fraction', value: () => 0.5 },
  { name: 'huge number', value: () => 1e308 },
  { name: 'unsafe integer', value: () => HUGE },
];

/** Stands for 9007199254740993, which a JS number cannot hold exactly: substituted in the text. */
const HUGE = '\u0000unsafe integer\u0000';

function isJsonFile(file: string): boolean {
  return /\.jsonl?$/i.test(file);
}

/** Every place in a JSON value: [] is the root. */
function placesIn(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const places = [at];
  if (Array.isArray(value)) value.forEach((v, i) => places.push(...placesIn(v, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) places.push(...placesIn(v, [...at, k]));
  return places;
}

/** Changes one parsed JSON document; returns its new text. */
function mutateJson(text: string, rng: Rng, kind: 'replace' | 'delete key'): string {
  const doc = JSON.parse(text) as Json;
  const places = placesIn(doc);
  if (kind === 'delete key') {
    const keyed = places.filter((p) => typeof p.at(-1) === 'string');
    if (keyed.length > 0) {
      const place = keyed[rng.int(keyed.length)];
      const parent = place.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k], doc);
      delete (parent as Record<string, Json>)[place.at(-1) as string];
      return JSON.stringify(doc);
    }
  }
  const place = places[rng.int(places.length)];
  const current = JSON.stringify(place.reduce<Json>((v, k) => (v as Record<string, Json>)[k], doc));
  // A replacement equal to the value there (true for true) would change nothing: take the next one.
  let pick = rng.int(WRONG_VALUES.length);
  if (JSON.stringify(WRONG_VALUES[pick].value()) === current) pick = (pick + 1) % WRONG_VALUES.length;
  const replacement = WRONG_VALUES[pick].value();
  let out: Json = doc;
  if (place.length === 0) out = replacement;
  else {
    const parent = place.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k], doc);
    (parent as Record<string | number, Json>)[place.at(-1)!] = replacement;
  }
  return JSON.stringify(out).replace(JSON.stringify(HUGE), '9007199254740993');
}

/** A JSON file, or one line of a JSON Lines file, changed with `kind`; text that does not parse is left as is. */
function jsonMutation(name: string, kind: 'replace' | 'delete key'): Mutation {
  return {
    name,
    appliesTo: isJsonFile,
    async apply(file, rng) {
      const text = await fs.readFile(file, 'utf8');
      if (/\.jsonl$/i.test(file)) {
        const lines = text.split('\n');
        const parsed = lines.map((l, i) => i).filter((i) => lines[i].trim() !== '' && parses(lines[i]));
        if (parsed.length === 0) return;
        const i = parsed[rng.int(parsed.length)];
        lines[i] = mutateJson(lines[i], rng, kind);
        await fs.writeFile(file, lines.join('\n'));
      } else if (parses(text)) {
        await fs.writeFile(file, mutateJson(text, rng, kind));
      }
    },
  };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const JSON_MUTATIONS: Mutation[] = [
  jsonMutation('json wrong value', 'replace'),
  jsonMutation('json wrong value', 'replace'), // twice: the commonest damage, drawn as often as a byte mutation pair
  jsonMutation('json missing key', 'delete key'),
];

export const GENERIC_MUTATIONS: Mutation[] = [...BYTE_MUTATIONS, ...JSON_MUTATIONS];
