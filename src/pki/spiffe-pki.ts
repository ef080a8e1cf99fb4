/**
 * A per-run SPIFFE trust domain: sidecar-bench plays SPIRE's part, as the trust domain's CA, and
 * issues one X.509-SVID per workload (exactly one URI SAN, spiffe://<trust domain>/ns/<ns>/sa/<sa>),
 * short-lived, ECDSA P-256 by default, RSA 2048 on request. Private keys live in memory and in the
 * sidecars' files only: nothing here is written to results or reports.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

const ALGORITHMS: Record<KeyAlgorithm, { generate: EcKeyGenParams | RsaHashedKeyGenParams; sign: Algorithm | EcdsaParams }> = {
  'ecdsa-p256': { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  'rsa-2048': {
    generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
};

export interface TrustDomainCa {
  trustDomain: string;
  algorithm: KeyAlgorithm;
  certificate: x509.X509Certificate;
  certificatePem: string;
  keys: CryptoKeyPair;
}

export interface Svid {
  spiffeId: string;
  certificate: x509.X509Certificate;
  certificatePem: string;
  /** PKCS #8. Goes into the sidecar that owns it, nowhere else. */
  privateKeyPem: string;
  notAfter: Date;
}

export interface IssueOptions {
  algorithm?: KeyAlgorithm;
  validityMs: number;
  now?: Date;
}

const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** spiffe://<trust domain>/ns/<namespace>/sa/<service account>, validated as SPIFFE IDs are. */
export function workloadSpiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  if (!TRUST_DOMAIN.test(trustDomain)) throw new Error(`trust domain "${trustDomain}" may hold only lower-case letters, digits, ".", "-" and "_"`);
  for (const segment of [namespace, serviceAccount]) {
    if (!PATH_SEGMENT.test(segment)) throw new Error(`SPIFFE ID path segment "${segment}" may hold only letters, digits, ".", "-" and "_"`);
  }
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f; // a positive INTEGER
  return bytes.toString('hex');
}

async function generateKeys(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[algorithm].generate, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

/** The trust domain's root CA (self-signed; it signs every SVID of the run). */
export async function createTrustDomainCa(trustDomain: string, options: IssueOptions): Promise<TrustDomainCa> {
  const algorithm = options.algorithm ?? 'ecdsa-p256';
  const now = options.now ?? new Date();
  const keys = await generateKeys(algorithm);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `O=sidecar-bench, CN=${trustDomain} trust domain CA`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + options.validityMs),
    signingAlgorithm: ALGORITHMS[algorithm].sign,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `spiffe://${trustDomain}` }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { trustDomain, algorithm, certificate, certificatePem: certificate.toString('pem'), keys };
}

/** An X.509-SVID for one workload, signed by the trust domain's CA. */
export async function issueSvid(ca: TrustDomainCa, spiffeId: string, options: IssueOptions): Promise<Svid> {
  if (!spiffeId.startsWith(`spiffe://${ca.trustDomain}/`)) throw new Error(`${spiffeId} is not in trust domain ${ca.trustDomain}`);
  const algorithm = options.algorithm ?? ca.algorithm;
  const now = options.now ?? new Date();
  const keys = await generateKeys(algorithm);
  const notAfter = new Date(now.getTime() + options.validityMs);
  const usages = x509.KeyUsageFlags.digitalSignature | (algorithm === 'rsa-2048' ? x509.KeyUsageFlags.keyEncipherment : 0);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `O=sidecar-bench, CN=${spiffeId.split('/').pop() ?? 'workload'}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: ALGORITHMS[ca.algorithm].sign,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usages, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      // An X.509-SVID carries exactly one URI SAN: its SPIFFE ID.
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }], true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { spiffeId, certificate, certificatePem: certificate.toString('pem'), privateKeyPem: await privateKeyPem(keys), notAfter };
}
