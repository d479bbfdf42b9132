// What every fault that matches packets by a node's uid needs: root and iptables, nodes under their own uids.
import { firewallCapability } from '../firewall/index.ts';
import type { FaultNeeds } from './fault.ts';

/** Per-node users, or why this machine cannot tell nodes' packets apart; `what` names the fault in the reason. */
export function ownerMatchNeeds(what: string, skip: string): FaultNeeds {
  const cap = firewallCapability();
  if (!cap.usable) return { unavailable: { reason: `${what}, which needs the firewall: ${cap.reason}.`, fix: `run as root with iptables installed (Debian: apt-get install iptables), or ${skip}.` } };
  return { perNodeUsers: true };
}
