import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Alert, Flex, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { DatasetStatusBadge } from '@/components/StatusBadge';
import { formatCount, formatDateTime } from '@/lib/format';
import { SPLITS, optionsOf } from '@/lib/enums';
import type { StepSpec } from '@/api/pipeline-config';
import { useLineage } from '../api/lineage';
import { edgeTransform } from '../api/shapes';
import { DatasetTypeTag } from './DatasetTypeTag';
import { DATASET_TYPE_COLOURS } from './presentation';
import { type VersionOption, versionLabel } from './versions';
import './datasets.css';

type LineageNode = Schemas['LineageNode'];
type LineageEdge = Schemas['LineageEdge'];
/** An edge as one node shows it: the version at its other end, and which way it goes. */
interface EdgeRef {
  edge: LineageEdge;
  otherId: string;
  way: 'into' | 'from';
}

const DEPTHS = [1, 2, 3, 5, 10, 25, 50];
const DEFAULT_DEPTH = 10;

function nodeLabel(node: LineageNode): string {
  return `${node.group_name} · ${versionLabel(node.dataset)}`;
}

function Steps({ steps }: { steps: StepSpec[] }) {
  if (steps.length === 0) {
    return <span>taken as is</span>;
  }
  return (
    <Space size={4} wrap>
      {steps.map((step, index) => {
        const tag = (
          <Tag bordered={false} className="dm-ds-lineage-step">
            {step.name}
          </Tag>
        );
        return (
          <Space key={`${step.name}-${index}`} size={4}>
            {index > 0 ? <span aria-hidden>→</span> : null}
            {step.params && Object.keys(step.params).length > 0 ? (
              <Tooltip
                title={<pre style={{ margin: 0 }}>{JSON.stringify(step.params, null, 2)}</pre>}
              >
                {tag}
              </Tooltip>
            ) : (
              tag
            )}
          </Space>
        );
      })}
    </Space>
  );
}

/** One edge: which version is at its other end and what was done on the way. */
function EdgeLine({
  edge,
  other,
  way,
  isRoot,
}: {
  edge: LineageEdge;
  other: LineageNode | undefined;
  way: 'into' | 'from';
  isRoot: boolean;
}) {
  const transform = edgeTransform(edge.transform_config);
  const otherText = isRoot
    ? 'this version'
    : other
      ? nodeLabel(other)
      : 'a version outside the view';
  return (
    <div className="dm-ds-lineage-edge" data-testid="lineage-edge">
      <Flex gap={6} wrap align="center">
        <span>
          {way === 'into' ? 'Built into' : 'Built from'} {otherText}
          {transform.sources.length > 0 ? ':' : ''}
        </span>
        {transform.sources.map((source, index) => (
          <Flex key={index} gap={4} align="center" wrap>
            {transform.sources.length > 1 && source.sourceIndex !== undefined ? (
              <span>source #{source.sourceIndex + 1}</span>
            ) : null}
            <Steps steps={source.steps} />
          </Flex>
        ))}
        {transform.postMerge.length > 0 ? (
          <Flex gap={4} align="center" wrap>
            <span>then post-merge</span>
            <Steps steps={transform.postMerge} />
          </Flex>
        ) : null}
        {transform.executionId ? (
          <Link to={`/pipelines/${transform.executionId}`}>execution</Link>
        ) : null}
        <span title={formatDateTime(edge.created_at)}>· {formatDateTime(edge.created_at)}</span>
      </Flex>
    </div>
  );
}

