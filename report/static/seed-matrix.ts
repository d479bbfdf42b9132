// The seed's Test Matrix and Future Work (shared/seed/T040-S4-service-reconnection-scenarios.md) as
// data: the reference every spec's matrix is linted against and every gap cell's recommendation.
import type { MatrixStatus, ServiceName } from '../../dsl/services.ts';

/** The seed's four service columns, in its order (etcd is ours, not the seed's). */
export const SEED_SERVICES = ['chainfire', 'flaredb', 'plasmavmc', 'iam'] as const satisfies readonly ServiceName[];

/** Column headings as the seed writes them. */
export const SERVICE_TITLES: Readonly<Record<ServiceName, string>> = { etcd: 'etcd', chainfire: 'ChainFire', flaredb: 'FlareDB', plasmavmc: 'PlasmaVMC', iam: 'IAM' };

/** A seed service column. */
export type SeedService = (typeof SEED_SERVICES)[number];

/** One row of the seed's table. */
export interface SeedRow {
  id: string;
  title: string;
  cells: Record<SeedService, MatrixStatus>;
}

/** The seed's "Test Matrix" table, copied cell by cell. */
export const SEED_MATRIX: readonly SeedRow[] = [
  { id: 'S1', title: 'Raft Recovery', cells: { chainfire: 'TEST', flaredb: 'n/a', plasmavmc: 'n/a', iam: 'n/a' } },
  { id: 'S2', title: 'PD Reconnect', cells: { chainfire: 'n/a', flaredb: 'TEST', plasmavmc: 'n/a', iam: 'n/a' } },
  { id: 'S3', title: 'Network Partition', cells: { chainfire: 'TEST', flaredb: 'TEST', plasmavmc: 'SKIP', iam: 'SKIP' } },
  { id: 'S4', title: 'Restart Recovery', cells: { chainfire: 'TEST', flaredb: 'TEST', plasmavmc: 'DOC-GAP', iam: 'DOC-GAP' } },
  { id: 'S5', title: 'Watch Recovery', cells: { chainfire: 'DOC-GAP', flaredb: 'DOC-GAP', plasmavmc: 'n/a', iam: 'n/a' } },
];

/** The seed's "Future Work (Identified Gaps)", verbatim. */
export const SEED_FUTURE_WORK = {
  plasmavmc: 'PlasmaVMC: Add retry logic for remote service calls',
  iam: 'IAM Client: Add exponential backoff retry',
  watch: 'Watch streams: Add auto-reconnect wrapper',
} as const;

/** Future Work keyed by the gap cell it closes (`S4/iam`): the seed's DOC-GAP cells. */
export const SEED_RECOMMENDATIONS: Readonly<Record<string, string>> = {
  'S4/plasmavmc': SEED_FUTURE_WORK.plasmavmc,
  'S4/iam': SEED_FUTURE_WORK.iam,
  'S5/chainfire': SEED_FUTURE_WORK.watch,
  'S5/flaredb': SEED_FUTURE_WORK.watch,
};

/** The seed's row for a scenario id, if the seed has one. */
export function seedRow(id: string): SeedRow | undefined {
  return SEED_MATRIX.find((r) => r.id === id);
}

/** The seed's status for a cell, if the seed has that row and column. */
export function seedStatus(id: string, service: string): MatrixStatus | undefined {
  return (seedRow(id)?.cells as Record<string, MatrixStatus> | undefined)?.[service];
}

/** The seed's recommendation for a cell, if it names one. */
export function seedRecommendation(id: string, service: string): string | undefined {
  return SEED_RECOMMENDATIONS[`${id}/${service}`];
}
