/**
 * How every command line ends, so they all behave alike:
 * - it finishes: exit code 0;
 * - a UserError (something the user can fix), or a mistake commander found in the arguments: one line on
 *   stderr, `<command>: <message>` (commander writes its own `error: …` line), and exit code 2,
 *   USER_ERROR_EXIT_CODE, the convention of argparse and the shell's builtins for "you asked for something
 *   that cannot be done";
 * - anything else is a bug or an accident: the error with its stack trace, and exit code 1.
 *
 *   if (isEntryPoint(import.meta.url)) runCommand("train", () => train(parseCommandLine()));
 */
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { UserError } from "./user-error.ts";

export const USER_ERROR_EXIT_CODE = 2;

/**
 * A commander program whose argument errors come back to runCommand (exit code 2) instead of ending the
 * process on the spot with commander's own code 1. Its subcommands inherit that.
 */
export function commandLine(name: string): Command {
  return new Command(name).exitOverride();
}

/** True when the module (its import.meta.url) is the script node was started with, not one imported by a test. */
export function isEntryPoint(moduleUrl: string): boolean {
  return moduleUrl === pathToFileURL(process.argv[1] ?? "").href;
}

/** Runs a command line's main and ends the process as above when it fails. */
export function runCommand(name: string, main: () => unknown): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      // Help and --version come this way too, with exit code 0; commander has printed what it had to say.
      if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USER_ERROR_EXIT_CODE);
      if (error instanceof UserError) {
        console.error(`${name}: ${error.message}`);
        process.exit(USER_ERROR_EXIT_CODE);
      }
      console.error(error);
      process.exit(1);
    });
}
