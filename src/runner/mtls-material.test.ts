import { X509Certificate, createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, type MtlsSpec } from '../scenario/index.js';
import { createMtlsMaterial, type MtlsMaterial, type SideMaterial } from './mtls-material.js';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const HOUR_MS = 3_600_000;
const CLIENT_ID = 'spiffe://cluster.local/ns/bench/sa/loadgen';
const SERVER_ID = 'spiffe://cluster.local/ns/bench/sa/app';

/** The mtls section as parseScenario resolves it, from a minimal scenario plus `mtls` lines. */
function mtlsSpec(mtlsLines: string[] = []): MtlsSpec {
  const text = ['topologies: [mtls]', 'load:', '  connections: 4', '  duration: 10s', ...(mtlsLines.length ? ['mtls:', ...mtlsLines.map((l) => `  ${l}`)] : []), ''].join('\n');
  return parseScenario(text, 'mtls.yaml').mtls;
}

const leafOf = (side: SideMaterial) => new X509Certificate(side.svid.certificatePem);

describe('createMtlsMaterial with the scenario defaults', () => {
  let material: MtlsMaterial;
  let ca: X509Certificate;
  beforeAll(async () => {
    material = await createMtlsMaterial(mtlsSpec(), () => NOW);
    ca = new X509Certificate(material.caCertificatePem);
  });

  it('names both workloads by their SPIFFE IDs in the cluster.local trust domain', () => {
    expect(material.trustDomain).toBe('cluster.local');
    expect(material.client.spiffeId).toBe(CLIENT_ID);
    expect(material.server.spiffeId).toBe(SERVER_ID);
  });

  it('gives each side its SVID as PEMs: a certificate, its PKCS #8 key, and the leaf serial', () => {
    for (const side of [material.client, material.server]) {
      expect(side.svid.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n*$/);
      expect(side.svid.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n*$/);
      expect(leafOf(side).checkPrivateKey(createPrivateKey(side.svid.privateKeyPem))).toBe(true);
      expect(side.svid.serialNumber.toUpperCase().replace(/^0+/, '')).toBe(leafOf(side).serialNumber.replace(/^0+/, ''));
    }
  });

  it('the CA certificate is the bundle, public only', () => {
    expect(ca.ca).toBe(true);
    expect(material.caCertificatePem).not.toContain('PRIVATE KEY');
  });

  it('issues each side a certificate that chains to the CA and carries exactly its SPIFFE ID', () => {
    for (const [side, id] of [[material.client, CLIENT_ID], [material.server, SERVER_ID]] as const) {
      const leaf = leafOf(side);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.subjectAltName).toBe(`URI:${id}`);
      expect(leaf.ca).toBe(false);
      expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    }
    expect(leafOf(material.client).serialNumber).not.toBe(leafOf(material.server).serialNumber);
  });

  it('SVIDs live for svidTtl (1h by default) from the injected clock; the CA for 24h', () => {
    expect(new Date(leafOf(material.client).validTo).getTime()).toBe(NOW.getTime() + HOUR_MS);
    expect(new Date(leafOf(material.client).validFrom).getTime()).toBe(NOW.getTime() - 60_000);
    expect(new Date(ca.validTo).getTime()).toBe(NOW.getTime() + 24 * HOUR_MS);
  });

  it('TLS 1.3 by default, no cipher, each side allowing only the other, connections kept alive', () => {
    const tls = { version: 'TLSv1.3', allowedClientIds: [CLIENT_ID], allowedServerIds: [SERVER_ID], connectionReuse: 'keep-alive', sessionResumption: true };
    expect(material.client.tls).toStrictEqual(tls);
    expect(material.server.tls).toStrictEqual(tls);
  });

  it('reissue() returns new SVIDs for both identities, with new serials, signed by the same CA', async () => {
    const { client, server } = await material.reissue();
    expect([client.spiffeId, server.spiffeId]).toStrictEqual([CLIENT_ID, SERVER_ID]);
    const fresh = [new X509Certificate(client.certificatePem), new X509Certificate(server.certificatePem)];
    const old = [leafOf(material.client).serialNumber, leafOf(material.server).serialNumber];
    for (const [index, leaf] of fresh.entries()) {
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(old).not.toContain(leaf.serialNumber);
      expect(leaf.subjectAltName).toBe(`URI:${[CLIENT_ID, SERVER_ID][index]}`);
    }
    expect(fresh[0]?.serialNumber).not.toBe(fresh[1]?.serialNumber);
  });

  it('issueFor(id) issues that identity from the same CA; an ID outside the trust domain is refused', async () => {
    const impostor = await material.issueFor('spiffe://cluster.local/ns/bench/sa/impostor');
    const leaf = new X509Certificate(impostor.certificatePem);
    expect(impostor.spiffeId).toBe('spiffe://cluster.local/ns/bench/sa/impostor');
    expect(leaf.subjectAltName).toBe('URI:spiffe://cluster.local/ns/bench/sa/impostor');
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(impostor.notAfter.getTime()).toBe(NOW.getTime() + HOUR_MS);
    await expect(material.issueFor('spiffe://evil.example/ns/bench/sa/app')).rejects.toThrow('not in trust domain cluster.local');
  });
});

