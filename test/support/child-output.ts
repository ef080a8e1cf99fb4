import type { ResultPromise } from 'execa';

/**
 * Resolves once a running CLI's combined output matches `pattern` (then after `thenMs` more), with
 * everything printed so far; rejects with that output after `timeoutMs`. For tests that act on a
 * run mid-trial (SIGINT, SIGKILL).
 */
export function waitForOutput(child: ResultPromise, pattern: RegExp, options: { timeoutMs: number; thenMs?: number }): Promise<() => string> {
  let output = '';
  const read = () => output;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never printed ${pattern}:\n${output}`)), options.timeoutMs);
    child.all?.on('data', (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      if (!pattern.test(before) && pattern.test(output)) {
        clearTimeout(timer);
        setTimeout(() => resolve(read), options.thenMs ?? 0);
      }
    });
  });
}