function NodeCard({
  node,
  edges,
  nodes,
  rootId,
}: {
  node: LineageNode;
  edges: EdgeRef[];
  nodes: Map<string, LineageNode>;
  rootId: string;
}) {
  const dataset = node.dataset;
  const isRoot = dataset.id === rootId;
  return (
    <div
      className="dm-ds-lineage-node"
      style={{ borderLeftColor: DATASET_TYPE_COLOURS[node.dataset_type].hex }}
      data-root={isRoot ? 'true' : 'false'}
      data-testid={`lineage-node-${dataset.id}`}
      data-depth={node.depth}
    >
      <Flex justify="space-between" gap={8} wrap align="center">
        <Space size={6} wrap>
          <Link to={`/datasets/${dataset.group_id}`} className="dm-ds-name">
            {node.group_name}
          </Link>
          <Tag>{SPLITS[dataset.split]}</Tag>
          <Typography.Text code>{dataset.version}</Typography.Text>
          <DatasetStatusBadge status={dataset.status} />
        </Space>
        <Space size={6} wrap>
          <DatasetTypeTag type={node.dataset_type} />
          <span className="dm-muted">
            {formatCount(dataset.image_count)} images · {formatCount(dataset.class_count)} classes
          </span>
        </Space>
      </Flex>
      {edges.map(({ edge, otherId, way }) => (
        <EdgeLine
          key={`${edge.parent_id}-${edge.child_id}`}
          edge={edge}
          other={nodes.get(otherId)}
          way={way}
          isRoot={otherId === rootId}
        />
      ))}
    </div>
  );
}

function levelTitle(depth: number): string {
  const steps = Math.abs(depth);
  if (depth < 0) {
    return steps === 1 ? 'Direct parents' : `${steps} steps up`;
  }
  return steps === 1 ? 'Built directly from it' : `${steps} steps down`;
}

/** Nodes of one side, grouped by distance from the version asked about. */
function Side({
  title,
  icon,
  nodes,
  edgesOf,
  all,
  rootId,
  empty,
}: {
  title: string;
  icon: ReactNode;
  nodes: LineageNode[];
  edgesOf: (node: LineageNode) => EdgeRef[];
  all: Map<string, LineageNode>;
  rootId: string;
  empty: string;
}) {
  const levels = new Map<number, LineageNode[]>();
  for (const node of nodes) {
    levels.set(node.depth, [...(levels.get(node.depth) ?? []), node]);
  }
  const ordered = [...levels.entries()].sort((a, b) => Math.abs(a[0]) - Math.abs(b[0]));
  return (
    <section aria-label={title}>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        <Space size={6}>
          {icon}
          {title}
          <Tag bordered={false}>{nodes.length}</Tag>
        </Space>
      </Typography.Title>
      {nodes.length === 0 ? (
        <Typography.Text type="secondary">{empty}</Typography.Text>
      ) : (
        ordered.map(([depth, level]) => (
          <div key={depth}>
            <div className="dm-ds-lineage-level">{levelTitle(depth)}</div>
            <Flex vertical gap={8}>
              {level.map((node) => (
                <NodeCard
                  key={node.dataset.id}
                  node={node}
                  edges={edgesOf(node)}
                  nodes={all}
                  rootId={rootId}
                />
              ))}
            </Flex>
          </div>
        ))
      )}
    </section>
  );
}

/**
 * The lineage of one version of a group: what it was built from (upstream) and what was built
 * from it (downstream), each node with the transform its edge carries. Used by the list's
 * drawer and the detail page's tab.
 */
