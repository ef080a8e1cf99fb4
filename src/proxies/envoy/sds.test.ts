import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeSecretEntries } from '../../../test/support/secret-files.js';
import { bundleSecretYaml, rotateEnvoySvid, rotationScript, sdsSecretConfig, sdsSecretEntries, svidSecretYaml } from './sds.js';

const SVID_1 = { certificatePem: '-----BEGIN CERTIFICATE-----\nONE\n-----END CERTIFICATE-----', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY1\n-----END PRIVATE KEY-----\n' };
const SVID_2 = { certificatePem: '-----BEGIN CERTIFICATE-----\nTWO\n-----END CERTIFICATE-----\n', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY2\n-----END PRIVATE KEY-----\n' };
const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const OWNER = { uid: 1337, gid: 1337 };
const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

describe('SDS secret documents', () => {
  it('hold one Secret each: the SVID as Istio’s "default", the bundle as "ROOTCA", PEM inline', () => {
    expect(parse(svidSecretYaml(SVID_1))).toStrictEqual({
      resources: [
        {
          '@type': SECRET_TYPE,
          name: 'default',
          tls_certificate: { certificate_chain: { inline_string: '-----BEGIN CERTIFICATE-----\nONE\n-----END CERTIFICATE-----\n' }, private_key: { inline_string: SVID_1.privateKeyPem } },
        },
      ],
    });
    expect(parse(bundleSecretYaml(CA))).toStrictEqual({ resources: [{ '@type': SECRET_TYPE, name: 'ROOTCA', validation_context: { trusted_ca: { inline_string: CA } } }] });
  });

  it('are read from a path in the watched directory', () => {
    expect(sdsSecretConfig('default', 'svid.yaml', { directory: '/etc/sidecar/tls' })).toStrictEqual({
      name: 'default',
      sds_config: { path_config_source: { path: '/etc/sidecar/tls/svid.yaml', watched_directory: { path: '/etc/sidecar/tls' } }, resource_api_version: 'V3' },
    });
  });
});

describe('sdsSecretEntries', () => {
  it('lays the volume out as Kubernetes does: a versioned directory, ..data, and links to it', () => {
    const entries = sdsSecretEntries(SVID_1, CA, OWNER);
    expect(entries.map((entry) => ('directory' in entry ? ['dir', entry.directory, entry.mode.toString(8)] : 'linkTo' in entry ? ['link', entry.target, entry.linkTo] : ['file', entry.target]))).toStrictEqual([
      ['dir', '/etc/sidecar/tls', '700'],
      ['file', '/etc/sidecar/tls/..svid-1/svid.yaml'],
      ['file', '/etc/sidecar/tls/..svid-1/bundle.yaml'],
      ['link', '/etc/sidecar/tls/..data', '..svid-1'],
      ['link', '/etc/sidecar/tls/svid.yaml', '..data/svid.yaml'],
      ['link', '/etc/sidecar/tls/bundle.yaml', '..data/bundle.yaml'],
    ]);
    expect(entries.every((entry) => entry.uid === 1337 && entry.gid === 1337)).toBe(true);
  });
});

describe('the rotation script (run here with bash, in a temporary volume)', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('swaps ..data onto a new owner-only version and removes the old one; the links now read the new SVID', async () => {
    root = await mkdtemp(join(tmpdir(), 'sb-sds-'));
    const location = { directory: join(root, 'tls') };
    await writeSecretEntries('/', sdsSecretEntries(SVID_1, CA, OWNER, location));
    const env = { ...process.env, SB_SVID_SECRET: svidSecretYaml(SVID_2), SB_BUNDLE_SECRET: bundleSecretYaml(CA) };
    await promisify(execFile)('bash', ['-c', rotationScript(location)], { env });
    const names = (await readdir(location.directory)).sort();
    expect(names).toHaveLength(4);
    const version = await readlink(join(location.directory, '..data'));
    expect(version).toMatch(/^\.\.svid-\d+$/);
    expect(names).toStrictEqual(['..data', version, 'bundle.yaml', 'svid.yaml'].sort());
    expect(await readFile(join(location.directory, 'svid.yaml'), 'utf8')).toBe(svidSecretYaml(SVID_2));
    expect(await readFile(join(location.directory, 'bundle.yaml'), 'utf8')).toBe(bundleSecretYaml(CA));
    expect(((await lstat(join(location.directory, version))).mode & 0o777).toString(8)).toBe('500');
    for (const file of ['svid.yaml', 'bundle.yaml']) expect(((await lstat(join(location.directory, version, file))).mode & 0o777).toString(8)).toBe('400');
  });

  it('fails (and rotateEnvoySvid says so) when the volume is not there', async () => {
    const sidecar = {
      exec: async (command: string[], options?: { env?: Record<string, string> }) => {
        try {
          const { stdout, stderr } = await promisify(execFile)(command[0] as string, command.slice(1), { env: { ...process.env, ...options?.env } });
          return { exitCode: 0, output: stdout + stderr, stdout };
        } catch (error) {
          const failed = error as { code: number; stdout: string; stderr: string };
          return { exitCode: failed.code, output: failed.stdout + failed.stderr, stdout: failed.stdout };
        }
      },
    };
    // The container path does not exist on this machine: the script stops at its first step.
    await expect(rotateEnvoySvid(sidecar, { ...SVID_2, serialNumber: '01' }, CA)).rejects.toThrow(/cannot write the new SVID into \/etc\/sidecar\/tls: .*No such file or directory/);
  });
});
