import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import {
  integerAtLeast,
  listOf,
  nonNegativeNumber,
  positiveInteger,
  share,
  shares,
  truncationOrNone,
} from "./numbers.ts";

describe("the command lines' numbers", () => {
  it("reads what each option allows", () => {
    expect(positiveInteger("64")).toBe(64);
    expect(integerAtLeast(0)("0")).toBe(0);
    expect(nonNegativeNumber("2e-4")).toBe(2e-4);
    expect(share("1")).toBe(1);
    expect(shares("0.1,0.5")).toEqual([0.1, 0.5]);
    expect(listOf(positiveInteger)("32,64")).toEqual([32, 64]);
    expect(truncationOrNone("none")).toBeNull();
    expect(truncationOrNone("0.7")).toBe(0.7);
  });

  it("says what it expected, in commander's terms, for anything else", () => {
    for (const [parse, value, expected] of [
      [positiveInteger, "0", "expected a whole number ≥ 1"],
      [positiveInteger, "2.5", "expected a whole number ≥ 1"],
      [positiveInteger, "wide", "expected a whole number ≥ 1"],
      [integerAtLeast(16), "8", "expected a whole number ≥ 16"],
      [nonNegativeNumber, "-1", "expected a number ≥ 0"],
      [nonNegativeNumber, "", "expected a number ≥ 0"],
      [nonNegativeNumber, "Infinity", "expected a number ≥ 0"],
      [share, "0", "expected a number in (0, 1]"],
      [truncationOrNone, "0", 'expected a positive number or "none"'],
    ] as const) {
      const attempt = () => (parse as (value: string) => unknown)(value);
      expect(attempt, `${value}`).toThrow(InvalidArgumentError);
      expect(attempt, `${value}`).toThrow(expected);
    }
  });
});
