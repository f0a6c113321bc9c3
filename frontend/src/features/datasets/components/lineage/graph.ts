import type { Schemas } from '@/api/client';
import type { StepSpec } from '@/api/pipeline-config';
import { SPLITS } from '@/lib/enums';
import { type EdgeTransform, edgeTransform } from '../../api/shapes';

type Lineage = Schemas['Lineage'];
type LineageNode = Schemas['LineageNode'];
type LineageEdge = Schemas['LineageEdge'];
type Split = Schemas['Split'];

/**
 * How far the lineage is asked for each way: the API's maximum (1..=50), so the graph shows the
 * whole history of any real pipeline chain.
 */
export const LINEAGE_DEPTH = 50;

/** An edge label longer than this is cut (the full text is in its tooltip and the list below). */
const SHORT_LABEL = 64;

export interface GraphNode {
  id: string;
  node: LineageNode;
  /** The version the graph is about. */
  current: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  edge: LineageEdge;
  transform: EdgeTransform;
  /** The manipulators, short enough for the edge. */
  label: string;
  /** The manipulators with all their parameters. */
  title: string;
}

function paramText(value: unknown): string {
  if (Array.isArray(value)) return value.map(paramText).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `name(key=value, …)`, or the bare name of a step without parameters. */
export function stepText(step: StepSpec): string {
  const params = Object.entries(step.params ?? {});
  if (params.length === 0) return step.name;
  return `${step.name}(${params.map(([key, value]) => `${key}=${paramText(value)}`).join(', ')})`;
}

function chainText(steps: StepSpec[]): string {
  return steps.map(stepText).join(' → ');
}

/** What an edge did to its parent, in one line: the per-source chain, then the post-merge one. */
export function transformText(transform: EdgeTransform): string {
  const sources = transform.sources
    .map((source) => chainText(source.steps))
    .filter((text) => text !== '');
  const parts = [sources.join(' | ')].filter((text) => text !== '');
  if (transform.postMerge.length > 0) {
    parts.push(`merged, then ${chainText(transform.postMerge)}`);
  }
  return parts.length > 0 ? parts.join(' ⇒ ') : 'copied as is';
}

function shorten(text: string): string {
  return text.length <= SHORT_LABEL ? text : `${text.slice(0, SHORT_LABEL - 1)}…`;
}

/** The splits that occur in a lineage, in the usual order (train, val, test, none). */
export function splitsOf(lineage: Lineage): Split[] {
  const present = new Set(lineage.nodes.map((node) => node.dataset.split));
  return (Object.keys(SPLITS) as Split[]).filter((split) => present.has(split));
}

/**
 * The nodes and edges to draw: only the versions of the chosen splits (all when `splits` is
 * undefined), and the edges whose two ends are both drawn. An edge is never redrawn through a
 * hidden version: a line between two versions that were not built one from the other would
 * claim a derivation that did not happen.
 */
export function lineageGraph(
  lineage: Lineage,
  splits?: ReadonlySet<Split>,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = lineage.nodes
    .filter((node) => splits === undefined || splits.has(node.dataset.split))
    .map((node) => ({ id: node.dataset.id, node, current: node.dataset.id === lineage.root }));
  const shown = new Set(nodes.map((node) => node.id));
  const seen = new Map<string, number>();
  const edges = lineage.edges
    .filter((edge) => shown.has(edge.parent_id) && shown.has(edge.child_id))
    .map((edge) => {
      const key = `${edge.parent_id}->${edge.child_id}`;
      // Unique ids even if the API ever lists one pair twice: React Flow keys edges by id.
      const repeat = seen.get(key) ?? 0;
      seen.set(key, repeat + 1);
      const transform = edgeTransform(edge.transform_config);
      const title = transformText(transform);
      return {
        id: repeat === 0 ? key : `${key}#${repeat}`,
        source: edge.parent_id,
        target: edge.child_id,
        edge,
        transform,
        label: shorten(title),
        title,
      };
    });
  return { nodes, edges };
}

/** Whether the API stopped at the depth asked for, so there may be more beyond. */
export function isTruncated(lineage: Lineage): boolean {
  const deepest = lineage.nodes.reduce((max, node) => Math.max(max, Math.abs(node.depth)), 0);
  return lineage.edges.length > 0 && deepest >= lineage.depth;
}
