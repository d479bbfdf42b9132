// The proxy's public surface: one import for the run and the DSL.
export { FaultProxy, type FaultProxyOptions } from './fault-proxy.ts';
export { describeFault, validateFault, faultKinds, type Fault } from './faults.ts';
export {
  connectionAttempts, gaps, blindSpans, refuseNote,
  type LinkRecords, type ConnectionRecord, type FaultSpan, type CloseCause,
} from './link-records.ts';
export { ProxyError } from './proxy-error.ts';
export { PeerGate, type PeerGateOptions } from './peer-gate.ts';
export { dialerUid } from './dialer.ts';
export { LinkHost, HostedLink } from './link-host.ts';
