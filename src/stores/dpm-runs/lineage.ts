/**
 * Lineage edges of the DPM run store: written with runs and operations, read per entity, and
 * removed with what they touch when runs or operations are purged.
 */
import type { SqlExecutor, SqlQueryable } from '../sql/executor.ts';
import { jsonParam, listPage } from '../sql/queries.ts';
import { isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import type { DpmRunStore, LineageEdge, LineageFilter } from './port.ts';
import { INVALID_CURSOR, toEdge } from './rows.ts';

const EDGE_DELETE_CHUNK = 500;
const EDGE_INSERT_CHUNK = 100;

/** Multi-row INSERTs (every statement is a round trip on simulate's hot path), chunked under both engines' parameter limits. */
export async function insertEdges(tx: SqlQueryable, edges: readonly LineageEdge[]): Promise<void> {
  for (let start = 0; start < edges.length; start += EDGE_INSERT_CHUNK) {
    const chunk = edges.slice(start, start + EDGE_INSERT_CHUNK);
    const rows = chunk.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`);
    await tx.execute(
      `INSERT INTO dpm_lineage_edges (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json) VALUES ${rows.join(', ')}`,
      chunk.flatMap((edge) => [edge.edge_id, edge.source_entity_id, edge.edge_type, edge.target_entity_id, isoTimestamp(edge.created_at), jsonParam(edge.metadata_json)]),
    );
  }
}

/** Edges whose source or target is one of `ids`, in chunks that stay under both engines' parameter limits. */
export async function deleteEdgesTouching(tx: SqlQueryable, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += EDGE_DELETE_CHUNK) {
    const chunk = ids.slice(start, start + EDGE_DELETE_CHUNK);
    const list = chunk.map((_, i) => `$${i + 1}`).join(', ');
    await tx.execute(`DELETE FROM dpm_lineage_edges WHERE source_entity_id IN (${list}) OR target_entity_id IN (${list})`, chunk);
  }
}

export function lineageQueries(db: SqlExecutor): Pick<DpmRunStore, 'appendLineageEdges' | 'listLineageEdges'> {
  return {
    async appendLineageEdges(edges) {
      if (edges.length > 0) await db.transaction((tx) => insertEdges(tx, edges));
    },
    async listLineageEdges(entityId: string, filter: LineageFilter) {
      const where = new Where();
      const id = where.param(entityId);
      where
        .add(`(source_entity_id = ${id} OR target_entity_id = ${id})`)
        .when(filter.edge_type, 'edge_type = ?')
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?');
      return listPage(db,
        { select: 'SELECT * FROM dpm_lineage_edges', where, orderTime: 'created_at', orderId: 'edge_id', direction: 'ASC', cursor: filter.cursor, invalidCursor: INVALID_CURSOR },
        filter.limit,
        toEdge,
        (e) => ({ createdAt: e.created_at, id: e.edge_id }),
      );
    },
  };
}
