/**
 * The numbers a command line takes, parsed one way for every command: commander parsers that return the
 * number or say what they expected (commander then prints `error: option '--steps <n>' argument 'many' is
 * invalid. expected a whole number ≥ 0`, and runCommand exits with code 2).
 */
import { InvalidArgumentError } from "commander";

export type NumberParser = (value: string) => number;

/** A finite number ≥ min. */
export function numberAtLeast(min: number): NumberParser {
  return (value) => {
    const number = parseNumber(value);
    if (!(number >= min)) throw new InvalidArgumentError(`expected a number ≥ ${min}`);
    return number;
  };
}

/** A whole number ≥ min. */
export function integerAtLeast(min: number): NumberParser {
  return (value) => {
    const number = parseNumber(value);
    if (!(Number.isInteger(number) && number >= min))
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return number;
  };
}

export const nonNegativeNumber = numberAtLeast(0);
export const nonNegativeInteger = integerAtLeast(0);
export const positiveInteger = integerAtLeast(1);

/** A share of a whole: a number in (0, 1]. */
export function share(value: string): number {
  const number = parseNumber(value);
  if (!(number > 0 && number <= 1)) throw new InvalidArgumentError("expected a number in (0, 1]");
  return number;
}

/** Several numbers, comma-separated ("32,64"), each read by `parse`. */
export function listOf(parse: NumberParser): (value: string) => number[] {
  return (value) => value.split(",").map(parse);
}

/** Shares, comma-separated: "0.1,0.5". */
export const shares = listOf(share);

/** A noise truncation: a positive number, or "none" (null) for plain normal noise. */
export function truncationOrNone(value: string): number | null {
  if (value === "none") return null;
  const number = parseNumber(value);
  if (!(number > 0)) throw new InvalidArgumentError('expected a positive number or "none"');
  return number;
}

/** Number(value), but NaN for what is no number at all: Number("") and Number(" ") are 0. */
function parseNumber(value: string): number {
  const number = value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : Number.NaN;
}
