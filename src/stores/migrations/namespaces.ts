/** Each store migrates its own namespace, so a DSN only ever receives the tables of its stores. */
export const NAMESPACES = ['dpm', 'proposals', 'policy_packs'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** The two engines share file handling and planning; their codes carry the engine's prefix. */
export type MigrationEngine = 'POSTGRES' | 'SQLITE';
