// Bundles the programs that run inside containers (the app and the load agent) into single files
// for Debian's Node 18, so images need no npm install and no registry.
import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const WORKLOADS = ['app-server', 'loadgen-agent'];

await Promise.all(
  WORKLOADS.map((name) =>
    build({
      entryPoints: [`src/workloads/${name}.ts`],
      outfile: `dist/workloads/${name}.cjs`,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      minify: false,
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
);

// The gRPC service definition both programs load at run time (src/workloads/grpc/bench-service.ts).
await mkdir('dist/workloads', { recursive: true });
await copyFile('proto/bench.proto', 'dist/workloads/bench.proto');
