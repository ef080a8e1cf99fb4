import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';
import type { MtlsSpec } from './scenario.js';

const FILE = 'bad.yaml';
/** Lines 1–4; a test appends its section from line 5 on. */
const MINIMAL = ['topologies: [sidecar, mtls, mtls-churn]', 'load:', '  connections: 10', '  duration: 10s', ''].join('\n');
const OPEN = ['topologies: [sidecar, mtls]', 'load:', '  model: open', '  rate: 1000/s', '  duration: 10s', ''].join('\n');
const TLS13_CIPHER_MESSAGE = 'mtls.cipher: TLS 1.3 takes a suite like TLS_AES_128_GCM_SHA256; OpenSSL cipher names like ECDHE-… are for tlsVersion "1.2"';

const DEFAULT_MTLS: MtlsSpec = {
  trustDomain: 'cluster.local',
  namespace: 'bench',
  clientServiceAccount: 'loadgen',
  serverServiceAccount: 'app',
  keyAlgorithm: 'ecdsa-p256',
  svidTtlUs: 3_600_000_000,
  tlsVersion: '1.3',
  rotateDuringTrial: false,
  sessionResumption: true,
};

/** The problems parseScenario lists for a file it refuses. */
function problems(text: string): readonly string[] {
  try {
    parseScenario(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    expect((error as BenchError).code).toBe('SB_SCENARIO_INVALID');
    return (error as BenchError).details;
  }
  throw new Error('expected parseScenario to throw');
}

describe('scenario mtls section', () => {
  it('defaults every field when the section is absent', () => {
    expect(parseScenario(MINIMAL, FILE).mtls).toStrictEqual(DEFAULT_MTLS);
    expect(parseScenario(`${MINIMAL}mtls: {}\n`, FILE).mtls).toStrictEqual(DEFAULT_MTLS);
  });

  it('resolves every field as written', () => {
    const text = `${MINIMAL}mtls:
  trustDomain: example.org
  namespace: perf
  clientServiceAccount: client-a
  serverServiceAccount: api_v2
  keyAlgorithm: rsa-2048
  svidTtl: 1m
  tlsVersion: "1.2"
  cipher: ECDHE-RSA-AES128-GCM-SHA256
  rotateDuringTrial: true
`;
    expect(parseScenario(text, FILE).mtls).toStrictEqual({
      trustDomain: 'example.org',
      namespace: 'perf',
      clientServiceAccount: 'client-a',
      serverServiceAccount: 'api_v2',
      keyAlgorithm: 'rsa-2048',
      svidTtlUs: 60_000_000,
      tlsVersion: '1.2',
      cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      rotateDuringTrial: true,
      sessionResumption: true,
    } satisfies MtlsSpec);
  });

  it('accepts a TLS 1.3 suite with tlsVersion "1.3"', () => {
    expect(parseScenario(`${MINIMAL}mtls:\n  tlsVersion: "1.3"\n  cipher: TLS_AES_128_GCM_SHA256\n`, FILE).mtls).toStrictEqual({ ...DEFAULT_MTLS, cipher: 'TLS_AES_128_GCM_SHA256' });
  });

  it('rejects an ECDHE cipher with tlsVersion "1.3", naming mtls.cipher at file:line:col', () => {
    expect(problems(`${MINIMAL}mtls:\n  tlsVersion: "1.3"\n  cipher: ECDHE-ECDSA-AES128-GCM-SHA256\n`)).toStrictEqual([`bad.yaml:7:11  ${TLS13_CIPHER_MESSAGE}`]);
  });

  it('rejects an ECDHE cipher when tlsVersion is left at its default (1.3)', () => {
    expect(problems(`${MINIMAL}mtls: { cipher: ECDHE-ECDSA-AES256-GCM-SHA384 }\n`)).toStrictEqual([`bad.yaml:5:17  ${TLS13_CIPHER_MESSAGE}`]);
  });

  it('rejects an SVID TTL below 1m and reports it together with a cipher problem', () => {
    expect(problems(`${MINIMAL}mtls:\n  svidTtl: 59s\n`)).toStrictEqual(['bad.yaml:6:12  mtls.svidTtl: expected at least 1m']);
    expect(problems(`${MINIMAL}mtls:\n  svidTtl: 30s\n  cipher: ECDHE-ECDSA-AES128-GCM-SHA256\n`)).toStrictEqual([
      'bad.yaml:6:12  mtls.svidTtl: expected at least 1m',
      `bad.yaml:7:11  ${TLS13_CIPHER_MESSAGE}`,
    ]);
  });

  it('asks for a quoted TLS version (YAML reads 1.2 as a number)', () => {
    expect(problems(`${MINIMAL}mtls:\n  tlsVersion: 1.2\n`)).toStrictEqual(['bad.yaml:6:15  mtls.tlsVersion: expected "1.2" or "1.3" (quote it)']);
  });

  it('rejects an unknown key algorithm, a lower-case cipher, an upper-case trust domain and an unknown key, all at once', () => {
    const text = `${MINIMAL}mtls:\n  keyAlgorithm: ed25519\n  cipher: tls_aes_128_gcm_sha256\n  trustDomain: Cluster.Local\n  rotate: true\n`;
    expect(problems(text)).toStrictEqual([
      'bad.yaml:8:16  mtls.trustDomain: expected lower-case letters, digits, ".", "-" or "_"',
      'bad.yaml:6:17  mtls.keyAlgorithm: expected ecdsa-p256 or rsa-2048',
      'bad.yaml:7:11  mtls.cipher: expected one cipher name, e.g. ECDHE-ECDSA-AES128-GCM-SHA256',
      'bad.yaml:9:3  mtls.rotate: unknown field; remove it or check its spelling',
    ]);
  });

  it('rejects a service account that is not a SPIFFE path segment', () => {
    expect(problems(`${MINIMAL}mtls:\n  serverServiceAccount: "a/b"\n`)).toStrictEqual([
      'bad.yaml:6:25  mtls.serverServiceAccount: expected letters, digits, ".", "-" or "_" (a SPIFFE ID path segment)',
    ]);
  });
});

describe('scenario load.arrivals', () => {
  it('is uniform by default in the open model', () => {
    expect(parseScenario(OPEN, FILE).load).toStrictEqual({
      model: 'open',
      ratePerSecond: 1000,
      arrivals: 'uniform',
      connections: 16,
      warmupUs: 2_000_000,
      durationUs: 10_000_000,
      timeoutUs: 10_000_000,
      request: { method: 'GET', path: '/', bodyBytes: 0 },
    });
  });

  it('takes poisson', () => {
    expect(parseScenario(`${OPEN}  arrivals: poisson\n`, FILE).load).toMatchObject({ model: 'open', arrivals: 'poisson' });
  });

  it('rejects another process, and arrivals in the closed model', () => {
    expect(problems(`${OPEN}  arrivals: bursty\n`)).toStrictEqual(['bad.yaml:6:13  load.arrivals: expected uniform or poisson']);
    expect(problems(`${MINIMAL}  arrivals: poisson\n`)).toStrictEqual(['bad.yaml:5:3  load.arrivals: unknown field; remove it or check its spelling']);
  });
});

describe('scenario load.saturation', () => {
  it('is absent unless asked for', () => {
    expect(parseScenario(MINIMAL, FILE).load).not.toHaveProperty('saturation');
  });

  it('resolves connections and duration, in the closed and the open model', () => {
    expect(parseScenario(`${MINIMAL}  saturation: { connections: 64, duration: 5s }\n`, FILE).load).toStrictEqual({
      model: 'closed',
      connections: 10,
      warmupUs: 2_000_000,
      durationUs: 10_000_000,
      timeoutUs: 10_000_000,
      request: { method: 'GET', path: '/', bodyBytes: 0 },
      saturation: { connections: 64, durationUs: 5_000_000 },
    });
    expect(parseScenario(`${OPEN}  saturation:\n    connections: 1\n    duration: 1s\n`, FILE).load.saturation).toStrictEqual({ connections: 1, durationUs: 1_000_000 });
  });

  it('rejects a duration under 1s, connections out of range, a missing duration and an unknown key', () => {
    expect(problems(`${MINIMAL}  saturation: { connections: 0, duration: 999ms }\n`)).toStrictEqual([
      'bad.yaml:5:30  load.saturation.connections: expected a whole number from 1 to 10000',
      'bad.yaml:5:43  load.saturation.duration: expected at least 1s',
    ]);
    expect(problems(`${MINIMAL}  saturation: { connections: 64 }\n`)).toStrictEqual([
      'bad.yaml:5:15  load.saturation.duration: expected a duration with a unit, like "10s", "250ms" or "500us"',
    ]);
    expect(problems(`${MINIMAL}  saturation: { connections: 64, duration: 5s, rate: 10/s }\n`)).toStrictEqual([
      'bad.yaml:5:48  load.saturation.rate: unknown field; remove it or check its spelling',
    ]);
  });
});

describe('scenario host.keepCpusAwake', () => {
  it('is false by default and true when asked', () => {
    expect(parseScenario(MINIMAL, FILE).host).toStrictEqual({ keepCpusAwake: false });
    expect(parseScenario(`${MINIMAL}host:\n  keepCpusAwake: true\n`, FILE).host).toStrictEqual({ keepCpusAwake: true });
  });

  it('rejects anything but a boolean, and unknown host keys', () => {
    expect(problems(`${MINIMAL}host:\n  keepCpusAwake: "yes"\n`)).toStrictEqual(['bad.yaml:6:18  host.keepCpusAwake: expected true or false']);
    expect(problems(`${MINIMAL}host: { governor: performance }\n`)).toStrictEqual(['bad.yaml:5:9  host.governor: unknown field; remove it or check its spelling']);
  });
});

describe('mtls: combinations that cannot work are refused', () => {
  const withMtls = (mtls: string, proxy = 'haproxy') => `topologies: [sidecar, mtls]\nproxy: { profile: ${proxy} }\nload: { connections: 1, duration: 1s }\nmtls: ${mtls}\n`;
  const problemsOf = (text: string) => {
    try {
      parseScenario(text, 'bad.yaml');
    } catch (error) {
      return (error as { details: string[] }).details;
    }
    return [];
  };

  it('an ECDSA cipher with RSA keys, and an RSA cipher with ECDSA keys', () => {
    expect(problemsOf(withMtls('{ tlsVersion: "1.2", keyAlgorithm: rsa-2048, cipher: ECDHE-ECDSA-AES128-GCM-SHA256 }'))).toStrictEqual([
      'bad.yaml:4:60  mtls.cipher: an ECDSA cipher cannot authenticate RSA keys; use ECDHE-RSA-… or keyAlgorithm: ecdsa-p256',
    ]);
    expect(problemsOf(withMtls('{ tlsVersion: "1.2", cipher: ECDHE-RSA-AES128-GCM-SHA256 }'))).toStrictEqual([
      'bad.yaml:4:36  mtls.cipher: an RSA cipher cannot authenticate ECDSA keys; use ECDHE-ECDSA-… or keyAlgorithm: rsa-2048',
    ]);
  });

  it('a TLS 1.3 suite with Envoy (rotation under load is fine: file-based SDS)', () => {
    expect(problemsOf(withMtls('{ cipher: TLS_AES_128_GCM_SHA256, rotateDuringTrial: true }', 'envoy'))).toStrictEqual([
      'bad.yaml:4:17  mtls.cipher: Envoy (BoringSSL) cannot restrict TLS 1.3 suites; remove the cipher or use tlsVersion "1.2"',
    ]);
  });
});

describe('scenarios/envoy-mtls.yaml', () => {
  it('loads: Envoy sidecars, strict mTLS with every SVID rotated under load, and a saturation burst', () => {
    const scenario = parseScenario(readFileSync(new URL('../../scenarios/envoy-mtls.yaml', import.meta.url), 'utf8'), 'scenarios/envoy-mtls.yaml');
    expect(scenario.proxy.profile).toBe('envoy');
    expect(scenario.topologies).toStrictEqual(['app-only', 'sidecar', 'mtls', 'mtls-churn']);
    expect(scenario.mtls).toMatchObject({ tlsVersion: '1.3', rotateDuringTrial: true });
    expect(scenario.load.saturation).toStrictEqual({ connections: 32, durationUs: 3_000_000 });
  });
});
