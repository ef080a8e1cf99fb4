/**
 * The symptoms of the seed's troubleshooting matrix the diagnosis (src/analysis/findings/) can
 * find, by name: what `gates.findings.failOn` may list. Here, not in analysis/, because the
 * scenario validates them and stages import downward only.
 */
export const FINDING_KINDS = [
  'upstream-timeout',
  'upstream-connect-error',
  'oom-killed',
  'cpu-throttling',
  'high-latency',
  'certificate-verify-failed',
  'port-exhaustion',
  'conntrack-full',
  'handshake-churn',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
