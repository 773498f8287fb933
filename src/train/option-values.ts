// The kinds of value an option takes. Each kind checks a value from the library or
// options.json (`accepts`) and parses one from the command line (`parse`), so the CLI
// and the library refuse the same values with the same words.

import { didYouMean } from '../suggest.js';

export interface ValueType<T = unknown> {
  /** What a valid value is, as errors say it: "a positive integer". */
  expected: string;
  /** The same for a command-line flag, where it reads better differently ("a number ≥ 0"). */
  flagExpected: string;
  /** Whether a value (from the library or options.json) is valid. */
  accepts(value: unknown): boolean;
  /** Text from the command line to a value; throws "Expected … but received "text"." */
  parse(text: string): T;
  /** The valid values, when they are a list of names. */
  choices?: readonly string[];
  /** Names a typo is checked against for "did you mean" (src/suggest.ts); the choices when absent. */
  names?: readonly string[];
}

function kind<T>(
  expected: string,
  accepts: (v: unknown) => boolean,
  read: (text: string) => T | undefined,
  flagExpected = expected,
) {
  const type: ValueType<T> = {
    expected,
    flagExpected,
    accepts,
    parse(text) {
      const value = read(text.trim());
      if (value === undefined || !accepts(value)) throw new Error(`Expected ${flagExpected} but received "${text}".`);
      return value;
    },
  };
  return type;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const readInt = (text: string) => (/^-?\d+$/.test(text) ? Number(text) : undefined);
const readNumber = (text: string) => (text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));

export const integer = kind('an integer', isInt, readInt);
export const positiveInt = kind('a positive integer', (v) => isInt(v) && v >= 1, readInt);
export const nonNegativeInt = kind(
  'a non-negative integer',
  (v) => isInt(v) && v >= 0,
  readInt,
  'a non-negative integer (0 = off)',
);
export const atLeast = (min: number) => kind(`an integer ≥ ${min}`, (v) => isInt(v) && v >= min, readInt);
export const anyNumber = kind('a number', (v) => typeof v === 'number' && Number.isFinite(v), readNumber);

/** A finite number in an interval; `open` excludes that end. Flags say "a positive number", "a number ≥ 0". */
export function numberIn(lo: number, hi: number, open: { lo?: boolean; hi?: boolean } = {}): ValueType<number> {
  const accepts = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  const interval = `a number in ${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
  const flag = hi !== Infinity ? interval : open.lo ? `a number > ${lo}` : `a number ≥ ${lo}`;
  return kind(interval, accepts, readNumber, flag === 'a number > 0' ? 'a positive number' : flag);
}
export const nonNegativeNumber = numberIn(0, Infinity);
export const positiveNumber = numberIn(0, Infinity, { lo: true });
/** [0, 1): decays, β's, ratios. */
export const fraction = numberIn(0, 1, { hi: true });
/** [0, 1]. */
export const unitInterval = numberIn(0, 1);
/** 0 (off) or a number ≥ `min`: a period with a floor, such as --live-every's seconds. */
export const offOrAtLeast = (min: number) =>
  kind(
    `0 (off) or a number ≥ ${min}`,
    (v) => typeof v === 'number' && Number.isFinite(v) && (v === 0 || v >= min),
    readNumber,
  );

export function oneOf<T extends string>(values: readonly T[]): ValueType<T> {
  const type = kind(
    `one of ${values.join(', ')}`,
    (v) => values.includes(v as T),
    (text) => text as T,
  );
  const parse = (text: string) => {
    if (values.includes(text.trim() as T)) return text.trim() as T;
    throw new Error(`Expected ${type.flagExpected} but received "${text}".${didYouMean(text.trim(), values)}`);
  };
  return { ...type, parse, choices: values };
}

/** " Did you mean …?" for a value of this type, when it is a near miss of one of its names. */
export function suggestFor(type: ValueType, value: unknown): string {
  const names = type.names ?? type.choices;
  return names ? didYouMean(value, names) : '';
}

export const intList = kind(
  'a non-empty list of positive integers',
  (v) => Array.isArray(v) && v.length > 0 && v.every((u) => isInt(u) && u > 0),
  (text) => text.split(',').map((p) => (/^\s*\d+\s*$/.test(p) ? Number(p) : NaN)),
  'a comma-separated list of positive integers such as 128,128,128',
);

/** A list of names from `names` (the CLI takes them comma-separated). */
export function namesFrom(names: readonly string[]): ValueType<string[]> {
  return kind(
    `a list of ${names.join(', ')}`,
    (v) => Array.isArray(v) && v.every((n) => names.includes(n)),
    (text) =>
      text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    `a comma-separated list from ${names.join(', ')}`,
  );
}

export const nonEmptyText = kind(
  'a non-empty string',
  (v) => typeof v === 'string' && v.length > 0,
  (text) => text,
);
