/**
 * Connection errors of the load agent, classified by errno: EADDRNOTAVAIL says the client pod ran
 * out of ephemeral ports, ECONNREFUSED that nothing listens, ECONNRESET that a peer reset, and so
 * on. The seed's troubleshooting matrix starts from exactly these names.
 */

/** The errno names the diagnosis reads; any other code is kept under its own name. */
export const KNOWN_CONNECT_ERRNOS = ['EADDRNOTAVAIL', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'] as const;

/** The peer closed the connection with a request outstanding (a FIN, no errno). */
export const CLOSED_BEFORE_RESPONSE = 'closed-before-response';
/** An error that carried no errno code. */
export const UNKNOWN_ERRNO = 'unknown';

/**
 * The errno name of a socket error: Node's `error.code` ("ECONNREFUSED") when it looks like one,
 * else the first E[A-Z]+ word of the message ("connect EADDRNOTAVAIL 10.0.0.2:8080"), else
 * "unknown". A string is treated as a message.
 */
export function classifyConnectError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  const message = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  return /\b(E[A-Z]{3,})\b/.exec(message)?.[1] ?? UNKNOWN_ERRNO;
}
