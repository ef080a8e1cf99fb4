/**
 * Envoy's admin interface (127.0.0.1:15000 inside the sidecar's netns, as Istio), reached with
 * `docker exec` and bash's /dev/tcp: the sidecar image needs no HTTP client.
 */
export const ADMIN_PORT = 15000;

/** The smallest view of a running sidecar the admin client needs: `docker exec` (a StartedTestContainer fits). */
export interface AdminExec {
  exec(command: string[], options?: { env?: Record<string, string> }): Promise<{ exitCode: number; output: string; stdout: string }>;
}

const GET_SCRIPT = `exec 3<>/dev/tcp/127.0.0.1/${ADMIN_PORT} && printf 'GET %s HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' "$SB_ADMIN_PATH" >&3 && cat <&3`;

/** The body of an HTTP/1.1 response as Envoy's admin sends it (chunked or not); throws on a non-200 status. */
export function parseAdminResponse(raw: string, path: string): string {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`Envoy admin ${path}: no HTTP response (${JSON.stringify(raw.slice(0, 120))})`);
  const head = raw.slice(0, split);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
  const body = raw.slice(split + 4);
  if (status !== '200') throw new Error(`Envoy admin ${path}: HTTP ${status ?? '?'}: ${body.trim().slice(0, 200)}`);
  return /^transfer-encoding:\s*chunked/im.test(head) ? decodeChunked(body) : body;
}

/** HTTP/1.1 chunked transfer coding → the body (chunk sizes are hex; extensions ignored). */
export function decodeChunked(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('chunked body: a chunk size line without CRLF');
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new Error('chunked body: a chunk size that is not hex');
    if (size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** GET `path` from the sidecar's admin listener; the body as text. */
export async function adminGet(sidecar: AdminExec, path: string): Promise<string> {
  const result = await sidecar.exec(['bash', '-c', GET_SCRIPT], { env: { SB_ADMIN_PATH: path } });
  if (result.exitCode !== 0) throw new Error(`Envoy admin ${path}: cannot connect to 127.0.0.1:${ADMIN_PORT} in the sidecar: ${result.output.trim().slice(0, 200)}`);
  return parseAdminResponse(result.stdout, path);
}

interface CertsResponse {
  certificates?: { cert_chain?: { serial_number?: string }[] }[];
}

const normalSerial = (serial: string) => serial.toLowerCase().replace(/^0+/, '');

/** Serial numbers (lower-case hex, no leading zeros) of the SVIDs every TLS context of the sidecar presents now (`/certs`). */
export function parseServedSerials(certsJson: string): string[] {
  const certs = JSON.parse(certsJson) as CertsResponse;
  return (certs.certificates ?? []).flatMap((context) => {
    const leaf = context.cert_chain?.[0]?.serial_number;
    return leaf ? [normalSerial(leaf)] : [];
  });
}

export async function servedSerials(sidecar: AdminExec): Promise<string[]> {
  return parseServedSerials(await adminGet(sidecar, '/certs'));
}

export { normalSerial };
