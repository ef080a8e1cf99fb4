/**
 * proto/bench.proto loaded with @grpc/proto-loader for @grpc/grpc-js, in the agent and in the app.
 * The .proto file travels next to the bundled programs (scripts/bundle-workloads.mjs copies it).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { BENCH_PROTO_FILE } from '../../load/protocols.js';

/**
 * Where bench.proto is: SB_BENCH_PROTO, else next to the running program (dist/workloads/ or
 * /opt/sidecar-bench/ in the images), else the repository's proto/ (tests run from its root).
 *
 * @throws Error naming every place looked at when none has it
 */
export function benchProtoPath(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? '', cwd = process.cwd()): string {
  const candidates = [env.SB_BENCH_PROTO, join(dirname(script), BENCH_PROTO_FILE), join(cwd, 'proto', BENCH_PROTO_FILE)].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`${BENCH_PROTO_FILE} not found (looked at ${candidates.join(', ')})`);
  return found;
}

/** The Bench service's client constructor (its `.service` is the server-side definition). */
export function loadBenchService(protoPath = benchProtoPath()): ServiceClientConstructor {
  // Bytes as Buffers, field names as written: the defaults of proto-loader that cost nothing.
  const definition = loadSync(protoPath, { keepCase: true, defaults: false });
  const loaded = loadPackageDefinition(definition) as unknown as { sidecarbench: { v1: { Bench: ServiceClientConstructor } } };
  return loaded.sidecarbench.v1.Bench;
}
