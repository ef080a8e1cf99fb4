/**
 * The calibration delay: a known, fixed delay D added inside the sidecar, so the harness can show
 * that it attributes D (and nothing else) to the proxy.
 *
 * HAProxy cannot hold a request for a precise sub-ms time: its Lua clock and timers tick in whole
 * ms, spinning on core.yield() gets the proxy thread preempted (P99 +2 ms), and a Lua cosocket to
 * a timer costs ~300 µs of CPU per request. So when calibrating, the sidecar's inbound backend goes
 * through a relay inside the sidecar container (docker/shared/delay-relay.c) that holds every
 * chunk toward the app for D. With D = 0 the path is the same, so the relay's own cost cancels in
 * every D − 0 comparison.
 */
export const CALIBRATION_RELAY_PORT = 15098;
export const CALIBRATION_RELAY_BINARY = '/usr/local/bin/sidecar-bench-delay-relay';

/** The sidecar's command when calibrating: the relay in the background, the proxy in front. */
export function calibrationCommand(delayUs: number, appPort: number, proxyCommand: readonly string[]): string[] {
  // An image without the relay (a proxy.image from elsewhere) must not start as if it delayed.
  const missing = `echo "sidecar-bench: this image has no ${CALIBRATION_RELAY_BINARY}, so it cannot add the calibration delay (use sidecar-bench's own image)" >&2; exit 1`;
  return ['bash', '-c', `[ -x ${CALIBRATION_RELAY_BINARY} ] || { ${missing}; }; ${CALIBRATION_RELAY_BINARY} ${CALIBRATION_RELAY_PORT} ${appPort} ${Math.round(delayUs)} & exec ${proxyCommand.join(' ')}`];
}
