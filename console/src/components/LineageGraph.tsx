/**
 * Lineage as a picture: the entity in the middle, what points to it on the left (its correlation
 * id, idempotency key, operation), what it points to on the right, each arrow named by its edge
 * type. Every other node is a link to what the console knows about it; the same edges are listed
 * in a table for screen readers and copying.
 */
import type { LineageEdge } from '../api/types.ts';
import { addressOf } from './Shell.tsx';
import { links } from '../links.ts';
import { toQueryString } from '../lib/query.ts';
import { DataTable } from './DataTable.tsx';
import { Mono } from './layout.tsx';
import { Time } from './Time.tsx';

const NODE_W = 240;
const NODE_H = 34;
const ROW = 56;
const WIDTH = 1100;

/** Where a node leads: an edge type says what kind of id its ends are. */
function nodeHref(id: string, edgeType: string, end: 'source' | 'target'): string {
  if (end === 'source' && edgeType === 'CORRELATION_TO_RUN') return links.runs(toQueryString({ correlation_id: id }));
  if (end === 'source' && edgeType === 'IDEMPOTENCY_TO_RUN') return links.runs(toQueryString({ idempotency_key: id }));
  if (end === 'target' && edgeType === 'OPERATION_TO_CORRELATION') return links.runs(toQueryString({ correlation_id: id }));
  return addressOf(id);
}

function truncate(text: string, max = 34): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function Node({ x, y, label, href, current }: { x: number; y: number; label: string; href?: string; current?: boolean }) {
  const box = (
    <g class={current ? 'lineage-node current' : 'lineage-node'}>
      <rect x={x} y={y} width={NODE_W} height={NODE_H} rx={6} />
      <text x={x + NODE_W / 2} y={y + NODE_H / 2 + 4} text-anchor="middle">
        {truncate(label)}
      </text>
      <title>{label}</title>
    </g>
  );
  return href ? <a href={href}>{box}</a> : box;
}

/** One neighbour and its arrow: on the left it points to the entity, on the right the entity points to it. */
function Edge({ edge, side, x, y, centre }: { edge: LineageEdge; side: 'left' | 'right'; x: number; y: number; centre: readonly [number, number] }) {
  const [cx, cy] = centre;
  const node: readonly [number, number] = [side === 'left' ? x + NODE_W : x, y + NODE_H / 2];
  const entity: readonly [number, number] = [side === 'left' ? cx : cx + NODE_W, cy + NODE_H / 2];
  const [from, to] = side === 'left' ? [node, entity] : [entity, node];
  const id = side === 'left' ? edge.source_entity_id : edge.target_entity_id;
  return (
    <g>
      <line x1={from[0]} y1={from[1]} x2={to[0]} y2={to[1]} class="lineage-edge" marker-end="url(#arrow)" />
      <text x={(from[0] + to[0]) / 2} y={(from[1] + to[1]) / 2 - 6} text-anchor="middle" class="edge-label">
        {edge.edge_type}
      </text>
      <Node x={x} y={y} label={id} href={nodeHref(id, edge.edge_type, side === 'left' ? 'source' : 'target')} />
    </g>
  );
}

export function LineageGraph({ entityId, edges }: { entityId: string; edges: readonly LineageEdge[] }) {
  const incoming = edges.filter((e) => e.target_entity_id === entityId);
  const outgoing = edges.filter((e) => e.source_entity_id === entityId && e.target_entity_id !== entityId);
  const rows = Math.max(1, incoming.length, outgoing.length);
  const height = rows * ROW + 20;
  const centreY = height / 2 - NODE_H / 2;
  const left = 10;
  const right = WIDTH - NODE_W - 10;
  const middle = WIDTH / 2 - NODE_W / 2;
  const yOf = (i: number, n: number) => height / 2 - (n * ROW) / 2 + i * ROW + (ROW - NODE_H) / 2;
  return (
    <figure class="lineage">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="group" aria-label={`Lineage of ${entityId}: ${edges.length} edges; each other end is a link`} data-testid="lineage-graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#57606a" />
          </marker>
        </defs>
        {incoming.map((e, i) => (
          <Edge key={`in-${e.source_entity_id}-${e.edge_type}`} edge={e} side="left" x={left} y={yOf(i, incoming.length)} centre={[middle, centreY]} />
        ))}
        {outgoing.map((e, i) => (
          <Edge key={`out-${e.target_entity_id}-${e.edge_type}`} edge={e} side="right" x={right} y={yOf(i, outgoing.length)} centre={[middle, centreY]} />
        ))}
        <Node x={middle} y={centreY} label={entityId} current />
      </svg>
      <figcaption class="visually-hidden">Lineage edges of {entityId}</figcaption>
      <DataTable
        caption={`Lineage edges of ${entityId}`}
        rows={edges}
        rowKey={(e) => `${e.source_entity_id}|${e.edge_type}|${e.target_entity_id}`}
        columns={[
          { header: 'From', cell: (e) => <Mono>{e.source_entity_id}</Mono> },
          { header: 'Edge', cell: (e) => e.edge_type },
          { header: 'To', cell: (e) => <Mono>{e.target_entity_id}</Mono> },
          { header: 'Recorded', cell: (e) => <Time iso={e.created_at} /> },
        ]}
      />
    </figure>
  );
}
