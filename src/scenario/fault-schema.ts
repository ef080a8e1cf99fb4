import type { LoadProtocol } from '../load/protocols.js';
import type { FileArm, Issue } from './arms-schema.js';

interface FaultFieldsFile {
  load: { protocol?: LoadProtocol | undefined };
  arms?: { load?: { keepAlive: boolean } | undefined }[] | undefined;
}

/**
 * Combinations of the fault scenarios' fields that would not run as written, each named at its
 * field: a per-request connection (load.keepAlive: false) only exists in the HTTP/1.1 client; an
 * inbound sidecar sending to the pod's IP does not pass the calibration delay relay (it listens on
 * loopback) nor the TCP ports it carries at L4 (those keep 127.0.0.1).
 */
export function faultFieldProblems(file: FaultFieldsFile, arms: readonly FileArm[]): Issue[] {
  const issues: Issue[] = [];
  arms.forEach((arm, index) => {
    const protocol = arm.protocol ?? file.load.protocol ?? 'http1';
    if (file.arms?.[index]?.load?.keepAlive === false && protocol !== 'http1') {
      issues.push({ path: [...arm.path, 'load', 'keepAlive'], message: `a new connection per request is an HTTP/1.1 load only; this arm speaks ${protocol}` });
    }
    if (arm.proxy?.inboundEndpoint !== 'pod-ip') return;
    const path = [...arm.proxyPath, 'inboundEndpoint'];
    const who = arm.proxyPath[0] === 'arms' ? '' : `arm "${arm.name}": `;
    if (arm.proxy.addedDelay !== undefined) issues.push({ path, message: `${who}pod-ip does not pass the added delay's relay (it listens on loopback); remove proxy.addedDelay or use localhost` });
    if (protocol === 'tcp') issues.push({ path, message: `${who}pod-ip is rendered for HTTP traffic only; the TCP ports carried at L4 keep 127.0.0.1` });
  });
  return issues;
}
