import { open, type FileHandle } from 'node:fs/promises';

export const CPU_DMA_LATENCY_PATH = '/dev/cpu_dma_latency';

/**
 * Why holding {@link CPU_DMA_LATENCY_PATH} cannot keep CPUs awake on a machine whose cpuidle driver
 * is `driver` (the content of /sys/devices/system/cpu/cpuidle/current_driver, undefined when the
 * file is missing), or undefined when it can. Without a driver, idle is the bare halt, which no
 * PM QoS request shortens (measured on this project's machine kind: a 1 ms-idle round trip between
 * two CPUs read 41 µs p50 with and without the hold). Pure.
 */
export function whyCpusCannotBeKeptAwake(driver: string | undefined): string | undefined {
  if (driver === undefined) return 'it has no cpuidle driver (/sys/devices/system/cpu/cpuidle/current_driver is missing), so idle CPUs halt whatever /dev/cpu_dma_latency asks';
  if (driver.trim() === 'none') return 'it has no cpuidle driver (current_driver is "none"), so idle CPUs halt whatever /dev/cpu_dma_latency asks';
  return undefined;
}

/**
 * Keeps every CPU out of idle states that take long to leave, for as long as the returned handle is
 * open: the PM QoS request tuned's latency-performance profile makes. On a KVM guest with the
 * haltpoll cpuidle driver an idle vCPU halts, and waking it costs ~100 µs per hop (measured there:
 * app-only P50 240 → 124 µs), so a run's figures depend on how idle its cores were. Without a
 * cpuidle driver it does nothing: see {@link whyCpusCannotBeKeptAwake}.
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
