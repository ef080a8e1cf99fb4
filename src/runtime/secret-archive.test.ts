import { describe, expect, it } from 'vitest';
import { extract, type Headers } from 'tar-stream';
import { secretArchive, type SecretEntry } from './secret-archive.js';

interface Entry {
  name: string;
  type: Headers['type'];
  linkname?: string | null;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  content: string;
}

/** Every entry of the archive, in order, read back with tar-stream's extract(). */
async function entriesOf(files: readonly SecretEntry[]): Promise<Entry[]> {
  const extractor = extract();
  const archive = secretArchive(files);
  archive.pipe(extractor as unknown as NodeJS.WritableStream);
  const entries: Entry[] = [];
  for await (const entry of extractor) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const { name, type, mode, uid, gid, linkname } = entry.header;
    entries.push({ name, type, mode, uid, gid, content: Buffer.concat(chunks).toString('utf8'), ...(type === 'symlink' ? { linkname } : {}) });
  }
  return entries;
}

const SVID = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
const BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';

describe('secretArchive', () => {
  it('holds owner-only directories and files, owned as given, with the exact contents', async () => {
    const entries = await entriesOf([
      { target: '/etc/sidecar/tls/svid.pem', content: SVID, uid: 1337, gid: 1337 },
      { target: '/etc/sidecar/tls/bundle.pem', content: BUNDLE, uid: 1337, gid: 1337 },
    ]);
    expect(entries).toStrictEqual([
      // The parents keep a system's usual owner and mode: the engine applies these headers to /etc.
      { name: 'etc/', type: 'directory', mode: 0o755, uid: 0, gid: 0, content: '' },
      { name: 'etc/sidecar/', type: 'directory', mode: 0o755, uid: 0, gid: 0, content: '' },
      { name: 'etc/sidecar/tls/', type: 'directory', mode: 0o500, uid: 1337, gid: 1337, content: '' },
      { name: 'etc/sidecar/tls/svid.pem', type: 'file', mode: 0o400, uid: 1337, gid: 1337, content: SVID },
      { name: 'etc/sidecar/tls/bundle.pem', type: 'file', mode: 0o400, uid: 1337, gid: 1337, content: BUNDLE },
    ]);
  });

  it('gives each file’s own directory its owner, and leaves the parents root-owned 0755', async () => {
    const entries = await entriesOf([
      { target: '/run/a/key.pem', content: 'A', uid: 101, gid: 102 },
      { target: '/run/b/key.pem', content: 'B', uid: 201, gid: 202 },
    ]);
    expect(entries.map(({ name, type, mode, uid, gid, content }) => [name, type, mode, uid, gid, content])).toStrictEqual([
      ['run/', 'directory', 0o755, 0, 0, ''],
      ['run/a/', 'directory', 0o500, 101, 102, ''],
      ['run/b/', 'directory', 0o500, 201, 202, ''],
      ['run/a/key.pem', 'file', 0o400, 101, 102, 'A'],
      ['run/b/key.pem', 'file', 0o400, 201, 202, 'B'],
    ]);
  });

  it('keeps multi-byte contents byte for byte', async () => {
    const content = 'µs — ✓\n';
    const [file] = (await entriesOf([{ target: '/k', content, uid: 0, gid: 0 }])).filter((entry) => entry.type === 'file');
    expect(file).toStrictEqual({ name: 'k', type: 'file', mode: 0o400, uid: 0, gid: 0, content });
  });

  it('lays out a Kubernetes-style secret volume: a writable directory, a versioned one, and links', async () => {
    const owner = { uid: 1337, gid: 1337 };
    const entries = await entriesOf([
      { directory: '/etc/sidecar/tls', mode: 0o700, ...owner },
      { target: '/etc/sidecar/tls/..svid-1/svid.yaml', content: SVID, ...owner },
      { target: '/etc/sidecar/tls/..data', linkTo: '..svid-1', ...owner },
      { target: '/etc/sidecar/tls/svid.yaml', linkTo: '..data/svid.yaml', ...owner },
    ]);
    expect(entries.map(({ name, type, mode, uid, gid, linkname }) => [name, type, mode, uid, gid, linkname])).toStrictEqual([
      ['etc/', 'directory', 0o755, 0, 0, undefined],
      ['etc/sidecar/', 'directory', 0o755, 0, 0, undefined],
      ['etc/sidecar/tls/', 'directory', 0o700, 1337, 1337, undefined],
      ['etc/sidecar/tls/..svid-1/', 'directory', 0o500, 1337, 1337, undefined],
      ['etc/sidecar/tls/..svid-1/svid.yaml', 'file', 0o400, 1337, 1337, undefined],
      ['etc/sidecar/tls/..data', 'symlink', 0o777, 1337, 1337, '..svid-1'],
      ['etc/sidecar/tls/svid.yaml', 'symlink', 0o777, 1337, 1337, '..data/svid.yaml'],
    ]);
  });

  it('is an empty archive for no files', async () => {
    expect(await entriesOf([])).toStrictEqual([]);
  });
});
