import { z } from 'zod';
import { hasPeerTls, hasSidecar } from '../topology/catalog.js';
import type { ProxyCapabilities, VersionChoice } from '../proxies/driver.js';
import { LOAD_PROTOCOLS, type LoadProtocol } from '../load/protocols.js';
import { NOTRACK_SCOPES } from '../interception/notrack.js';
import { PROXY_PROFILE_NAMES, type ProxyProfileName, type TopologyName } from './topologies.js';
import { peerTlsProtocolGap } from './protocol-schema.js';
import { FINDING_KINDS } from './finding-kinds.js';

/** Where the inbound sidecar sends the app's traffic (see ProxySpec.inboundEndpoint). */
export const INBOUND_ENDPOINTS = ['localhost', 'pod-ip'] as const;
/** The addresses the app may listen on (see ScenarioArm.app). */
export const APP_BIND_ADDRESSES = ['0.0.0.0', '127.0.0.1'] as const;

/** Arm names name pods and containers, report rows and gate entries. */
const ARM_NAME = /^[a-z0-9][a-z0-9.-]{0,39}$/;
/** The baseline side of a paired run (--interleave-with) is "<arm>-baseline". */
export const RESERVED_ARM_SUFFIX = '-baseline';

/** A proxy section as the file's schema outputs it (units resolved, defaults filled). */
export interface FileProxy {
  profile: ProxyProfileName;
  version?: string | undefined;
  workerThreads: number;
  image?: string | undefined;
  addedDelay?: number | undefined;
  routeTimeout?: number | undefined;
  inboundEndpoint?: (typeof INBOUND_ENDPOINTS)[number] | undefined;
}

/** `proxy.inboundEndpoint`, in the scenario's proxy and in an arm's. */
export const inboundEndpointSchema = z.enum(INBOUND_ENDPOINTS, { error: `expected ${INBOUND_ENDPOINTS.join(' or ')}` });
/** `app.bind`, in the scenario's app and in an arm's. */
export const appBindSchema = z.enum(APP_BIND_ADDRESSES, { error: `expected "0.0.0.0" (every address of the pod) or "127.0.0.1" (loopback only)` });

/**
 * The `arms:` list: each arm a topology with, optionally, its own proxy settings over the
 * scenario's `proxy:`. Takes the file schema's unit-aware field types so both sections parse alike.
 */
export function armsSchema<T extends z.ZodType, R extends z.ZodType, S extends z.ZodType>(
  topologyName: T,
  fields: { durationUs: z.ZodType<number, string>; workerThreads: z.ZodType<number, number>; resources: R; sysctls: S; routeTimeoutUs: z.ZodType<number, string> },
) {
  const proxyOverride = z.strictObject({
    profile: z.enum(PROXY_PROFILE_NAMES, { error: `expected one of ${PROXY_PROFILE_NAMES.join(', ')}` }).optional(),
    /** A release of that proxy, e.g. "1.36.2"; absent: the profile's default. */
    version: z.string({ error: 'expected a release like "1.40.0" (quote it)' }).regex(/^\d+\.\d+\.\d+$/, { error: 'expected a release like "1.40.0"' }).optional(),
    workerThreads: fields.workerThreads.optional(),
    image: z.string().min(1).optional(),
    /** A known fixed delay this arm's server sidecar adds to every request. */
    addedDelay: fields.durationUs.optional(),
    /** This arm's sidecars' route timeout (a 504 past it). */
    routeTimeout: fields.routeTimeoutUs.optional(),
    /** Where this arm's inbound sidecar sends the app's traffic. */
    inboundEndpoint: inboundEndpointSchema.optional(),
  });
  return z
    .array(
      z.strictObject({
        /** Default: the topology's name. */
        name: z.string().regex(ARM_NAME, { error: 'expected lower-case letters, digits, "." and "-", at most 40 (it names pods and report rows)' }).optional(),
        topology: topologyName,
        proxy: proxyOverride.optional(),
        /** This arm's containers' Kubernetes resources, per role, instead of the scenario's for that role. */
        resources: fields.resources.optional(),
        /** This arm's pods' sysctls, instead of the scenario's ({} for the kernel's defaults). */
        sysctls: fields.sysctls.optional(),
        /** What this arm's load speaks (default load.protocol); its overhead is over the app-only arm of the same protocol. */
        protocol: z.enum(LOAD_PROTOCOLS, { error: `expected one of ${LOAD_PROTOCOLS.join(', ')}` }).optional(),
        /** Connection tracking in this arm's pods: `notrack: sidecar-to-app` exempts the loopback hop between the sidecar and the app (raw table, CT --notrack). */
        conntrack: z.strictObject({ notrack: z.enum(NOTRACK_SCOPES, { error: `expected one of ${NOTRACK_SCOPES.join(', ')}` }) }, { error: 'expected { notrack: sidecar-to-app }' }).optional(),
        /** This arm's app: the address it listens on (default the scenario's app.bind). */
        app: z.strictObject({ bind: appBindSchema }).optional(),
        /** This arm's load: keepAlive false opens a new connection per request, which the load agent closes itself. */
        load: z.strictObject({ keepAlive: z.boolean({ error: 'expected true or false' }) }).optional(),
        /**
         * The finding this arm reproduces on purpose (a fault scenario's fault arm): the start-up
         * probe then also accepts the failure that finding answers with (see src/runner/fault-probe.ts).
         */
        fault: z.enum(FINDING_KINDS, { error: (issue) => `unknown finding ${JSON.stringify(issue.input)}; expected one of ${FINDING_KINDS.join(', ')}` }).optional(),
      }),
      { error: 'expected a list of arms, each { name, topology, proxy, resources, sysctls, protocol, conntrack, app, load, fault }' },
    )
    .min(1, { error: 'expected at least one arm' });
}

