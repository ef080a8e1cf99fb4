/**
 * What every proxy's strict mTLS is made of, whatever the proxy: where the sidecar finds its SVID
 * and trust bundle, and the TLS settings one side of a connection uses.
 */
export const TLS_DIR = '/etc/sidecar/tls';
/** The SVID's certificate chain and private key in one PEM file (HAProxy reads them together). */
export const SVID_PEM_PATH = `${TLS_DIR}/svid.pem`;
/** The trust domain's CA certificates. */
export const BUNDLE_PEM_PATH = `${TLS_DIR}/bundle.pem`;

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

export interface SidecarTls {
  version: TlsVersion;
  /** OpenSSL cipher list for TLS 1.2, e.g. ECDHE-ECDSA-AES128-GCM-SHA256. */
  ciphers?: string;
  /** TLS 1.3 cipher suites, e.g. TLS_AES_128_GCM_SHA256. */
  ciphersuites?: string;
  /** Inbound: the SPIFFE IDs allowed to call this workload. */
  allowedClientIds: string[];
  /** Outbound: the SPIFFE IDs this workload may call. */
  allowedServerIds: string[];
  /** per-request: a new TLS connection between the sidecars for every request (handshake churn). */
  connectionReuse: 'keep-alive' | 'per-request';
  /**
   * false: every TLS connection between the sidecars is a full handshake (the client offers no
   * session and the server issues no tickets), so handshake churn prices the handshake itself.
   */
  sessionResumption: boolean;
}
