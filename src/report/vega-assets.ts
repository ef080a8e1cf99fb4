/**
 * The browser builds of vega, vega-lite and vega-embed, read from node_modules so the report can
 * inline them and open offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface VegaAsset {
  name: string;
  version: string;
  /** The minified UMD build, without its sourceMappingURL comment. */
  code: string;
}

/** In load order: vega-lite needs the global `vega`, vega-embed both. */
const BROWSER_BUILDS = [
  { name: 'vega', file: 'build/vega.min.js' },
  { name: 'vega-lite', file: 'build/vega-lite.min.js' },
  { name: 'vega-embed', file: 'build/vega-embed.min.js' },
] as const;

/**
 * A package's folder. Its package.json is not in its "exports", so resolve the entry point and
 * walk up to the package.json that names the package.
 */
async function packageRoot(resolve: (id: string) => string, name: string): Promise<{ root: string; version: string }> {
  let folder = dirname(resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return { root: folder, version: manifest.version ?? 'unknown' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`cannot find the package.json of ${name} above ${dirname(resolve(name))}`);
    folder = parent;
  }
}

/**
 * Reads the three builds. Throws when one is missing, or when its text would end the inline
 * <script> element early (it contains "</script" or "<!--").
 */
export async function loadVegaAssets(): Promise<VegaAsset[]> {
  const require = createRequire(import.meta.url);
  const resolve = (id: string) => require.resolve(id);
  return Promise.all(
    BROWSER_BUILDS.map(async ({ name, file }) => {
      const { root, version } = await packageRoot(resolve, name);
      const path = join(root, file);
      const code = (await readFile(path, 'utf8')).replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
      if (/<\/script|<!--/i.test(code)) throw new Error(`${path} contains "</script" or "<!--" and cannot be inlined in a <script> element`);
      return { name, version, code };
    }),
  );
}
