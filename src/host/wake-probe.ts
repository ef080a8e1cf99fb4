/**
 * What it costs this machine to wake a CPU that went idle. Two Node processes pinned to two CPUs
 * (taskset) bounce a UDP datagram over loopback, first back to back (neither CPU has time to idle,
 * as under a closed loop with one connection) and then with a pause before each round trip as long
 * as the gap between requests at the scenario's rate (as in the open model). The Node and kernel
 * work per round trip is the same in both, so the difference is the price of waking idle CPUs.
 *
 * Why it matters: on a VM whose guest has no cpuidle driver, an idle vCPU halts and the hypervisor
 * decides how fast it comes back; holding /dev/cpu_dma_latency changes nothing there. Measured with
 * a C pipe ping-pong (scripts/wake-cost.c) on this project's machine kind: 9 µs back to back, 41 µs (p50) and 310 µs
 * (p90) after 1 ms idle. Every hop of a request at a low fixed rate can pay that, a back-to-back
 * single connection does not, which is why the two can disagree on a sidecar's overhead.
 */
import { execa } from 'execa';
import type { HostWakeUp } from '../results/schema.js';

/** Round trips measured in each mode. */
export const WAKE_PROBE_ROUND_TRIPS = 400;

// Echoes every datagram back; prints its port once bound.
const ECHO_SOURCE = `
const socket = require('node:dgram').createSocket('udp4');
socket.on('message', (message, from) => socket.send(message, from.port, from.address));
socket.bind(0, '127.0.0.1', () => process.stdout.write(String(socket.address().port) + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

// Sends one datagram at a time to the echo; between round trips either nothing (setImmediate) or
// a pause of argv[2] ms. Prints the sorted round trips of both modes in µs.
const PING_SOURCE = `
const [port, pauseMs, count] = process.argv.slice(1).map(Number);
const socket = require('node:dgram').createSocket('udp4');
const payload = Buffer.alloc(64);
const measure = (pause) => new Promise((resolve) => {
  const roundTripsUs = [];
  let sentNs = 0n;
  const send = () => { sentNs = process.hrtime.bigint(); socket.send(payload, port, '127.0.0.1'); };
  socket.removeAllListeners('message');
  socket.on('message', () => {
    roundTripsUs.push(Number(process.hrtime.bigint() - sentNs) / 1000);
    if (roundTripsUs.length >= count) return resolve(roundTripsUs.sort((a, b) => a - b));
    if (pause > 0) setTimeout(send, pause); else setImmediate(send);
  });
  send();
});
socket.bind(0, '127.0.0.1', async () => {
  await measure(0); // warm both processes up
  const busy = await measure(0);
  const idle = await measure(pauseMs);
  process.stdout.write(JSON.stringify({ busy, idle }));
  socket.close();
});
`;

/** The value at quantile q (0..1) of ascending values. Pure. */
export function quantileOf(sortedAscending: readonly number[], q: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const index = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil(q * sortedAscending.length) - 1));
  return sortedAscending[index] as number;
}

/** The probe's record from both modes' round trips (µs, ascending). Pure, for tests. */
export function summarizeWakeUp(cpus: readonly [number, number], pauseMs: number, busyUs: readonly number[], idleUs: readonly number[]): HostWakeUp {
  const round = (us: number) => Math.round(us * 10) / 10;
  return {
    cpus: [cpus[0], cpus[1]],
    pauseMs,
    roundTrips: Math.min(busyUs.length, idleUs.length),
    busyRoundTripUs: { p50: round(quantileOf(busyUs, 0.5)), p90: round(quantileOf(busyUs, 0.9)) },
    idleRoundTripUs: { p50: round(quantileOf(idleUs, 0.5)), p90: round(quantileOf(idleUs, 0.9)) },
  };
}

/**
 * Measures the wake-up price between `cpus[0]` (sender) and `cpus[1]` (echo), the same CPU twice
 * when the machine has one. `pauseMs` is the idle gap (whole ms, at least 1: Node's timers have
 * 1 ms resolution). Takes about `WAKE_PROBE_ROUND_TRIPS × pauseMs` plus a second. Rejects when
 * taskset or node cannot run or the echo does not answer.
 */
export async function probeWakeUp(cpus: readonly [number, number], pauseMs = 1, roundTrips = WAKE_PROBE_ROUND_TRIPS): Promise<HostWakeUp> {
  const echo = execa('taskset', ['-c', String(cpus[1]), process.execPath, '-e', ECHO_SOURCE], { stdin: 'pipe', buffer: false });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      echo.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
      echo.once('error', reject);
      echo.once('exit', () => reject(new Error('the echo process exited before it bound its socket')));
    });
    const { stdout } = await execa('taskset', ['-c', String(cpus[0]), process.execPath, '-e', PING_SOURCE, String(port), String(Math.max(1, Math.round(pauseMs))), String(roundTrips)], {
      timeout: 10_000 + roundTrips * (pauseMs + 5) * 2,
    });
    const { busy, idle } = JSON.parse(stdout) as { busy: number[]; idle: number[] };
    return summarizeWakeUp(cpus, pauseMs, busy, idle);
  } finally {
    echo.stdin?.end();
    echo.kill();
    await echo.catch(() => undefined);
  }
}

/** "cpu0↔cpu1 round trip 15 µs back to back, 89 µs after 1 ms idle (p50; p90 19 µs → 129 µs)" */
export function describeWakeUp(wake: HostWakeUp): string {
  const [a, b] = wake.cpus;
  const f = (us: number) => `${us < 10 ? us.toFixed(1) : Math.round(us)} µs`;
  return `cpu${a}↔cpu${b} round trip ${f(wake.busyRoundTripUs.p50)} back to back, ${f(wake.idleRoundTripUs.p50)} after ${wake.pauseMs} ms idle (p50; p90 ${f(wake.busyRoundTripUs.p90)} → ${f(wake.idleRoundTripUs.p90)})`;
}

/** Extra µs per round trip the idle gap costs at p50 (never negative). */
export function wakeUpPenaltyUs(wake: HostWakeUp): number {
  return Math.max(0, wake.idleRoundTripUs.p50 - wake.busyRoundTripUs.p50);
}
