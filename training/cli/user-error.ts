/**
 * A problem the user can fix: a missing folder, a bad image, a version the registry refuses, a backend that
 * cannot run here. Its message is written for them, and a command line (run-command.ts) prints it alone, as
 * one line, and exits with USER_ERROR_EXIT_CODE. The one such type in training/: stages that need a more
 * particular kind (a refused deploy, a lock that timed out) extend it.
 */
export class UserError extends Error {
  override name = "UserError";
}