type Path = (string | number)[];

/** One arm of the file, with the proxy it will run and where in the file that proxy is written. */
export interface FileArm {
  name: string;
  topology: TopologyName;
  /** Absent for app-only. */
  proxy?: FileProxy;
  /** Where this arm's proxy fields are written (`proxy` for the simple form). */
  proxyPath: Path;
  /** Where the arm itself is written. */
  path: Path;
  /** `arms[].protocol`, when written. */
  protocol?: LoadProtocol;
}

interface ArmsFile {
  topologies?: TopologyName[] | undefined;
  arms?: { name?: string | undefined; topology: TopologyName; proxy?: Partial<FileProxy> | undefined; resources?: { sidecar?: unknown } | undefined; protocol?: LoadProtocol | undefined; conntrack?: unknown }[] | undefined;
  proxy: FileProxy;
}

/**
 * An arm's proxy: its own fields over the scenario's `proxy:`. An arm that names another profile
 * keeps only workerThreads from the scenario's proxy (a version or image of one proxy means
 * nothing to another).
 */
export function mergeProxy(defaults: FileProxy, own: Partial<FileProxy> | undefined): FileProxy {
  if (!own) return defaults;
  const sameProfile = own.profile === undefined || own.profile === defaults.profile;
  const base: FileProxy = sameProfile ? defaults : { profile: own.profile as ProxyProfileName, workerThreads: defaults.workerThreads };
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) merged[key] = value;
  return merged as unknown as FileProxy;
}

/** The arms a file describes: its `arms:` list, or one arm per topology named after it. */
export function fileArms(file: ArmsFile): FileArm[] {
  if (file.arms) {
    return file.arms.map((arm, index) => ({
      name: arm.name ?? arm.topology,
      topology: arm.topology,
      ...(hasSidecar(arm.topology) ? { proxy: mergeProxy(file.proxy, arm.proxy) } : {}),
      proxyPath: arm.proxy ? ['arms', index, 'proxy'] : ['proxy'],
      path: ['arms', index],
      ...(arm.protocol ? { protocol: arm.protocol } : {}),
    }));
  }
  return (file.topologies ?? []).map((topology, index) => ({
    name: topology,
    topology,
    ...(hasSidecar(topology) ? { proxy: file.proxy } : {}),
    proxyPath: ['proxy'],
    path: ['topologies', index],
  }));
}

export interface Issue {
  path: Path;
  message: string;
}

/** Problems of the arms list as a whole: one of topologies/arms, unique names, app-only once and proxy-less. */
export function armListProblems(file: ArmsFile): Issue[] {
  if (file.topologies && file.arms) return [{ path: ['arms'], message: 'give either topologies (one arm per topology, all with the scenario’s proxy) or arms, not both' }];
  if (!file.topologies && !file.arms) return [{ path: ['topologies'], message: 'missing; expected topologies: [app-only, sidecar, …] or an arms: list' }];
  if (!file.arms) return [];
  const issues: Issue[] = [];
  const firstByName = new Map<string, number>();
  // One app-only arm per protocol: each is the baseline of the arms that speak its protocol.
  const appOnlyByProtocol = new Map<string, number>();
  file.arms.forEach((arm, index) => {
    const name = arm.name ?? arm.topology;
    const where = arm.name === undefined ? ['arms', index, 'topology'] : ['arms', index, 'name'];
    const first = firstByName.get(name);
    if (first !== undefined) {
      issues.push({ path: where, message: `arm name "${name}" is already used by arms[${first}]; give each arm its own name${arm.name === undefined ? ' (an arm without a name is named after its topology)' : ''}` });
    } else firstByName.set(name, index);
    if (name.endsWith(RESERVED_ARM_SUFFIX)) issues.push({ path: where, message: `arm names ending in "${RESERVED_ARM_SUFFIX}" are reserved for the baseline side of --interleave-with` });
    if (!hasSidecar(arm.topology)) {
      if (arm.proxy) issues.push({ path: ['arms', index, 'proxy'], message: 'app-only has no sidecar; remove proxy from this arm' });
      if (arm.resources?.sidecar) issues.push({ path: ['arms', index, 'resources', 'sidecar'], message: 'app-only has no sidecar; remove resources.sidecar from this arm' });
      if (arm.conntrack) issues.push({ path: ['arms', index, 'conntrack'], message: 'app-only has no sidecar-to-app hop to exempt (and no interception rules); remove conntrack from this arm' });
      const protocol = arm.protocol ?? 'the scenario’s';
      const appOnly = appOnlyByProtocol.get(protocol);
      if (appOnly !== undefined) issues.push({ path: ['arms', index, 'topology'], message: `only one app-only arm per protocol (arms[${appOnly}] is already the baseline every overhead of ${protocol} protocol is measured against)` });
      else appOnlyByProtocol.set(protocol, index);
    }
  });
  return issues;
}

