import { graphlib, layout } from '@dagrejs/dagre';

/** Every node has this size, so dagre can lay out before React draws anything. */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 68;

export interface Positioned {
  id: string;
  /** The top-left corner, as React Flow places nodes. */
  x: number;
  y: number;
}

/**
 * Left-to-right layered layout (parents left of their children). The gap between layers is wide
 * enough for an edge label of a few manipulator names to sit on the edge between two nodes.
 */
export function layoutLeftToRight(
  nodes: { id: string }[],
  edges: { id: string; source: string; target: string }[],
): Map<string, Positioned> {
  const graph = new graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 200, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const edge of edges) {
    graph.setEdge(edge.source, edge.target, {}, edge.id);
  }
  layout(graph);
  const positions = new Map<string, Positioned>();
  for (const node of nodes) {
    const placed = graph.node(node.id);
    // dagre gives centres; React Flow wants corners.
    positions.set(node.id, {
      id: node.id,
      x: (placed.x ?? 0) - NODE_WIDTH / 2,
      y: (placed.y ?? 0) - NODE_HEIGHT / 2,
    });
  }
  return positions;
}
