import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CheckCircleFilled,
  DeleteOutlined,
  LinkOutlined,
} from '@ant-design/icons';
import type { ColumnDef } from '@tanstack/react-table';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Input,
  Space,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { TaskTags } from '@/components/TaskTags';
import { DataTable } from '@/components/data-table/DataTable';
import { ANNOTATION_FORMATS, MODALITIES } from '@/lib/enums';
import { formatCount } from '@/lib/format';
import { useWizardStore } from '../stores/wizardStore';
import { type SourceCandidate, type SourceFit, sourceFit } from '../utils/compatibility';
import type { WizardDraft } from '../utils/draft';
import { type ValidationContext, checkSourceChain, sourceLabel } from '../utils/wizardValidation';
import { stepOf } from '../utils/steps';
import { ManipulatorChain } from './ManipulatorChain';

interface Row {
  candidate: SourceCandidate;
  fit: SourceFit;
  selected: boolean;
  /** No chain of converters reaches the output's format: the server would refuse it. */
  blocked: boolean;
}

/** Step 2: which READY versions feed the pipeline, and what each goes through first. */
export function SourcesStep({
  draft,
  ctx,
  catalog,
}: {
  draft: WizardDraft;
  ctx: ValidationContext;
  catalog: readonly Schemas['Manipulator'][];
}) {
  const showAll = useWizardStore((s) => s.showAllSources);
  const setShowAll = useWizardStore((s) => s.setShowAllSources);
  const toggleSource = useWizardStore((s) => s.toggleSource);
  const [search, setSearch] = useState('');
  const selectedIds = useMemo(
    () => new Set(draft.sources.map((s) => s.datasetId)),
    [draft.sources],
  );

  const rows = useMemo<Row[]>(() => {
    const query = search.trim().toLowerCase();
    return [...ctx.candidates.values()]
      .map((candidate) => {
        const fit = sourceFit(candidate, draft.output, catalog);
        return {
          candidate,
          fit,
          selected: selectedIds.has(candidate.dataset.id),
          blocked: fit.reasons.some((r) => r.startsWith('no manipulator converts')),
        };
      })
      .filter((row) => row.selected || showAll || row.fit.compatible)
      .filter(
        (row) =>
          query === '' ||
          `${row.candidate.groupName} ${row.candidate.dataset.split} ${row.candidate.dataset.version}`
            .toLowerCase()
            .includes(query),
      )
      .sort(
        (a, b) =>
          a.candidate.groupName.localeCompare(b.candidate.groupName) ||
          a.candidate.dataset.split.localeCompare(b.candidate.dataset.split) ||
          b.candidate.dataset.created_at.localeCompare(a.candidate.dataset.created_at),
      );
  }, [ctx.candidates, draft.output, catalog, selectedIds, showAll, search]);

  const hiddenCount = useMemo(
    () =>
      [...ctx.candidates.values()].filter((c) => !sourceFit(c, draft.output, catalog).compatible)
        .length,
    [ctx.candidates, draft.output, catalog],
  );

  const toggle = (row: Row) => {
    // A source in another format starts with the converters it needs, so the chain is valid at once.
    toggleSource(row.candidate.dataset.id, row.selected ? [] : row.fit.converters.map(stepOf));
  };

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: 'select',
        header: 'Use',
        size: 56,
        cell: ({ row }) => {
          const { candidate, selected, blocked } = row.original;
          const name = `${candidate.groupName} ${candidate.dataset.split} ${candidate.dataset.version}`;
          return (
            <span data-testid={`source-${candidate.dataset.id}`}>
              <Checkbox
                checked={selected}
                disabled={blocked && !selected}
                aria-label={`Use ${name}`}
                onChange={() => toggle(row.original)}
              />
            </span>
          );
        },
      },
      {
        id: 'dataset',
        header: 'Dataset',
        cell: ({ row }) => {
          const { candidate } = row.original;
          return (
            <Space size={4} style={{ whiteSpace: 'nowrap' }}>
              <Typography.Text strong>{candidate.groupName}</Typography.Text>
              <Link
                to={`/datasets/${candidate.dataset.group_id}`}
                target="_blank"
                aria-label={`Open ${candidate.groupName}`}
              >
                <LinkOutlined />
              </Link>
              <Tag bordered={false}>{candidate.datasetType.toLowerCase()}</Tag>
            </Space>
          );
        },
      },
      { id: 'split', header: 'Split', cell: ({ row }) => row.original.candidate.dataset.split },
      {
        id: 'version',
        header: 'Version',
        cell: ({ row }) => row.original.candidate.dataset.version,
      },
      {
        id: 'format',
        header: 'Format',
        cell: ({ row }) => {
          const { candidate, fit } = row.original;
          return (
            <Space size={4} wrap>
              <Tag>{ANNOTATION_FORMATS[candidate.format]}</Tag>
              {fit.converters.length > 0 ? (
                <Tooltip title="Added to its chain when you select it">
                  <Tag color="gold">via {fit.converters.map((c) => c.name).join(' → ')}</Tag>
                </Tooltip>
              ) : null}
            </Space>
          );
        },
      },
      {
        id: 'tasks',
        header: 'Task types',
        cell: ({ row }) => <TaskTags tasks={row.original.candidate.taskTypes} />,
      },
      {
        id: 'modality',
        header: 'Modality',
        cell: ({ row }) => MODALITIES[row.original.candidate.modality],
      },
      {
        id: 'images',
        header: 'Images',
        cell: ({ row }) => formatCount(row.original.candidate.dataset.image_count),
      },
      {
        id: 'classes',
        header: 'Classes',
        cell: ({ row }) => formatCount(row.original.candidate.dataset.class_count),
      },
      {
        id: 'fit',
        header: 'Fit',
        cell: ({ row }) =>
          row.original.fit.compatible ? (
            <Tag color="success" bordered={false}>
              Compatible
            </Tag>
          ) : (
            <Tooltip title={row.original.fit.reasons.join('; ')}>
              <Typography.Text type="warning">
                {row.original.fit.reasons.join('; ')}
              </Typography.Text>
            </Tooltip>
          ),
      },
    ],
    // `toggle` only reads the row it is given and the store's stable action.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [toggleSource],
  );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Typography.Text type="secondary">
          READY versions with a task type of the output (
          {draft.output.taskTypes.join(', ') || 'none'}), {draft.output.modality} images, and
          annotations in {draft.output.annotationFormat} or convertible to it.
        </Typography.Text>
        <Space>
          <Input.Search
            allowClear
            placeholder="Filter by name"
            aria-label="Filter sources"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 220 }}
          />
          <Space size={6}>
            <Switch id="show-all-sources" checked={showAll} onChange={setShowAll} size="small" />
            <label htmlFor="show-all-sources">
              Show all datasets{hiddenCount > 0 ? ` (${hiddenCount} incompatible)` : ''}
            </label>
          </Space>
        </Space>
      </Flex>
      <DataTable<Row>
        label="Source datasets"
        columns={columns}
        data={rows}
        getRowId={(row) => row.candidate.dataset.id}
        empty={
          <EmptyState
            title={
              ctx.candidates.size === 0
                ? 'No READY dataset versions'
                : 'No compatible dataset versions'
            }
            hint={
              ctx.candidates.size === 0
                ? 'Register a dataset first.'
                : 'Change the output task types, modality or format, or show all datasets.'
            }
            action={
              ctx.candidates.size === 0 ? (
                <Link to="/datasets/new">Register a dataset</Link>
              ) : (
                <Button onClick={() => setShowAll(true)}>Show all datasets</Button>
              )
            }
          />
        }
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        Selected sources{' '}
        {draft.sources.length > 0 ? `(${draft.sources.length}, merged in this order)` : ''}
      </Typography.Title>
      {draft.sources.length === 0 ? (
        <Typography.Text type="secondary">Tick one or more datasets above.</Typography.Text>
      ) : null}
      {draft.sources.map((source, index) => (
        <SourceCard
          key={source.datasetId}
          draft={draft}
          index={index}
          ctx={ctx}
          catalog={catalog}
        />
      ))}
    </Space>
  );
}