/**
 * Capability problems of each arm's proxy, named at the field that asks for the capability, with
 * the driver's own reason (prefixed by the arm when the arm chose that proxy).
 */
export function armCapabilityProblems(
  arms: readonly FileArm[],
  mtls: { tlsVersion: string; cipher?: string | undefined; rotateDuringTrial: boolean },
  capabilities: (profile: ProxyProfileName) => ProxyCapabilities,
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  // Arms sharing the scenario's proxy would repeat the same problem at the same field.
  const add = (arm: FileArm, path: Path, capability: ProxyCapabilities[keyof Omit<ProxyCapabilities, 'protocols' | 'protocolsOverMtls'>]) => {
    if (capability.supported) return;
    const message = arm.proxyPath[0] === 'arms' ? `arm "${arm.name}" runs ${arm.proxy?.profile}: ${capability.reason}` : capability.reason;
    const key = `${path.join('.')}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ path, message });
  };
  for (const arm of arms) {
    if (!arm.proxy) continue;
    const can = capabilities(arm.proxy.profile);
    if (arm.proxy.addedDelay !== undefined) add(arm, [...arm.proxyPath, 'addedDelay'], can.addedDelay);
    for (const problem of armProtocolProblems(arm, can)) issues.push(problem);
    if (!hasPeerTls(arm.topology)) continue;
    if (mtls.cipher && mtls.tlsVersion === '1.3') add(arm, ['mtls', 'cipher'], can.tls13CipherChoice);
    if (mtls.rotateDuringTrial) add(arm, ['mtls', 'rotateDuringTrial'], can.svidRotation);
  }
  return issues;
}

/**
 * Why an arm's own protocol (arms[].protocol) cannot run through its sidecars, at that field
 * (load.protocol itself is judged in protocol-schema.ts).
 */
function armProtocolProblems(arm: FileArm, can: ProxyCapabilities): Issue[] {
  const { protocol } = arm;
  if (protocol === undefined || protocol === 'http1') return [];
  const path = [...arm.path, 'protocol'];
  const who = `arm "${arm.name}"`;
  if (!can.protocols.includes(protocol)) return [{ path, message: `${who}: ${arm.proxy?.profile} sidecars do not carry ${protocol} here (they carry ${can.protocols.join(', ')})` }];
  const gap = peerTlsProtocolGap(protocol, arm.topology, can);
  if (gap) return [{ path, message: `${who}: ${protocol} through the ${arm.topology} topology with ${arm.proxy?.profile} sidecars: ${gap}` }];
  if (arm.proxy?.addedDelay !== undefined) return [{ path, message: `${who}: the added delay is calibrated with HTTP/1.1 only; remove proxy.addedDelay from this arm` }];
  return [];
}

/**
 * Each arm's proxy.version must be a release its driver pins, and not given beside proxy.image
 * (the image already says which build runs). Named where the version is written.
 */
export function armVersionProblems(arms: readonly FileArm[], versionsOf: (profile: ProxyProfileName) => VersionChoice): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const arm of arms) {
    if (arm.proxy?.version === undefined) continue;
    const { profile, version, image } = arm.proxy;
    const versions = versionsOf(profile);
    const path = [...arm.proxyPath, 'version'];
    const who = arm.proxyPath[0] === 'arms' ? `arm "${arm.name}": ` : '';
    let message: string | undefined;
    if ('reason' in versions) message = `${who}${versions.reason}`;
    else if (image !== undefined) message = `${who}proxy.image already says which build runs; give proxy.image or proxy.version, not both`;
    else if (!versions.pinned.includes(version)) message = `${who}${profile} ${version} is not pinned; pinned: ${versions.pinned.join(', ')}`;
    const key = `${path.join('.')}|${message}`;
    if (message === undefined || seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message });
  }
  return issues;
}
