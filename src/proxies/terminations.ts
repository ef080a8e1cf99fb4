/**
 * Proxies' own records of requests they ended abnormally, parsed from their logs: HAProxy's
 * termination state (httplog's %tsc, e.g. "SC--" a refused connect, "sH--" a server timeout before
 * the headers) and Envoy's response flags (UT, UF, UC, URX, DC …). Both proxies log only those
 * requests (HAProxy: option dontlog-normal; Envoy: an access-log filter), so a healthy trial
 * logs nothing.
 */

/** What one sidecar recorded over a trial: requests by the proxy's code, and a few lines verbatim. */
export interface ParsedTerminations {
  counts: Record<string, number>;
  lines: string[];
}

/** Lines kept per sidecar and trial (distinct, first seen). */
const MAX_LINES = 5;

/** HAProxy httplog: "… <status> <bytes> <req-cookie> <resp-cookie> <tsc> <ac>/<fc>/<bc>/<sc>/<rc> …". */
const HAPROXY_HTTPLOG = /\s-?\d{1,3}\s+\d+\s+\S+\s+\S+\s+([A-Za-z-]{4})\s+\d+\/\d+\/\d+\/\d+\/\+?\d+\s/;
/** HAProxy alerts and warnings worth showing beside the counts (e.g. "no free ports", "Out of memory"). */
const HAPROXY_ALERT = /\[(ALERT|WARNING)\]|no free ports|out of memory/i;

/**
 * Counts HAProxy's termination states by their first two characters ("SC", "sH", "CD" …; the last
 * two describe cookies and persistence) and keeps a few log lines, alerts included. "--" (a normal
 * end) is not counted.
 */
export function parseHaproxyTerminations(logLines: readonly string[]): ParsedTerminations {
  const counts: Record<string, number> = {};
  const kept = new Set<string>();
  for (const line of logLines) {
    const state = HAPROXY_HTTPLOG.exec(line)?.[1]?.slice(0, 2);
    const counted = state !== undefined && state !== '--';
    if (counted) counts[state] = (counts[state] ?? 0) + 1;
    if ((counted || HAPROXY_ALERT.test(line)) && kept.size < MAX_LINES) kept.add(line.slice(0, 300));
  }
  return { counts, lines: [...kept] };
}

/** The marker that opens every line of sidecar-bench's Envoy access log (see envoy/config.ts). */
export const ENVOY_ACCESS_LOG_MARKER = '[sb-access]';
/** "[sb-access] 504 UT upstream_reset_before_response_started{…} 10.0.0.2:8080" — status, flags, then free text. */
const ENVOY_ACCESS = /\[sb-access\]\s+(\d{1,3})\s+(\S+)/;

/**
 * Counts Envoy's response flags ("UF,URX" counts once each; "-" is none) over the lines of
 * sidecar-bench's access log, and keeps a few. Responses of 5xx without a flag count as "5xx".
 */
export function parseEnvoyTerminations(logLines: readonly string[]): ParsedTerminations {
  const counts: Record<string, number> = {};
  const kept = new Set<string>();
  for (const line of logLines) {
    const match = ENVOY_ACCESS.exec(line);
    if (!match) continue;
    const flags = (match[2] as string) === '-' ? [] : (match[2] as string).split(',');
    for (const flag of flags.length > 0 ? flags : Number(match[1]) >= 500 ? ['5xx'] : []) counts[flag] = (counts[flag] ?? 0) + 1;
    if (kept.size < MAX_LINES) kept.add(line.slice(line.indexOf(ENVOY_ACCESS_LOG_MARKER)).slice(0, 300));
  }
  return { counts, lines: [...kept] };
}
