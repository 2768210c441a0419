/** Number options shared by the curation commands (commander parsers that say what they expected). */
import { InvalidArgumentError } from "commander";

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("expected a positive integer");
  return number;
}

export function share(value: string): number {
  const number = Number(value);
  if (!(number > 0 && number <= 1)) throw new InvalidArgumentError("expected a number in (0, 1]");
  return number;
}

export function shares(value: string): number[] {
  const numbers = value.split(",").map(share);
  return numbers;
}
