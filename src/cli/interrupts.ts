/**
 * Ctrl-C (SIGINT) and SIGTERM stop a run gracefully: the first one aborts, the run removes its
 * containers and keeps what it measured; a second one removes the containers and exits at once.
 */
export async function interruptibly<T>(work: (signal: AbortSignal, onCleanup: (cleanup: () => Promise<unknown>) => void) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cleanups: (() => Promise<unknown>)[] = [];
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\nsidecar-bench: ${signal} received; stopping, removing containers (again to force)…\n`);
      controller.abort();
      return;
    }
    process.stderr.write('\nsidecar-bench: forced; removing containers and exiting.\n');
    void Promise.allSettled(cleanups.map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal, (cleanup) => cleanups.push(cleanup));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
