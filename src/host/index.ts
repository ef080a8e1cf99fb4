export { readHostFingerprint, onlineCpus, parseCpuInfo, parseCpuList, parseOsRelease, osPrettyName, HOST_PATHS, type CpuInfo, type FingerprintDeps, type HostFingerprint } from './fingerprint.js';
export { nodeHostFs, memoryHostFs, type HostFs } from './host-fs.js';
export { runHostChecks, defaultHostCheckDeps, MIN_FREE_DOCKER_ROOT_BYTES, MIN_KERNEL_VERSION, type CheckResult, type CheckStatus, type HostCheckDeps } from './checks.js';
export { probeDocker, runCommand, findExecutable, freeBytes, type DockerProbe, type CommandResult } from './host-probes.js';
