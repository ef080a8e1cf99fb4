import { isBenchError, describeError } from '../errors.js';

/** 0 pass · 1 a gate failed · 2 the run could not be made · 130 interrupted (Ctrl-C). */
export const EXIT_OK = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;
export const EXIT_INTERRUPTED = 130;

/** Prints an error for a person (message, one line per problem, the fix) and returns its exit code. */
export function reportError(error: unknown, stream: NodeJS.WritableStream = process.stderr): number {
  if (isBenchError(error)) {
    const lines = [`sidecar-bench: ${error.message}`, ...error.details.map((detail) => `  ${detail}`)];
    if (error.hint) lines.push(`hint: ${error.hint}`);
    stream.write(`${lines.join('\n')}\n`);
    return error.code === 'SB_INTERRUPTED' ? EXIT_INTERRUPTED : EXIT_CANNOT_RUN;
  }
  // Not an error we expected: keep the stack, it is a bug to report.
  stream.write(`sidecar-bench: unexpected error: ${describeError(error)}\n${error instanceof Error ? (error.stack ?? '') : ''}\n`);
  return EXIT_CANNOT_RUN;
}
