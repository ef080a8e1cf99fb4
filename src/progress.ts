/**
 * How stages report progress without knowing the terminal. The CLI provides a spinner on a TTY and
 * plain timestamped lines elsewhere (CI logs); tests provide a silent or recording one.
 */
export interface ProgressTask {
  /** Replaces the task's current detail line, e.g. "Step 3/6". */
  update(detail: string): void;
  succeed(detail?: string): void;
  fail(detail?: string): void;
}

export interface Progress {
  start(title: string): ProgressTask;
  /** A line worth keeping in the log. */
  info(message: string): void;
  warn(message: string): void;
}

export const silentProgress: Progress = {
  start: () => ({ update: () => {}, succeed: () => {}, fail: () => {} }),
  info: () => {},
  warn: () => {},
};
