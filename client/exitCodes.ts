/** Exit codes tell the truth: 0 only when everything succeeded. */
export const EXIT = {
  ok: 0,
  failed: 1,
  badInput: 2,
  prerequisitesMissing: 3,
  rejected: 4,
  conflictsLeft: 5,
  cancelled: 6,
} as const;

/** An error the CLI reports as one line (no stack trace) with a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}
