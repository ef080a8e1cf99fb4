/**
 * Envoy's SVID and trust bundle through file-based SDS, laid out as Kubernetes lays out a secret
 * volume: the proxy watches the directory, and a rotation swaps every file at once by renaming one
 * link (`..data`), which Envoy sees as a move into the watched directory and re-reads without a
 * restart. Istio names the two secrets `default` (the workload's SVID) and `ROOTCA` (the bundle).
 *
 * /etc/sidecar/tls/            uid 1337, 0700 (its owner swaps the link)
 *   ..svid-<n>/                uid 1337, 0500
 *     svid.yaml, bundle.yaml   uid 1337, 0400 (the key lives inline in svid.yaml)
 *   ..data -> ..svid-<n>
 *   svid.yaml -> ..data/svid.yaml
 *   bundle.yaml -> ..data/bundle.yaml
 */
import { stringify } from 'yaml';
import type { SecretEntry } from '../../runtime/secret-archive.js';
import type { SvidPem } from '../driver.js';
import { normalSerial, servedSerials, type AdminExec } from './admin.js';

export const SDS_DIR = '/etc/sidecar/tls';
export const SVID_SECRET_NAME = 'default';
export const BUNDLE_SECRET_NAME = 'ROOTCA';
export const SVID_SECRET_FILE = 'svid.yaml';
export const BUNDLE_SECRET_FILE = 'bundle.yaml';

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/** The SVID's PEMs: all Envoy needs of it. */
type SvidPems = Pick<SvidPem, 'certificatePem' | 'privateKeyPem'>;

/** Where a sidecar's SDS files live (a test may validate a rendered config against a host directory). */
export interface SdsLocation {
  directory: string;
}

export const CONTAINER_SDS: SdsLocation = { directory: SDS_DIR };

/** One SDS resource read from a file, reloaded when anything is moved into the watched directory. */
export function sdsSecretConfig(name: string, file: string, location: SdsLocation) {
  return {
    name,
    sds_config: {
      path_config_source: { path: `${location.directory}/${file}`, watched_directory: { path: location.directory } },
      resource_api_version: 'V3',
    },
  };
}

/** The discovery response a path_config_source file holds: exactly one Secret. */
const secretDocument = (secret: Record<string, unknown>) => stringify({ resources: [{ '@type': SECRET_TYPE, ...secret }] });

export function svidSecretYaml(svid: SvidPems): string {
  return secretDocument({
    name: SVID_SECRET_NAME,
    tls_certificate: { certificate_chain: { inline_string: svid.certificatePem.trim() + '\n' }, private_key: { inline_string: svid.privateKeyPem.trim() + '\n' } },
  });
}

export function bundleSecretYaml(caCertificatePem: string): string {
  return secretDocument({ name: BUNDLE_SECRET_NAME, validation_context: { trusted_ca: { inline_string: caCertificatePem.trim() + '\n' } } });
}

/** The secret volume as the sidecar starts with it (see the module comment), owned by `owner`. */
export function sdsSecretEntries(svid: SvidPems, caCertificatePem: string, owner: { uid: number; gid: number }, location: SdsLocation = CONTAINER_SDS): SecretEntry[] {
  const dir = location.directory;
  const version = '..svid-1';
  return [
    { directory: dir, mode: 0o700, ...owner },
    { target: `${dir}/${version}/${SVID_SECRET_FILE}`, content: svidSecretYaml(svid), ...owner },
    { target: `${dir}/${version}/${BUNDLE_SECRET_FILE}`, content: bundleSecretYaml(caCertificatePem), ...owner },
    { target: `${dir}/..data`, linkTo: version, ...owner },
    { target: `${dir}/${SVID_SECRET_FILE}`, linkTo: `..data/${SVID_SECRET_FILE}`, ...owner },
    { target: `${dir}/${BUNDLE_SECRET_FILE}`, linkTo: `..data/${BUNDLE_SECRET_FILE}`, ...owner },
  ];
}

/**
 * Run as the proxy uid inside the sidecar: writes a new versioned directory from $SB_SVID_SECRET and
 * $SB_BUNDLE_SECRET (environment, so keys never reach a command line), renames the `..data` link
 * onto it (atomic: Envoy sees one move) and removes the previous version.
 */
export function rotationScript(location: SdsLocation = CONTAINER_SDS): string {
  return [
    'set -eu',
    'umask 077',
    `cd '${location.directory}'`,
    'new="..svid-$(date +%s%N)"',
    'old="$(readlink ..data)"',
    'mkdir "$new"',
    `printf '%s' "$SB_SVID_SECRET" > "$new/${SVID_SECRET_FILE}"`,
    `printf '%s' "$SB_BUNDLE_SECRET" > "$new/${BUNDLE_SECRET_FILE}"`,
    `chmod 0400 "$new/${SVID_SECRET_FILE}" "$new/${BUNDLE_SECRET_FILE}"`,
    'chmod 0500 "$new"',
    'ln -s "$new" ..data_tmp',
    'mv -T ..data_tmp ..data',
    'chmod 0700 "$old"',
    'rm -rf "$old"',
  ].join('\n');
}

/**
 * Writes a new SVID (and the bundle) into the sidecar's watched directory and waits until every TLS
 * context of the sidecar presents it (`/certs`), at most `timeoutMs`. Established connections keep
 * their session; new handshakes use the new certificate. Throws when the files cannot be written or
 * Envoy does not take them up.
 */
export async function rotateEnvoySvid(
  sidecar: AdminExec,
  svid: SvidPem,
  caCertificatePem: string,
  timeoutMs = 5000,
): Promise<void> {
  const written = await sidecar.exec(['bash', '-c', rotationScript()], { env: { SB_SVID_SECRET: svidSecretYaml(svid), SB_BUNDLE_SECRET: bundleSecretYaml(caCertificatePem) } });
  if (written.exitCode !== 0) throw new Error(`cannot write the new SVID into ${SDS_DIR}: ${written.output.trim().slice(0, 300)}`);
  const wanted = normalSerial(svid.serialNumber);
  const deadline = Date.now() + timeoutMs;
  let served: string[] = [];
  while (Date.now() < deadline) {
    served = await servedSerials(sidecar);
    if (served.length > 0 && served.every((serial) => serial === wanted)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Envoy did not take up the new SVID (serial ${wanted}) within ${timeoutMs} ms; it presents ${served.join(', ') || 'no certificate'}`);
}
