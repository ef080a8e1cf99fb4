/**
 * h2load (Debian's nghttp2-client), the HTTP/2 reference of `npm run self-check`: the command and
 * the readers of its output. h2load prints min/max/mean but no percentiles, so it writes every
 * request to a log (--log-file: start µs since the epoch, status, duration µs, tab-separated) and
 * the median is taken inside the container (sort + awk), so only two numbers cross the exec stream.
 */

/** Where the command leaves h2load's per-request log inside the loadgen container. */
export const H2LOAD_LOG_PATH = '/tmp/sidecar-bench-h2load.log';

/**
 * The shell command (for `sh -c`) that runs h2load closed-loop with `connections` × `streams`
 * for `seconds` against `url`, then prints h2load's summary and a line "P50US <µs> <requests>"
 * from the log (2xx only).
 */
export function h2loadCommand(url: string, connections: number, streams: number, seconds: number): string {
  const log = H2LOAD_LOG_PATH;
  const median = `awk -F'\\t' '$2 >= 200 && $2 < 300 { print $3 }' ${log} | sort -n | awk '{ v[NR] = $1 } END { if (NR > 0) print "P50US", v[int((NR + 1) / 2)], NR }'`;
  return `rm -f ${log} && h2load -t1 -c${connections} -m${streams} -D${seconds} --log-file=${log} ${url} && ${median}`;
}

/** h2load's own throughput ("finished in 10.00s, 12345.67 req/s, …") and the log's P50 in µs. */
export function parseH2load(output: string): { rps: number; p50Us: number; requests: number } {
  const rps = Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(output)?.[1]);
  const p50 = /^P50US\s+(\d+)\s+(\d+)\s*$/m.exec(output);
  if (!Number.isFinite(rps) || !p50) throw new Error(`cannot read h2load's output:\n${output}`);
  return { rps, p50Us: Number(p50[1]), requests: Number(p50[2]) };
}
