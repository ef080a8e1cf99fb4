import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/index.js';
import type { SidecarTls } from '../sidecar-tls.js';
import { parseFrontendHandshakes } from './admin.js';
import { haproxyDriver } from './driver.js';

const TLS: SidecarTls = {
  version: 'TLSv1.3',
  allowedClientIds: ['spiffe://cluster.local/ns/bench/sa/loadgen'],
  allowedServerIds: ['spiffe://cluster.local/ns/bench/sa/app'],
  connectionReuse: 'per-request',
  sessionResumption: true,
};
const OPTIONS = { workerThreads: 1, appPort: 8080, inboundPort: 15006, outboundPort: 15001 };
const lineWith = (config: string, start: string) => config.split('\n').find((line) => line.trim().startsWith(start))?.trim();

describe('mtls.sessionResumption in the HAProxy config', () => {
  it('on (default): the client offers its cached session and the server issues tickets', () => {
    const config = haproxyDriver.renderConfig({ ...OPTIONS, tls: TLS });
    expect(lineWith(config, 'server original')).not.toMatch(/no-ssl-reuse|no-tls-tickets/);
    expect(lineWith(config, 'bind :15006')).not.toContain('no-tls-tickets');
  });

  it('off: no-ssl-reuse on the server line and no tickets on either side, so every connection is a full handshake', () => {
    const config = haproxyDriver.renderConfig({ ...OPTIONS, tls: { ...TLS, sessionResumption: false } });
    expect(lineWith(config, 'server original')).toMatch(/ verify required .* no-ssl-reuse no-tls-tickets$/);
    expect(lineWith(config, 'bind :15006')).toMatch(/ssl crt .* no-tls-tickets$/);
  });
});

// `show stat` of HAProxy 2.6 (header and the inbound frontend, trimmed to the columns that matter plus neighbours).
const SHOW_STAT = `# pxname,svname,qcur,stot,status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,
inbound,FRONTEND,,490,OPEN,-,2,488,1,0,
outbound,FRONTEND,,1,OPEN,-,0,0,0,0,
local_app,BACKEND,0,490,UP,-,0,0,0,0,
`;

describe('parseFrontendHandshakes', () => {
  it('reads full (ssl_sess) and resumed (ssl_reused_sess) handshakes of the inbound frontend', () => {
    expect(parseFrontendHandshakes(SHOW_STAT)).toEqual({ fullHandshakes: 2, resumedHandshakes: 488 });
    expect(parseFrontendHandshakes(SHOW_STAT, 'outbound')).toEqual({ fullHandshakes: 0, resumedHandshakes: 0 });
  });

  it('is undefined when HAProxy has no SSL stats module columns or no such frontend', () => {
    expect(parseFrontendHandshakes('# pxname,svname,stot\ninbound,FRONTEND,3\n')).toBeUndefined();
    expect(parseFrontendHandshakes(SHOW_STAT, 'nope')).toBeUndefined();
  });
});

describe('mtls.sessionResumption in a scenario', () => {
  const base = 'topologies: [mtls-churn]\nload: { connections: 2, duration: 2s }\n';

  it('defaults to true and reads false', () => {
    expect(parseScenario(base, 's.yaml').mtls.sessionResumption).toBe(true);
    expect(parseScenario(`${base}mtls: { sessionResumption: false }\n`, 's.yaml').mtls.sessionResumption).toBe(false);
  });

  it('is refused with the envoy profile, naming the field and why', () => {
    expect(() => parseScenario(`${base}proxy: { profile: envoy }\nmtls: { sessionResumption: false }\n`, 's.yaml')).toThrow(
      expect.objectContaining({ details: [expect.stringMatching(/^s\.yaml:\d+:\d+ {2}mtls\.sessionResumption: the envoy profile does not render session-resumption settings yet/)] }),
    );
  });

  it('rejects a non-boolean', () => {
    expect(() => parseScenario(`${base}mtls: { sessionResumption: "no" }\n`, 's.yaml')).toThrow(expect.objectContaining({ details: [expect.stringContaining('mtls.sessionResumption: expected true or false')] }));
  });
});

describe('scenarios/mtls-full-handshakes.yaml', () => {
  it('is scenarios/mtls.yaml with session resumption off, and nothing else changed', async () => {
    const { loadScenario } = await import('../../scenario/index.js');
    const resumed = await loadScenario('scenarios/mtls.yaml');
    const full = await loadScenario('scenarios/mtls-full-handshakes.yaml');
    expect([resumed.mtls.sessionResumption, full.mtls.sessionResumption]).toEqual([true, false]);
    const comparable = (s: typeof full) => ({ ...s, name: '', description: '', sourceFile: '', mtls: { ...s.mtls, sessionResumption: true } });
    expect(comparable(full)).toEqual(comparable(resumed));
  });
});
