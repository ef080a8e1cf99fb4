import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTrustDomainCa, issueSvid, workloadSpiffeId } from './spiffe-pki.js';

const HOUR_MS = 3_600_000;
const NOW = new Date('2026-11-26T10:00:00Z');

describe('SPIFFE IDs', () => {
  it('are built from trust domain, namespace and service account', () => {
    expect(workloadSpiffeId('cluster.local', 'bench', 'server')).toBe('spiffe://cluster.local/ns/bench/sa/server');
  });

  it('reject characters SPIFFE does not allow', () => {
    expect(() => workloadSpiffeId('Cluster.Local', 'bench', 'server')).toThrow('trust domain "Cluster.Local"');
    expect(() => workloadSpiffeId('cluster.local', 'be/nch', 'server')).toThrow('path segment "be/nch"');
  });
});

describe.each(['ecdsa-p256', 'rsa-2048'] as const)('a %s trust domain', (algorithm) => {
  it('issues an X.509-SVID that chains to the CA, carries exactly its SPIFFE ID and is short-lived', async () => {
    const ca = await createTrustDomainCa('cluster.local', { algorithm, validityMs: 24 * HOUR_MS, now: NOW });
    const svid = await issueSvid(ca, 'spiffe://cluster.local/ns/bench/sa/server', { validityMs: HOUR_MS, now: NOW });
    const leaf = new X509Certificate(svid.certificatePem);
    const root = new X509Certificate(ca.certificatePem);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(root.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe('URI:spiffe://cluster.local/ns/bench/sa/server');
    expect(leaf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new Date(leaf.validTo).getTime() - NOW.getTime()).toBe(HOUR_MS);
    expect(leaf.publicKey.asymmetricKeyType).toBe(algorithm === 'ecdsa-p256' ? 'ec' : 'rsa');
    // The private key is a usable PKCS #8 PEM that matches the certificate.
    expect(leaf.checkPrivateKey(createPrivateKey(svid.privateKeyPem))).toBe(true);
  });
});

it('refuses to issue outside its trust domain', async () => {
  const ca = await createTrustDomainCa('cluster.local', { validityMs: HOUR_MS });
  await expect(issueSvid(ca, 'spiffe://other.domain/ns/x/sa/y', { validityMs: HOUR_MS })).rejects.toThrow('not in trust domain cluster.local');
});
