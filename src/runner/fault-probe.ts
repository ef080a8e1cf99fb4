/**
 * What the start-up probe accepts from an arm that reproduces a fault on purpose (`arms[].fault`).
 * The probe proves the request path before any load: a 200 from the app, with the proxy's header
 * where a sidecar should answer, counted by every sidecar on the path. A fault arm's first request
 * may instead get exactly the answer its fault gives (a 504 past the route timeout, a 503 when the
 * sidecar cannot connect to the app); that answer carries neither header (the proxy made it, not
 * the app), so the headers are not asked for, but every sidecar on the path must still have counted
 * the request: the path is proven by the proxies' counters either way. Any other answer, and any
 * answer of an arm that declares no fault, fails the probe as before.
 */
import type { FindingKind } from '../scenario/index.js';

/**
 * The HTTP statuses a fault's first request may get through sidecars, by finding. Findings absent
 * here show their fault under load only (port exhaustion, churn, throttling…): their probe is the
 * ordinary one.
 */
export const FAULT_PROBE_STATUSES: Partial<Readonly<Record<FindingKind, readonly number[]>>> = {
  // HAProxy sH, Envoy UT: the route timeout passed.
  'upstream-timeout': [504],
  // HAProxy SC (connect refused) answers 503; Envoy UF answers 503 ("upstream connect error or disconnect/reset before headers").
  'upstream-connect-error': [503],
};

/** True when `statusCode` is the answer the arm's declared fault gives (never without a fault). */
export function isExpectedFaultAnswer(fault: FindingKind | undefined, statusCode: number): boolean {
  return fault !== undefined && (FAULT_PROBE_STATUSES[fault] ?? []).includes(statusCode);
}
