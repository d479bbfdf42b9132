// The firewall's public surface: one import for the run, the watchdog and the DSL's network faults.
export { Firewall, seedRule, type FirewallOptions, type ChainCleanup } from './firewall.ts';
export { firewallCapability, type FirewallCapability } from './capability.ts';
export { FirewallError } from './firewall-error.ts';
export { CHAIN_PREFIX, newChainNames, parseChainName, type ChainNames } from './chain-name.ts';
export { validatePartition, crossRules, establishedRules, type PartitionNode, type PartitionGroups } from './partition-rules.ts';
export { ensureNodeUser, lookupUser, nodeUserName, prepareDirForUser, type NodeUser } from './node-users.ts';
export { loopbackConnections, type TcpSocket } from './tcp-sockets.ts';
export { iptables, iptablesRestore } from './iptables.ts';
export { type RuleCounter } from './rule-counters.ts';
export { tcpRetransmits, retransmitsBetween, type SocketRetransmits, type RetransmitDelta } from './tcp-retransmits.ts';
