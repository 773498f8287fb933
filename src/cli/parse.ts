// Value parsers for command-line options: each turns text into a typed value or
// throws commander's InvalidArgumentError saying what was expected and what arrived.
import { InvalidArgumentError } from 'commander';

const expected = (what: string, text: string) => new InvalidArgumentError(`Expected ${what} but received "${text}".`);

export function positiveInt(text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(v) || v < 1) throw expected('a positive integer', text);
  return v;
}

export function nonNegativeInt(text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(v)) throw expected('a non-negative integer (0 = off)', text);
  return v;
}

export function integer(text: string): number {
  const v = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(v)) throw expected('an integer', text);
  return v;
}

export function number(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw expected('a number', text);
  return v;
}

export function fraction(text: string): number {
  const v = number(text);
  if (v < 0 || v >= 1) throw expected('a number in [0, 1)', text);
  return v;
}

export function unitInterval(text: string): number {
  const v = number(text);
  if (v < 0 || v > 1) throw expected('a number in [0, 1]', text);
  return v;
}

export function nonNegativeNumber(text: string): number {
  const v = number(text);
  if (v < 0) throw expected('a number ≥ 0', text);
  return v;
}

export function positiveNumber(text: string): number {
  const v = number(text);
  if (v <= 0) throw expected('a positive number', text);
  return v;
}

export function intList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw expected('a comma-separated list of positive integers such as 128,128,128', text);
  }
  return parts.map(Number);
}

/** A comma-separated list of names, e.g. fid10k,kid (checked against the known names later, with them in the message). */
export function nameList(text: string): string[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw expected('a comma-separated list of names such as fid10k,kid', text);
  return parts;
}
