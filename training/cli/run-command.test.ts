/**
 * How a command line ends, as a user sees it: child processes running a one-line command through runCommand.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { USER_ERROR_EXIT_CODE } from "./run-command.ts";

const RUN_COMMAND = fileURLToPath(new URL("./run-command.ts", import.meta.url));
const USER_ERROR = fileURLToPath(new URL("./user-error.ts", import.meta.url));
const NUMBERS = fileURLToPath(new URL("./numbers.ts", import.meta.url));

/** Runs `body` (the main of a command called "demo") in a fresh node, with `args` on its command line. */
function demo(body: string, args: string[] = []) {
  const program = `
    const { commandLine, runCommand } = await import(${JSON.stringify(RUN_COMMAND)});
    const { UserError } = await import(${JSON.stringify(USER_ERROR)});
    const { positiveInteger } = await import(${JSON.stringify(NUMBERS)});
    runCommand("demo", async () => { ${body} });`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", program, "--", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("runCommand", () => {
  it("prints a user error as one line and exits with 2", () => {
    const run = demo(`throw new UserError("No quiz pool in /nowhere: run npm run data:prepare");`);
    expect(run.status).toBe(USER_ERROR_EXIT_CODE);
    expect(run.stderr).toBe("demo: No quiz pool in /nowhere: run npm run data:prepare\n");
  });

  it("exits with 2 on a bad option, after commander's own message", () => {
    const parse = `commandLine("demo").option("--steps <n>", "steps", positiveInteger, 1).parse();`;
    const run = demo(parse, ["--steps", "many"]);
    expect(run.status).toBe(USER_ERROR_EXIT_CODE);
    expect(run.stderr).toMatch(
      /^error: option '--steps <n>' argument 'many' is invalid\. expected a whole number ≥ 1\n$/,
    );
  });

  it("keeps the stack of anything else and exits with 1", () => {
    const run = demo(`throw new TypeError("cannot read the weights");`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^TypeError: cannot read the weights\n\s+at /);
  });
});
