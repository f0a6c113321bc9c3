import { Alert, Checkbox, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import { Suspense, lazy, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import type { StepSpec } from '@/api/pipeline-config';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { formatDateTime } from '@/lib/format';
import { DATASET_TYPES, SPLITS } from '@/lib/enums';
import { useLineage } from '../api/lineage';
import { VersionPicker } from './VersionPicker';
import { DATASET_TYPE_COLOURS, lineageUrl } from './presentation';
import {
  type GraphEdge,
  type GraphNode,
  LINEAGE_DEPTH,
  isTruncated,
  lineageGraph,
  splitsOf,
} from './lineage/graph';
import { type VersionOption, versionLabel } from './versions';
import './datasets.css';

type LineageNode = Schemas['LineageNode'];
type Split = Schemas['Split'];

// React Flow and dagre load with the first lineage shown, not with the page.
const LineageGraph = lazy(() =>
  import('./lineage/LineageGraph').then((module) => ({ default: module.LineageGraph })),
);

/** Where a click on a node goes: that version's page, on its own lineage. */
function hrefOf(node: LineageNode): string {
  return lineageUrl(node.dataset);
}

function nodeLabel(node: LineageNode): string {
  return `${node.group_name} · ${versionLabel(node.dataset)}`;
}

/** One end of a derivation: a link to that version. */
function End({ node }: { node: GraphNode | undefined }) {
  // The list shows only edges whose two ends are drawn; the text covers a broken response.
  return node ? (
    <Link to={hrefOf(node.node)}>{nodeLabel(node.node)}</Link>
  ) : (
    <span>a version outside the view</span>
  );
}

function Steps({ steps }: { steps: StepSpec[] }) {
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

/** One derivation in words, with each step's parameters and the execution that did it. */
function EdgeLine({ edge, nodes }: { edge: GraphEdge; nodes: Map<string, GraphNode> }) {
  const { transform } = edge;
  const nothing =
    transform.sources.every((source) => source.steps.length === 0) &&
    transform.postMerge.length === 0;
  return (
    <div className="dm-ds-lineage-edge" data-testid="lineage-edge" data-edge-id={edge.id}>
      <Flex gap={6} wrap align="center">
        <span>
          <End node={nodes.get(edge.source)} /> → <End node={nodes.get(edge.target)} />:
        </span>
        {nothing ? <span>copied as is</span> : null}
        {transform.sources
          .filter((source) => source.steps.length > 0)
          .map((source, index) => (
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
        <span className="dm-muted">· {formatDateTime(edge.edge.created_at)}</span>
      </Flex>
    </div>
  );
}

function Legend({ nodes }: { nodes: GraphNode[] }) {
  const types = [...new Set(nodes.map((node) => node.node.dataset_type))];
  return (
    <div className="dm-ln-legend" aria-label="Legend">
      {types.map((type) => (
        <span key={type}>
          <span
            className="dm-ln-legend-swatch"
            style={{ background: DATASET_TYPE_COLOURS[type].hex }}
            aria-hidden
          />
          {DATASET_TYPES[type]}
        </span>
      ))}
      <span>A thick frame marks this version; click a version to open it.</span>
    </div>
  );
}

/**
 * The lineage of one version of a group: every version it was built from and every version built
 * from it, to any depth, as a graph whose edges name the manipulators applied; below it, each
 * derivation in full. Used by the detail page's tab and the list's drawer.
 */
export function LineageView({
  versions,
  selectedId,
  onSelect,
  graphHeight = 520,
}: {
  versions: VersionOption[];
  selectedId: string | undefined;
  onSelect: (datasetId: string) => void;
  graphHeight?: number;
}) {
  const splitId = useId();
  // Undefined: every split (also those of versions a later response brings).
  const [chosen, setChosen] = useState<Split[] | undefined>(undefined);
  const lineage = useLineage(selectedId, { direction: 'both', depth: LINEAGE_DEPTH });

  const view = useMemo(() => {
    const data = lineage.data;
    if (!data) return undefined;
    const present = splitsOf(data);
    const graph = lineageGraph(data, chosen ? new Set(chosen) : undefined);
    return {
      present,
      graph,
      byId: new Map(graph.nodes.map((node) => [node.id, node])),
      counts: new Map(
        present.map((split) => [split, data.nodes.filter((n) => n.dataset.split === split).length]),
      ),
      truncated: isTruncated(data),
      // A new set of nodes re-fits the view (React Flow fits once, when it mounts).
      key: graph.nodes.map((node) => node.id).join(','),
    };
  }, [lineage.data, chosen]);

  if (versions.length === 0) {
    return (
      <EmptyState
        title="No versions yet"
        hint="A lineage is about a dataset version; register one in this group first."
      />
    );
  }

  const shownSplits = view ? (chosen ?? view.present) : [];
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={16} wrap align="center">
        <VersionPicker versions={versions} selectedId={selectedId} onSelect={onSelect} />
        {view && view.present.length > 1 ? (
          <Space size={8}>
            <span id={splitId}>Splits</span>
            <Checkbox.Group
              aria-labelledby={splitId}
              value={shownSplits}
              onChange={(values) => setChosen(values as Split[])}
              options={view.present.map((split) => ({
                value: split,
                label: `${SPLITS[split]} (${view.counts.get(split) ?? 0})`,
              }))}
            />
          </Space>
        ) : null}
      </Flex>

      {lineage.isPending ? (
        <PageSkeleton />
      ) : lineage.isError ? (
        <ErrorResult error={lineage.error} onRetry={() => void lineage.refetch()} />
      ) : view ? (
        <div aria-busy={lineage.isFetching ? 'true' : 'false'}>
          {view.graph.nodes.length === 0 ? (
            <EmptyState
              title="No version of the chosen splits"
              hint="Tick a split above to see its versions."
            />
          ) : (
            <Space direction="vertical" size={8} style={{ width: '100%' }}>
              <Suspense fallback={<PageSkeleton />}>
                <LineageGraph
                  key={view.key}
                  nodes={view.graph.nodes}
                  edges={view.graph.edges}
                  hrefOf={hrefOf}
                  height={graphHeight}
                />
              </Suspense>
              <Legend nodes={view.graph.nodes} />
            </Space>
          )}
          {view.truncated ? (
            <Alert
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              message={`Showing ${lineage.data.depth} steps each way, the most the API gives; there are more beyond.`}
            />
          ) : null}
          <section aria-label="Derivations" style={{ marginTop: 16 }}>
            <Typography.Title level={5}>
              Derivations <Tag bordered={false}>{view.graph.edges.length}</Tag>
            </Typography.Title>
            {view.graph.edges.length === 0 ? (
              <Typography.Text type="secondary">
                {lineage.data.edges.length === 0
                  ? 'This version was registered from the NAS and nothing has been built from it yet. Run a pipeline on it to derive one.'
                  : 'No derivation between versions of the chosen splits.'}
              </Typography.Text>
            ) : (
              <Flex vertical gap={6}>
                {view.graph.edges.map((edge) => (
                  <EdgeLine key={edge.id} edge={edge} nodes={view.byId} />
                ))}
              </Flex>
            )}
          </section>
        </div>
      ) : null}
    </Space>
  );
}