describe('createMtlsMaterial TLS settings and keys', () => {
  it('TLS 1.2 with an ECDHE cipher: version TLSv1.2 and an OpenSSL cipher list', async () => {
    const material = await createMtlsMaterial(mtlsSpec(['tlsVersion: "1.2"', 'cipher: ECDHE-ECDSA-AES128-GCM-SHA256']), () => NOW);
    expect(material.client.tls).toStrictEqual({
      version: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      allowedClientIds: [CLIENT_ID],
      allowedServerIds: [SERVER_ID],
      connectionReuse: 'keep-alive',
      sessionResumption: true,
    });
  });

  it('TLS 1.3 with a suite: version TLSv1.3 and ciphersuites', async () => {
    const material = await createMtlsMaterial(mtlsSpec(['tlsVersion: "1.3"', 'cipher: TLS_AES_128_GCM_SHA256']), () => NOW);
    expect(material.server.tls).toStrictEqual({
      version: 'TLSv1.3',
      ciphersuites: 'TLS_AES_128_GCM_SHA256',
      allowedClientIds: [CLIENT_ID],
      allowedServerIds: [SERVER_ID],
      connectionReuse: 'keep-alive',
      sessionResumption: true,
    });
  });

  it('follows the trust domain, namespace, service accounts and SVID TTL of the scenario', async () => {
    const spec = mtlsSpec(['trustDomain: example.org', 'namespace: perf', 'clientServiceAccount: client-a', 'serverServiceAccount: api', 'svidTtl: 5m']);
    const material = await createMtlsMaterial(spec, () => NOW);
    expect([material.client.spiffeId, material.server.spiffeId]).toStrictEqual(['spiffe://example.org/ns/perf/sa/client-a', 'spiffe://example.org/ns/perf/sa/api']);
    expect(leafOf(material.server).subjectAltName).toBe('URI:spiffe://example.org/ns/perf/sa/api');
    expect(new Date(leafOf(material.server).validTo).getTime()).toBe(NOW.getTime() + 5 * 60_000);
  });

  it('keyAlgorithm rsa-2048: the CA and both SVIDs have RSA 2048 keys', async () => {
    const material = await createMtlsMaterial(mtlsSpec(['keyAlgorithm: rsa-2048']), () => NOW);
    const ca = new X509Certificate(material.caCertificatePem);
    expect(ca.publicKey.asymmetricKeyType).toBe('rsa');
    for (const side of [material.client, material.server]) {
      const leaf = leafOf(side);
      expect(leaf.publicKey.asymmetricKeyType).toBe('rsa');
      expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(createPrivateKey(side.svid.privateKeyPem).asymmetricKeyType).toBe('rsa');
    }
  });
});
