// Value parsers for command-line options: the option kinds of src/train/option-values.ts
// as commander parsers, which report a bad value as commander's InvalidArgumentError
// (what was expected and what arrived).
import { InvalidArgumentError } from 'commander';
import * as v from '../train/option-values.js';

/** A commander argument parser for one kind of value. */
export function flagParser<T>(type: v.ValueType<T>): (text: string) => T {
  return (text) => {
    try {
      return type.parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

export const positiveInt = flagParser(v.positiveInt);
export const nonNegativeInt = flagParser(v.nonNegativeInt);
export const integer = flagParser(v.integer);
export const number = flagParser(v.anyNumber);
export const fraction = flagParser(v.fraction);
