import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenFileCache } from './open-file-cache.js';

describe('OpenFileCache', () => {
  let dir: string;
  let cache: OpenFileCache;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'open-file-cache-'));
    cache = new OpenFileCache();
  });

  afterEach(async () => {
    await cache.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-reads a kept handle from the start, seeing new content', async () => {
    const path = join(dir, 'counter');
    await writeFile(path, 'usage_usec 1\n');
    expect(await cache.read(path)).toBe('usage_usec 1\n');
    await writeFile(path, 'usage_usec 22\n');
    expect(await cache.read(path)).toBe('usage_usec 22\n');
    expect(cache.size).toBe(1);
  });

  it('reads files larger than its first buffer whole', async () => {
    const path = join(dir, 'big');
    const text = 'x'.repeat(10_000);
    await writeFile(path, text);
    expect(await cache.read(path)).toBe(text);
  });

  it('returns undefined for a missing file and throws on other errors', async () => {
    expect(await cache.read(join(dir, 'missing'))).toBeUndefined();
    await expect(cache.read(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    expect(cache.size).toBe(0);
  });

  it('closes the files not read since the previous closeUnused', async () => {
    await writeFile(join(dir, 'a'), 'a');
    await writeFile(join(dir, 'b'), 'b');
    await cache.read(join(dir, 'a'));
    await cache.read(join(dir, 'b'));
    await cache.closeUnused();
    expect(cache.size).toBe(2);
    await cache.read(join(dir, 'a'));
    await cache.closeUnused();
    expect(cache.size).toBe(1);
  });

  it('falls back to readFile beyond maxOpenFiles', async () => {
    const small = new OpenFileCache(1);
    await writeFile(join(dir, 'a'), 'a');
    await writeFile(join(dir, 'b'), 'b');
    expect([await small.read(join(dir, 'a')), await small.read(join(dir, 'b'))]).toEqual(['a', 'b']);
    expect(small.size).toBe(1);
    await small.close();
  });

  it('returns undefined once the process behind a kept /proc handle has exited', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const path = `/proc/${child.pid}/stat`;
    expect(await cache.read(path)).toMatch(/\(sleep\)/);
    child.kill('SIGKILL');
    await exited;
    expect(await cache.read(path)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
