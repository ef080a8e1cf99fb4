import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminGet, decodeChunked, parseAdminResponse, parseServedSerials } from './admin.js';

describe('parseAdminResponse', () => {
  it('decodes a chunked body, as Envoy sends /stats', () => {
    const raw = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n2a\r\nlistener.127.0.0.1_25006.ssl.handshake: 8\n\r\n0\r\n\r\n';
    expect(parseAdminResponse(raw, '/stats')).toBe('listener.127.0.0.1_25006.ssl.handshake: 8\n');
  });

  it('keeps a body with a content-length as it is', () => {
    expect(parseAdminResponse('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}', '/certs')).toBe('{}');
  });

  it('throws with the status and path on anything but 200, and on no response at all', () => {
    expect(() => parseAdminResponse('HTTP/1.1 426 Upgrade Required\r\ncontent-length: 16\r\n\r\nUpgrade Required', '/stats')).toThrow('Envoy admin /stats: HTTP 426: Upgrade Required');
    expect(() => parseAdminResponse('', '/certs')).toThrow('Envoy admin /certs: no HTTP response');
  });
});

describe('decodeChunked', () => {
  it('counts chunk sizes in bytes, not characters', () => {
    const text = 'µs ✓';
    const bytes = Buffer.byteLength(text);
    expect(decodeChunked(`${bytes.toString(16)}\r\n${text}\r\n3;ext=1\r\nabc\r\n0\r\n\r\n`)).toBe(`${text}abc`);
  });

  it('throws on a size that is not hex', () => {
    expect(() => decodeChunked('zz\r\nabc\r\n0\r\n\r\n')).toThrow('not hex');
  });
});

describe('adminGet', () => {
  it('passes the path in the environment and says when the admin port cannot be reached', async () => {
    const seen: (Record<string, string> | undefined)[] = [];
    const sidecar = {
      exec: async (_command: string[], options?: { env?: Record<string, string> }) => {
        seen.push(options?.env);
        return { exitCode: 1, output: 'bash: connect: Connection refused', stdout: '' };
      },
    };
    await expect(adminGet(sidecar, '/certs')).rejects.toThrow('Envoy admin /certs: cannot connect to 127.0.0.1:15000 in the sidecar: bash: connect: Connection refused');
    expect(seen).toStrictEqual([{ SB_ADMIN_PATH: '/certs' }]);
  });
});

describe('parseServedSerials', () => {
  it('lists the leaf serial of every TLS context, lower-case without leading zeros (a real /certs of Envoy 1.40)', () => {
    const certs = readFileSync(new URL('../../../test/fixtures/envoy/certs.json', import.meta.url), 'utf8');
    expect(parseServedSerials(certs)).toStrictEqual(['645dc508167e2f39d492d2f2e1d78bb0']);
    expect(parseServedSerials('{"certificates":[{"cert_chain":[{"serial_number":"00AB"}]},{"ca_cert":[]}]}')).toStrictEqual(['ab']);
  });
});
