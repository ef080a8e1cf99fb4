import { open, type FileHandle } from 'node:fs/promises';

export const CPU_DMA_LATENCY_PATH = '/dev/cpu_dma_latency';

/**
 * Keeps every CPU out of idle states that take long to leave, for as long as the returned handle is
 * open: the PM QoS request tuned's latency-performance profile makes. On this machine kind (a KVM
 * guest with the haltpoll cpuidle driver) an idle vCPU halts, and waking it costs ~100 µs per hop
 * (measured: app-only P50 240 → 124 µs), so a run's figures depend on how idle its cores were.
 * Holding it makes arms with different idle patterns comparable (calibration) at the price of
 * realism: production cores under light load do go idle. Needs root.
 */
export async function holdCpusAwake(path = CPU_DMA_LATENCY_PATH): Promise<AsyncDisposable & { release(): Promise<void> }> {
  let handle: FileHandle | undefined = await open(path, 'w');
  const zero = Buffer.alloc(4); // an s32 of 0 µs: no idle state with any exit latency
  await handle.write(zero);
  const release = async () => {
    await handle?.close();
    handle = undefined;
  };
  return { release, [Symbol.asyncDispose]: release };
}