function SourceCard({
  draft,
  index,
  ctx,
  catalog,
}: {
  draft: WizardDraft;
  index: number;
  ctx: ValidationContext;
  catalog: readonly Schemas['Manipulator'][];
}) {
  const setSourceSteps = useWizardStore((s) => s.setSourceSteps);
  const moveSource = useWizardStore((s) => s.moveSource);
  const removeSource = useWizardStore((s) => s.removeSource);
  const source = draft.sources[index];
  if (!source) {
    return null;
  }
  const candidate = ctx.candidates.get(source.datasetId);
  const check = checkSourceChain(draft, index, ctx);
  const label = sourceLabel(index, candidate);
  const fit = candidate ? sourceFit(candidate, draft.output, catalog) : undefined;
  const endFormat = check?.formats[check.formats.length - 1];
  const needed =
    endFormat && endFormat !== draft.output.annotationFormat && candidate
      ? sourceFit({ ...candidate, format: endFormat }, draft.output, catalog).converters
      : [];

  return (
    <Card
      size="small"
      data-testid={`source-card-${source.datasetId}`}
      title={
        <Space wrap>
          <span>{label}</span>
          {candidate ? <Tag>{candidate.format}</Tag> : null}
          {candidate ? (
            <Typography.Text type="secondary">
              {formatCount(candidate.dataset.image_count)} images
            </Typography.Text>
          ) : null}
        </Space>
      }
      extra={
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={`Move source ${index + 1} up`}
            disabled={index === 0}
            onClick={() => moveSource(index, -1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={`Move source ${index + 1} down`}
            disabled={index === draft.sources.length - 1}
            onClick={() => moveSource(index, 1)}
          />
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`Remove source ${index + 1}`}
            onClick={() => removeSource(index)}
          />
        </Space>
      }
    >
      {!candidate || !check ? (
        <Alert
          type="error"
          showIcon
          message={`${label} is no longer a READY dataset version; remove it.`}
        />
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {fit && !fit.compatible ? (
            <Alert
              type="warning"
              showIcon
              message={`Not a usual match for this output: ${fit.reasons.join('; ')}`}
            />
          ) : null}
          <ManipulatorChain
            chainId={`source-${source.datasetId}`}
            steps={source.steps}
            onChange={(steps) => setSourceSteps(index, steps)}
            start={{
              scope: 'PER_SOURCE',
              format: candidate.format,
              taskTypes: candidate.taskTypes,
            }}
            catalog={catalog}
            check={check}
            classNames={candidate.classNames}
            emptyText="No manipulators: the source is used as it is."
          />
          {check.chain.length > 0 ? (
            <Alert
              type="error"
              showIcon
              message={`This source ${check.chain.join('; ')}`}
              action={
                needed.length > 0 ? (
                  <Button
                    size="small"
                    onClick={() => setSourceSteps(index, [...source.steps, ...needed.map(stepOf)])}
                  >
                    Add {needed.map((c) => c.name).join(' + ')}
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <Typography.Text type="success">
              <CheckCircleFilled /> Ends as {endFormat}, the output&apos;s format
            </Typography.Text>
          )}
        </Space>
      )}
    </Card>
  );
}
