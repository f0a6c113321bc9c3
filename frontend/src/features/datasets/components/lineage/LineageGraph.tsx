import '@xyflow/react/dist/style.css';
import {
  Background,
  BaseEdge,
  Controls,
  type Edge,
  type EdgeProps,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  getBezierPath,
} from '@xyflow/react';
import { type CSSProperties, useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { DatasetStatusBadge } from '@/components/StatusBadge';
import { DATASET_TYPES, SPLITS } from '@/lib/enums';
import { DATASET_TYPE_COLOURS } from '../presentation';
import type { GraphEdge, GraphNode } from './graph';
import { NODE_HEIGHT, NODE_WIDTH, layoutLeftToRight } from './layout';
import './lineage.css';

type DatasetNodeData = {
  node: Schemas['LineageNode'];
  current: boolean;
  href: string;
};
type DatasetFlowNode = Node<DatasetNodeData, 'dataset'>;
type TransformEdgeData = { label: string; title: string };
type TransformFlowEdge = Edge<TransformEdgeData, 'transform'>;

/**
 * A version: its group, split and version, coloured by dataset type. The whole card is a link,
 * so a click (or Enter on the focused link) opens that version in the app.
 */
function DatasetNode({ data }: NodeProps<DatasetFlowNode>) {
  const { node, current, href } = data;
  const dataset = node.dataset;
  const colour = DATASET_TYPE_COLOURS[node.dataset_type].hex;
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <Link
        to={href}
        // `nopan`: a press on a version is a click that opens it, never the start of a pan.
        className="dm-ln-node nopan"
        style={{ '--dm-ln-colour': colour } as CSSProperties}
        data-testid={`lineage-node-${dataset.id}`}
        data-current={current ? 'true' : 'false'}
        data-dataset-type={node.dataset_type}
        aria-current={current ? 'true' : undefined}
        title={`${node.group_name} · ${SPLITS[dataset.split]} · ${dataset.version} (${DATASET_TYPES[node.dataset_type]})${current ? ' — this version' : ''}`}
      >
        <span className="dm-ln-node-name">{node.group_name}</span>
        <span className="dm-ln-node-meta">
          <span>
            {SPLITS[dataset.split]} · {dataset.version}
          </span>
          <DatasetStatusBadge status={dataset.status} />
        </span>
      </Link>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </>
  );
}

/** A derivation, labelled with what was done on the way (the full text on hover). */
function TransformEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerEnd,
  data,
}: EdgeProps<TransformFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} />
      {/* HTML rather than SVG text: it wraps, and it needs no text measuring (getBBox). */}
      <EdgeLabelRenderer>
        <div
          className="dm-ln-edge-label nodrag nopan"
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={data?.title}
          data-testid="lineage-edge-label"
          data-edge-id={id}
        >
          {data?.label}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

// Stable objects: React Flow warns and re-creates every node when these change identity.
const NODE_TYPES = { dataset: DatasetNode };
const EDGE_TYPES = { transform: TransformEdge };
const FIT_VIEW = { padding: 0.15, maxZoom: 1 };
const MARKER = { type: MarkerType.ArrowClosed, width: 18, height: 18, color: '#8c8c8c' };
/** The graph's least height, with room for the zoom controls. */
const MIN_HEIGHT = 240;

/**
 * The lineage as a left-to-right DAG (React Flow, laid out by dagre). Its own module so the page
 * loads React Flow only when a lineage is shown.
 */
export function LineageGraph({
  nodes,
  edges,
  hrefOf,
  height,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  hrefOf: (node: Schemas['LineageNode']) => string;
  /** The most height the graph takes; a flatter graph takes less. */
  height: number;
}) {
  const flow = useMemo(() => {
    const positions = layoutLeftToRight(nodes, edges);
    const flowNodes: DatasetFlowNode[] = nodes.map(({ id, node, current }) => ({
      id,
      type: 'dataset',
      position: positions.get(id) ?? { x: 0, y: 0 },
      data: { node, current, href: hrefOf(node) },
      // Fixed sizes and handle places: edges are drawn on the first render, without waiting for
      // React Flow to measure the DOM (which jsdom cannot do at all).
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      handles: [
        { type: 'target', position: Position.Left, x: 0, y: NODE_HEIGHT / 2, width: 1, height: 1 },
        {
          type: 'source',
          position: Position.Right,
          x: NODE_WIDTH,
          y: NODE_HEIGHT / 2,
          width: 1,
          height: 1,
        },
      ],
      draggable: false,
      selectable: false,
      // React Flow lets clicks through a node that is neither draggable nor selectable (to the
      // pane below); this one is a link, so it takes them.
      style: { pointerEvents: 'all' },
      className: current ? 'dm-ln-flow-node dm-ln-current' : 'dm-ln-flow-node',
    }));
    const names = new Map(
      nodes.map(({ id, node }) => [
        id,
        `${node.group_name} ${SPLITS[node.dataset.split]} ${node.dataset.version}`,
      ]),
    );
    const flowEdges: TransformFlowEdge[] = edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      // Read out instead of React Flow's "Edge from <uuid> to <uuid>".
      ariaLabel: `${names.get(edge.source)} to ${names.get(edge.target)}: ${edge.title}`,
      type: 'transform',
      markerEnd: MARKER,
      data: { label: edge.label, title: edge.title },
    }));
    // A short chain does not need the whole height (the view is not zoomed in past 1:1).
    const ys = [...positions.values()].map((position) => position.y);
    const extent = ys.length > 0 ? Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT : 0;
    return { nodes: flowNodes, edges: flowEdges, extent };
  }, [nodes, edges, hrefOf]);

  return (
    <div
      className="dm-ln-canvas"
      style={{ height: Math.min(height, Math.max(MIN_HEIGHT, flow.extent + 120)) }}
      data-testid="lineage-graph"
    >
      <ReactFlow
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        // The page scrolls under the wheel as everywhere else; zoom with the controls or a pinch.
        zoomOnScroll={false}
        preventScrolling={false}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
