import { createTrustDomainCa, issueSvid, workloadSpiffeId, type Svid, type TrustDomainCa } from '../pki/spiffe-pki.js';
import type { SvidPem } from '../proxies/driver.js';
import type { SidecarTls } from '../proxies/sidecar-tls.js';
import type { MtlsSpec } from '../scenario/index.js';

/** The CA outlives every SVID of the run, rotations included. */
const CA_VALIDITY_MS = 24 * 3_600_000;

export interface SideMaterial {
  spiffeId: string;
  tls: SidecarTls;
  /** The side's first SVID; each proxy's driver decides how it is mounted (svidSecrets). */
  svid: SvidPem;
}

export interface MtlsMaterial {
  trustDomain: string;
  /** The CA certificate (public; recorded in results). */
  caCertificatePem: string;
  client: SideMaterial;
  server: SideMaterial;
  /** Issues fresh SVIDs for both sides from the same CA (rotation). */
  reissue(): Promise<{ client: Svid; server: Svid }>;
  /** An SVID for any identity of the trust domain, from the same CA (e.g. an impostor, in tests). */
  issueFor(spiffeId: string): Promise<Svid>;
}

/** What a proxy is given of an SVID: PEMs and the leaf's serial. */
export function svidPem(svid: Svid): SvidPem {
  return { certificatePem: svid.certificatePem, privateKeyPem: svid.privateKeyPem, serialNumber: svid.certificate.serialNumber };
}

function sidecarTls(spec: MtlsSpec, clientId: string, serverId: string, connectionReuse: SidecarTls['connectionReuse']): SidecarTls {
  const version = spec.tlsVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  const cipher = spec.cipher ? (version === 'TLSv1.3' ? { ciphersuites: spec.cipher } : { ciphers: spec.cipher }) : {};
  return { version, ...cipher, allowedClientIds: [clientId], allowedServerIds: [serverId], connectionReuse, sessionResumption: spec.sessionResumption };
}

/** The run's trust domain: a CA, and one SVID for the client workload and one for the server. */
export async function createMtlsMaterial(spec: MtlsSpec, now: () => Date = () => new Date()): Promise<MtlsMaterial> {
  const ca: TrustDomainCa = await createTrustDomainCa(spec.trustDomain, { algorithm: spec.keyAlgorithm, validityMs: CA_VALIDITY_MS, now: now() });
  const clientId = workloadSpiffeId(spec.trustDomain, spec.namespace, spec.clientServiceAccount);
  const serverId = workloadSpiffeId(spec.trustDomain, spec.namespace, spec.serverServiceAccount);
  const issueFor = (spiffeId: string) => issueSvid(ca, spiffeId, { algorithm: spec.keyAlgorithm, validityMs: spec.svidTtlUs / 1000, now: now() });
  const issue = async () => ({ client: await issueFor(clientId), server: await issueFor(serverId) });
  const first = await issue();
  const tls = sidecarTls(spec, clientId, serverId, 'keep-alive');
  return {
    trustDomain: spec.trustDomain,
    caCertificatePem: ca.certificatePem,
    client: { spiffeId: clientId, tls, svid: svidPem(first.client) },
    server: { spiffeId: serverId, tls, svid: svidPem(first.server) },
    reissue: issue,
    issueFor,
  };
}
