// What the firewall records for the evidence, defined here so the firewall needs only a narrow recorder, not the run's log.

/** What the firewall did, for the evidence. */
export interface FirewallEvent {
  kind: 'firewall';
  action: string;
  chain: string;
  detail: string;
  [field: string]: unknown;
}

/** The run's event log as the firewall sees it: one kind of event in. */
export interface FirewallRecorder {
  record(kind: 'firewall', fields: Omit<FirewallEvent, 'kind'>): unknown;
}
