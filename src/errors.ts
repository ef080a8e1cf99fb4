/**
 * Errors that sidecar-bench expects and explains. Only the CLI maps them to exit codes;
 * everything else throws or returns them.
 */
export type BenchErrorCode =
  | 'SB_SCENARIO_NOT_FOUND'
  | 'SB_SCENARIO_INVALID'
  | 'SB_RESULTS_INVALID'
  | 'SB_BASELINE_INCOMPATIBLE'
  | 'SB_DOCKER_UNREACHABLE'
  | 'SB_BASE_IMAGE_UNAVAILABLE'
  | 'SB_IMAGE_BUILD_FAILED'
  | 'SB_CONTAINER_FAILED'
  | 'SB_PATH_CHECK_FAILED'
  | 'SB_LOAD_FAILED'
  | 'SB_BPF_FAILED'
  | 'SB_BPF_INACTIVE'
  | 'SB_OOM_KILLED'
  | 'SB_INTERRUPTED';

export class BenchError extends Error {
  override readonly name = 'BenchError';

  constructor(
    readonly code: BenchErrorCode,
    message: string,
    /** One line per problem, shown as a list under the message. */
    readonly details: readonly string[] = [],
    /** What the user can do about it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isBenchError(error: unknown): error is BenchError {
  return error instanceof BenchError;
}

/** A short, single-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
