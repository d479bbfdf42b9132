// The services a matrix may name. Names only: the definitions live in services/.

/** Every service column Faultline knows, in the seed's order plus the embedded default. */
export const SERVICE_NAMES = ['etcd', 'chainfire', 'flaredb', 'plasmavmc', 'iam'] as const;

/** A service column of the matrix. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The seed's four cell statuses. */
export const MATRIX_STATUSES = ['TEST', 'SKIP', 'DOC-GAP', 'n/a'] as const;

/** A matrix cell. */
export type MatrixStatus = (typeof MATRIX_STATUSES)[number];
