import { describe, expect, it } from 'vitest';
import { h2loadCommand, parseH2load } from './h2load.js';

// The tail of h2load 1.52's summary (Debian bookworm) and the command's own P50 line.
const OUTPUT = `starting benchmark...
spawning thread #0: 16 total client(s). Timing-based test with 0s of warm-up time and 10s of main duration for measurements.
Main benchmark duration is over for thread #0. Stopping all clients.
finished in 10.00s, 9876.50 req/s, 10.91MB/s
requests: 98765 total, 98781 started, 98765 done, 98765 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 98765 2xx, 0 3xx, 0 4xx, 0 5xx
time for request:      312us     14.21ms      1.59ms       512us    71.23%
P50US 1523 98765
`;

describe('h2load in the self-check', () => {
  it('reads the throughput from the summary and the P50 from the log line', () => {
    expect(parseH2load(OUTPUT)).toStrictEqual({ rps: 9876.5, p50Us: 1523, requests: 98765 });
  });

  it('says what it could not read', () => {
    expect(() => parseH2load('finished in 10.00s, 9876.50 req/s\n')).toThrow(/cannot read h2load's output/);
  });

  it('runs closed-loop with the connections × streams and duration asked, and takes the median of 2xx durations', () => {
    const command = h2loadCommand('http://10.0.0.2:8081/', 4, 256, 10);
    expect(command).toContain('h2load -t1 -c4 -m256 -D10 --log-file=/tmp/sidecar-bench-h2load.log http://10.0.0.2:8081/');
    expect(command).toContain("$2 >= 200 && $2 < 300 { print $3 }");
  });
});