export function LineageView({
  versions,
  selectedId,
  onSelect,
}: {
  versions: VersionOption[];
  selectedId: string | undefined;
  onSelect: (datasetId: string) => void;
}) {
  const versionId = useId();
  const depthId = useId();
  const splitId = useId();
  const [depth, setDepth] = useState(DEFAULT_DEPTH);
  const [split, setSplit] = useState<Schemas['Split'] | undefined>(undefined);
  const lineage = useLineage(selectedId, { direction: 'both', depth });

  const graph = useMemo(() => {
    const data = lineage.data;
    if (!data) {
      return undefined;
    }
    const nodes = new Map(data.nodes.map((node) => [node.dataset.id, node]));
    const depthOf = (id: string) => nodes.get(id)?.depth;
    // Upstream nodes show the edge that leads towards the root, downstream ones the edge they
    // came in by; an edge between two nodes of the same side is shown once, at its far end.
    const edgesOf = (node: LineageNode): EdgeRef[] =>
      data.edges.flatMap((edge): EdgeRef[] => {
        if (node.depth < 0 && edge.parent_id === node.dataset.id) {
          const childDepth = depthOf(edge.child_id);
          return childDepth !== undefined && childDepth > node.depth
            ? [{ edge, otherId: edge.child_id, way: 'into' }]
            : [];
        }
        if (node.depth > 0 && edge.child_id === node.dataset.id) {
          const parentDepth = depthOf(edge.parent_id);
          return parentDepth !== undefined && parentDepth < node.depth
            ? [{ edge, otherId: edge.parent_id, way: 'from' }]
            : [];
        }
        return [];
      });
    const shown = (node: LineageNode) => split === undefined || node.dataset.split === split;
    const root = data.nodes.find((node) => node.depth === 0);
    const deepest = data.nodes.reduce((max, node) => Math.max(max, Math.abs(node.depth)), 0);
    return {
      nodes,
      edgesOf,
      root,
      upstream: data.nodes.filter((node) => node.depth < 0 && shown(node)),
      downstream: data.nodes.filter((node) => node.depth > 0 && shown(node)),
      truncated: deepest >= data.depth && data.edges.length > 0,
    };
  }, [lineage.data, split]);

  if (versions.length === 0) {
    return (
      <EmptyState
        title="No versions yet"
        hint="A lineage is about a dataset version; register one in this group first."
      />
    );
  }

  return (
    <div>
      <Flex gap={16} wrap align="center">
        {versions.length > 1 ? (
          <Space size={8}>
            <label htmlFor={versionId}>Version</label>
            <Select
              id={versionId}
              style={{ minWidth: 220 }}
              value={selectedId}
              onChange={onSelect}
              options={versions.map((option) => ({
                value: option.id,
                label: versionLabel(option),
              }))}
            />
          </Space>
        ) : (
          <Typography.Text>
            Version{' '}
            <Typography.Text strong>{versions[0] ? versionLabel(versions[0]) : ''}</Typography.Text>
          </Typography.Text>
        )}
        <Space size={8}>
          <label htmlFor={depthId}>Depth</label>
          <Select
            id={depthId}
            style={{ width: 90 }}
            value={depth}
            onChange={setDepth}
            options={DEPTHS.map((value) => ({ value, label: String(value) }))}
          />
        </Space>
        <Space size={8}>
          <label htmlFor={splitId}>Split</label>
          <Select
            id={splitId}
            style={{ width: 120 }}
            allowClear
            placeholder="All splits"
            value={split}
            onChange={setSplit}
            options={optionsOf(SPLITS)}
          />
        </Space>
      </Flex>

      {lineage.isPending ? (
        <PageSkeleton />
      ) : lineage.isError ? (
        <ErrorResult error={lineage.error} onRetry={() => void lineage.refetch()} />
      ) : graph ? (
        <div aria-busy={lineage.isFetching ? 'true' : 'false'}>
          <Side
            title="Upstream"
            icon={<ArrowUpOutlined aria-hidden />}
            nodes={graph.upstream}
            edgesOf={graph.edgesOf}
            all={graph.nodes}
            rootId={lineage.data.root}
            empty={
              split
                ? 'No upstream version of this split.'
                : 'Nothing upstream: this version was registered from the NAS, not built by a pipeline.'
            }
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            This version
          </Typography.Title>
          {graph.root ? (
            <NodeCard node={graph.root} edges={[]} nodes={graph.nodes} rootId={lineage.data.root} />
          ) : null}
          <Side
            title="Downstream"
            icon={<ArrowDownOutlined aria-hidden />}
            nodes={graph.downstream}
            edgesOf={graph.edgesOf}
            all={graph.nodes}
            rootId={lineage.data.root}
            empty={
              split
                ? 'No downstream version of this split.'
                : 'Nothing has been built from this version yet. Run a pipeline on it to derive one.'
            }
          />
          {graph.truncated ? (
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              message={`Showing ${lineage.data.depth} step(s) each way; there may be more beyond. Raise the depth to see them.`}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
