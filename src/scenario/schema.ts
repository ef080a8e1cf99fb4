import { z } from 'zod';
import { checkGateApplicability } from './gate-checks.js';
import { gatesSchema } from './gates-schema.js';
import { sweepSchema } from './sweep-schema.js';
import { hasPeerTls, hasSidecar, topologyDefinition } from '../topology/catalog.js';
import { REFERENCE_TOPOLOGY } from './gate-applicability.js';
import { proxyDriver } from '../proxies/registry.js';
import { appBindSchema, armCapabilityProblems, armListProblems, armsSchema, armVersionProblems, fileArms, inboundEndpointSchema } from './arms-schema.js';
import { PROXY_PROFILE_NAMES, TOPOLOGY_NAMES } from './topologies.js';
import { protocolLoadFields, protocolProblems } from './protocol-schema.js';
import { faultFieldProblems } from './fault-schema.js';
import { podResourcesSchema, sysctlsSchema } from './resources-schema.js';
import { DURATION_FORMS, RATE_FORMS, SIZE_FORMS, parseDurationUs, parseRatePerSecond, parseSizeBytes } from './units.js';

function withUnit(parse: (text: string) => number | undefined, forms: string) {
  return z.string({ error: `expected ${forms}` }).transform((text, ctx) => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${forms}; got "${text}"` });
      return z.NEVER;
    }
    return value;
  });
}

const durationUs = withUnit(parseDurationUs, DURATION_FORMS);
/** A proxy's route timeout: whole ms, at least 1 ms (both proxies take ms). */
const routeTimeoutUs = durationUs.refine((us) => us >= 1000 && us % 1000 === 0, { error: 'expected whole milliseconds of at least 1ms, like "50ms" or "15s"' });
const ratePerSecond = withUnit(parseRatePerSecond, RATE_FORMS).refine((rate) => rate > 0, { error: 'expected a rate above 0' });
const sizeBytes = withUnit(parseSizeBytes, SIZE_FORMS);
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });

const topologyName = z.enum(TOPOLOGY_NAMES, {
  error: (issue) => `unknown topology ${JSON.stringify(issue.input)}; expected one of ${TOPOLOGY_NAMES.join(', ')}`,
});

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;
const cpuList = z.string().regex(CPU_LIST, { error: 'expected a cpuset list like "0", "1" or "0-1"' });

const requestSchema = z
  .strictObject({
    method: z.enum(['GET', 'POST', 'PUT'], { error: 'expected GET, POST or PUT' }).default('GET'),
    path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).default('/'),
    body: sizeBytes.default(0),
  })
  .default({ method: 'GET', path: '/', body: 0 });

const saturationSchema = z.strictObject({
  connections: wholeNumber(1, 10_000),
  duration: durationUs.refine((us) => us >= 1_000_000, { error: 'expected at least 1s' }),
});

/** A closed loop on the same pods after each trial's main load: the headline overhead re-checked without a rate. */
const closedCheckSchema = z.strictObject({
  connections: wholeNumber(1, 10_000).default(1),
  duration: durationUs.refine((us) => us >= 1_000_000, { error: 'expected at least 1s' }),
});

const commonLoadFields = {
  /** After the main load of each trial, a closed-model burst that finds the throughput ceiling. */
  saturation: saturationSchema.optional(),
  closedCheck: closedCheckSchema.optional(),
  warmup: durationUs.default(2_000_000),
  duration: durationUs.refine((us) => us >= 1_000_000, { error: 'expected at least 1s' }),
  // Honoured exactly by the load agent, whose timers have 1 ms resolution.
  timeout: durationUs.refine((us) => us >= 1000 && us % 1000 === 0, { error: 'expected whole milliseconds of at least 1ms, like "1400ms" or "10s" (the load agent’s timers have 1 ms resolution)' }).default(10_000_000),
  request: requestSchema,
  ...protocolLoadFields,
  /** websocket and tcp: the payload of every echo message (the app echoes it back); absent: 1KiB. */
  messageSize: sizeBytes.refine((bytes) => bytes >= 1 && bytes <= 16 * 1024 * 1024, { error: 'expected 1B to 16MiB' }).optional(),
};

/** A closed load as written; "model" may be left out (the loader fills in closed, and the JSON Schema says so). */
export const closedLoadFileSchema = z.strictObject({ model: z.literal('closed'), connections: wholeNumber(1, 10_000), ...commonLoadFields });

const loadSchema = z.preprocess(
  // "model" may be left out: closed is the default.
  (value) => (value && typeof value === 'object' && !('model' in value) ? { ...value, model: 'closed' } : value),
  z.discriminatedUnion(
    'model',
    [
      closedLoadFileSchema,
      z.strictObject({
        model: z.literal('open'),
        /** Required unless a sweep: section sets the rate per step. */
        rate: ratePerSecond.optional(),
        arrivals: z.enum(['uniform', 'poisson'], { error: 'expected uniform or poisson' }).default('uniform'),
        connections: wholeNumber(1, 10_000).default(16),
        ...commonLoadFields,
      }),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? 'missing; expected a load section (model: closed with connections, or model: open with rate)'
          : 'expected model: closed (with connections) or model: open (with rate)',
    },
  ),
);

const identityName = z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected letters, digits, ".", "-" or "_" (a SPIFFE ID path segment)' });

/** The mtls topologies: the trust domain sidecar-bench issues SVIDs for, and the TLS settings. */
const mtlsSchema = z
  .strictObject({
    trustDomain: z.string().regex(/^[a-z0-9._-]+$/, { error: 'expected lower-case letters, digits, ".", "-" or "_"' }).default('cluster.local'),
    namespace: identityName.default('bench'),
    clientServiceAccount: identityName.default('loadgen'),
    serverServiceAccount: identityName.default('app'),
    keyAlgorithm: z.enum(['ecdsa-p256', 'rsa-2048'], { error: 'expected ecdsa-p256 or rsa-2048' }).default('ecdsa-p256'),
    svidTtl: durationUs.refine((us) => us >= 60_000_000, { error: 'expected at least 1m' }).default(3_600_000_000),
    tlsVersion: z.enum(['1.2', '1.3'], { error: 'expected "1.2" or "1.3" (quote it)' }).default('1.3'),
    /** TLS 1.2: an OpenSSL cipher (e.g. ECDHE-ECDSA-AES128-GCM-SHA256); TLS 1.3: a suite (e.g. TLS_AES_128_GCM_SHA256). */
    cipher: z.string().regex(/^[A-Z0-9_-]+$/, { error: 'expected one cipher name, e.g. ECDHE-ECDSA-AES128-GCM-SHA256' }).optional(),
    /** Re-issue every SVID in the middle of each mtls trial, under load. */
    rotateDuringTrial: z.boolean({ error: 'expected true or false' }).default(false),
    /** false: every new TLS connection between the sidecars is a full handshake (no session reuse, no tickets). */
    sessionResumption: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .default({
    trustDomain: 'cluster.local',
    namespace: 'bench',
    clientServiceAccount: 'loadgen',
    serverServiceAccount: 'app',
    keyAlgorithm: 'ecdsa-p256',
    svidTtl: 3_600_000_000,
    tlsVersion: '1.3',
    rotateDuringTrial: false,
    sessionResumption: true,
  });

/** The scenario file as written: units still in strings, every key known. */
export const scenarioFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'expected lower-case letters, digits and dashes (it names the report folder)' })
    .optional(),
  description: z.string().optional(),
  /** The simple form: one arm per topology, each with the scenario's proxy. */
  topologies: z
    .array(topologyName, { error: 'expected a list of topology names' })
    .min(1, { error: 'expected at least one topology' })
    .refine((names) => new Set(names).size === names.length, { error: 'a topology is listed twice' })
    .optional(),
  /** Instead of topologies: named arms, each a topology with its own proxy settings over `proxy:`. */
  arms: armsSchema(topologyName, { durationUs, workerThreads: wholeNumber(1, 64), resources: podResourcesSchema, sysctls: sysctlsSchema, routeTimeoutUs }).optional(),
  proxy: z
    .strictObject({
      profile: z.enum(PROXY_PROFILE_NAMES, {
        error: `expected one of ${PROXY_PROFILE_NAMES.join(', ')}`,
      }),
      workerThreads: wholeNumber(1, 64).default(1),
      image: z.string().min(1).optional(),
      /** Which pinned release of the proxy (Envoy: built from the pinned PyPI wheel); default the newest. */
      version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'expected a release like "1.40.0"' }).optional(),
      /** A known fixed delay the server sidecar adds to every request (calibration, gate tests). */
      addedDelay: durationUs.optional(),
      /** How long each sidecar waits for its upstream's answer before a 504 (Envoy route timeout, HAProxy timeout server); default 130s. */
      routeTimeout: routeTimeoutUs.optional(),
      /**
       * Where the inbound sidecar sends the app's traffic: localhost (127.0.0.1:port, Istio before
       * 1.10; the default) or pod-ip (the connection's original destination, the pod's own IP:
       * Istio since 1.10, where an app listening on 127.0.0.1 only is refused).
       */
      inboundEndpoint: inboundEndpointSchema.optional(),
    })
    .default({ profile: 'haproxy', workerThreads: 1 }),
  app: z
    .strictObject({
      responseBody: sizeBytes.default(1024),
      // The app waits with a Node timer, which has 1 ms resolution.
      serviceTime: durationUs.refine((us) => us % 1000 === 0, { error: 'expected 0 or whole milliseconds, like "2ms" (the app’s timer has 1 ms resolution)' }).default(0),
      /** false: the app answers every HTTP/1.1 request with Connection: close, so its sidecar opens a new loopback connection per request. */
      keepAlive: z.boolean({ error: 'expected true or false' }).default(true),
      /** The address the app listens on: every address of its pod (default), or loopback only. */
      bind: appBindSchema.default('0.0.0.0'),
    })
    .default({ responseBody: 1024, serviceTime: 0, keepAlive: true, bind: '0.0.0.0' }),
  load: loadSchema,
  /** Kubernetes `resources:` of the sidecar and app containers, mapped to their cgroups as the kubelet does. */
  resources: podResourcesSchema.optional(),
  /** Network-namespace sysctls of every pod; absent: the seed's tunables (SEED_SYSCTLS); {}: the kernel's defaults. */
  sysctls: sysctlsSchema.optional(),
  /** Rounds; 6 is the fewest for which a 95 % interval over trials exists (src/analysis/statistics.ts). */
  trials: wholeNumber(1, 100).default(6),
  /** Whole rounds (every topology once) run first and discarded: the first round after pods start is not data. */
  warmupRounds: wholeNumber(0, 10).default(1),
  /**
   * Fresh pods every this many measured rounds: every arm's pods are removed and started again,
   * with one discarded warm-up round on them. What one pod happens to be (its processes' JIT state,
   * memory layout) then varies across rounds instead of biasing its arm for the whole run, as
   * JMH's forks do for one JVM. Absent: one set of pods for the run.
   */
  freshPodsEvery: wholeNumber(2, 100).optional(),
  sampling: z
    .strictObject({
      interval: durationUs
        .refine((us) => us >= 10_000 && us <= 250_000, { error: 'expected an interval from 10ms to 250ms' })
        .default(250_000),
    })
    .default({ interval: 250_000 }),
  mtls: mtlsSchema,
  /** Capacity planning: the offered rate swept per topology, the knee judged against an SLO (sweep-schema.ts). */
  sweep: sweepSchema.optional(),
  gates: gatesSchema,
  host: z
    .strictObject({
      /** Hold /dev/cpu_dma_latency at 0 during the run (needs root); see src/host/cpu-latency-hold.ts. */
      keepCpusAwake: z.boolean({ error: 'expected true or false' }).default(false),
      /**
       * Lower the host's net.netfilter.nf_conntrack_max (global on this kernel: every network
       * namespace counts its own entries against it) to this during the trials, restored after on
       * every path (src/host/host-sysctls.ts). Needs root in the host's network namespace.
       */
      conntrackMax: wholeNumber(256, 1_048_576).optional(),
    })
    .default({ keepCpusAwake: false }),
  placement: z
    .strictObject({
      cpusets: z
        .union([
          z.enum(['split', 'none']),
          z.strictObject({ client: cpuList, server: cpuList }),
        ], { error: 'expected "split", "none" or { client: "0", server: "1" }' })
        .default('split'),
    })
    .default({ cpusets: 'split' }),
});

/** Checks that span sections: names a gate uses must be topologies of the run, and so on. */
export const checkedScenarioFileSchema = scenarioFileSchema.superRefine((file, ctx) => {
  if (file.mtls.cipher && file.mtls.tlsVersion === '1.3' && !file.mtls.cipher.startsWith('TLS_')) {
    ctx.addIssue({ code: 'custom', path: ['mtls', 'cipher'], message: 'TLS 1.3 takes a suite like TLS_AES_128_GCM_SHA256; OpenSSL cipher names like ECDHE-… are for tlsVersion "1.2"' });
  }
  for (const issue of sweepProblems(file)) ctx.addIssue({ code: 'custom', ...issue });
  const listProblems = armListProblems(file);
  for (const issue of listProblems) ctx.addIssue({ code: 'custom', ...issue });
  if (listProblems.length > 0) return;
  const arms = fileArms(file);
  const bpfArm = arms.find((arm) => topologyDefinition(arm.topology).interception.startsWith('ebpf'));
  if (file.freshPodsEvery !== undefined && bpfArm) {
    ctx.addIssue({ code: 'custom', path: ['freshPodsEvery'], message: `fresh pods are not supported with eBPF interception (${bpfArm.name}: its programs attach to the pods' cgroups once per run); remove freshPodsEvery or that arm` });
  }
  const usesMtls = arms.some((arm) => hasPeerTls(arm.topology));
  if (usesMtls && file.mtls.cipher) {
    const rsa = file.mtls.keyAlgorithm === 'rsa-2048';
    if (/ECDSA/.test(file.mtls.cipher) && rsa) ctx.addIssue({ code: 'custom', path: ['mtls', 'cipher'], message: 'an ECDSA cipher cannot authenticate RSA keys; use ECDHE-RSA-… or keyAlgorithm: ecdsa-p256' });
    if (/-RSA-/.test(file.mtls.cipher) && !rsa) ctx.addIssue({ code: 'custom', path: ['mtls', 'cipher'], message: 'an RSA cipher cannot authenticate ECDSA keys; use ECDHE-ECDSA-… or keyAlgorithm: rsa-2048' });
  }
  // Every arm's proxy must be able to do what the scenario asks of it, in a release it pins.
  for (const issue of armCapabilityProblems(arms, file.mtls, (profile) => proxyDriver(profile).capabilities)) ctx.addIssue({ code: 'custom', ...issue });
  for (const issue of armVersionProblems(arms, (profile) => proxyDriver(profile).versions)) ctx.addIssue({ code: 'custom', ...issue });
  for (const issue of protocolProblems(file.load, arms, (profile) => proxyDriver(profile).capabilities)) ctx.addIssue({ code: 'custom', ...issue });
  for (const issue of faultFieldProblems(file, arms)) ctx.addIssue({ code: 'custom', ...issue });
  const armProfiles = [...new Set(arms.flatMap((arm) => (arm.proxy ? [arm.proxy.profile] : [])))];
  const connections = Math.max(file.load.connections, file.load.saturation?.connections ?? 0);
  for (const profile of armProfiles) {
    const connectionLimit = proxyDriver(profile).connectionLimit;
    if (connectionLimit && connections > connectionLimit.maxConnections) {
      const path = file.load.connections > connectionLimit.maxConnections ? ['load', 'connections'] : ['load', 'saturation', 'connections'];
      ctx.addIssue({ code: 'custom', path, message: `${profile} takes at most ${connectionLimit.maxConnections} connections per sidecar here (${connectionLimit.reason}); ask for at most that, or use another proxy.profile` });
    }
  }
  for (const profile of new Set(arms.flatMap((arm) => (arm.proxy && hasPeerTls(arm.topology) ? [arm.proxy.profile] : [])))) {
    const resumptionOff = proxyDriver(profile).capabilities.sessionResumptionOff;
    if (!file.mtls.sessionResumption && !resumptionOff.supported) ctx.addIssue({ code: 'custom', path: ['mtls', 'sessionResumption'], message: resumptionOff.reason });
  }
  const names = arms.map((arm) => arm.name);
  const reference = arms.find((arm) => arm.topology === REFERENCE_TOPOLOGY)?.name;
  checkGateApplicability({ ...file, arms: arms.map((arm) => ({ name: arm.name, hasSidecar: hasSidecar(arm.topology) })), ...(reference ? { reference } : {}) }, ctx);
  const known = new Set<string>(names);
  const kind = file.arms ? 'arms' : 'topologies';
  const check = (section: 'thresholds' | 'regressions', index: number, field: 'topology' | 'vs', name: string | undefined) => {
    if (name === undefined || (field === 'topology' && name === '*') || known.has(name)) return;
    ctx.addIssue({ code: 'custom', path: ['gates', section, index, field], message: `"${name}" is not one of this scenario's ${kind} (${names.join(', ')})${field === 'topology' ? ' or "*"' : ''}` });
  };
  file.gates.thresholds.forEach((entry, index) => {
    check('thresholds', index, 'topology', entry.topology);
    check('thresholds', index, 'vs', entry.vs);
  });
  file.gates.regressions?.forEach((entry, index) => {
    check('regressions', index, 'topology', entry.topology);
    check('regressions', index, 'vs', entry.vs);
  });
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;

/** A sweep drives the open model's rate; a file without one must give the rate itself. */
function sweepProblems(file: ScenarioFile): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (!file.sweep) {
    if (file.load.model === 'open' && file.load.rate === undefined) problems.push({ path: ['load', 'rate'], message: 'missing; expected a rate like "1000/s" (or a sweep: section that sets the rate per step)' });
    return problems;
  }
  if (file.load.model !== 'open') problems.push({ path: ['sweep'], message: 'a rate sweep needs load.model: open (the offered rate is what it sweeps)' });
  else if (file.load.rate !== undefined) problems.push({ path: ['load', 'rate'], message: 'a sweep sets the rate of every step; remove load.rate' });
  if (file.gates.rounds) problems.push({ path: ['gates', 'rounds'], message: 'adaptive rounds and a rate sweep do not combine; a sweep runs `trials` rounds per step' });
  if (file.freshPodsEvery !== undefined) problems.push({ path: ['freshPodsEvery'], message: 'fresh pods and a rate sweep do not combine; a sweep keeps its pods across steps' });
  return problems;
}
