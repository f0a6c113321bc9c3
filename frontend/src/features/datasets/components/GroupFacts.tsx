import { Descriptions, Space, Tag } from 'antd';
import type { Schemas } from '@/api/client';
import { TaskTags } from '@/components/TaskTags';
import { ANNOTATION_FORMATS, MODALITIES, SPLITS } from '@/lib/enums';
import { formatDateTime } from '@/lib/format';
import { DatasetTypeTag } from './DatasetTypeTag';
import { compareSplits, compareVersionsDesc } from './versions';

/** What versions a group has, per split, newest first. */
function VersionsBySplit({ datasets }: { datasets: Schemas['Dataset'][] }) {
  if (datasets.length === 0) {
    return <span className="dm-muted">None yet</span>;
  }
  const splits = [...new Set(datasets.map((d) => d.split))].sort(compareSplits);
  return (
    <Space direction="vertical" size={2}>
      {splits.map((split) => (
        <span key={split}>
          {SPLITS[split]}:{' '}
          {datasets
            .filter((d) => d.split === split)
            .map((d) => d.version)
            .sort(compareVersionsDesc)
            .map((version) => (
              <Tag key={version} bordered={false}>
                {version}
              </Tag>
            ))}
        </span>
      ))}
    </Space>
  );
}

/** A group's metadata, read-only. `mode="summary"` is the registration form's short form. */
export function GroupFacts({
  group,
  mode = 'full',
}: {
  group: Schemas['GroupDetail'];
  mode?: 'summary' | 'full';
}) {
  return (
    <Descriptions
      size="small"
      bordered
      column={mode === 'summary' ? 1 : { xs: 1, md: 3 }}
      aria-label={`About ${group.name}`}
    >
      {mode === 'summary' ? (
        <>
          <Descriptions.Item label="Type">
            <DatasetTypeTag type={group.dataset_type} />
          </Descriptions.Item>
          <Descriptions.Item label="Annotation format">
            {ANNOTATION_FORMATS[group.annotation_format]}
          </Descriptions.Item>
          <Descriptions.Item label="Modality">{MODALITIES[group.modality]}</Descriptions.Item>
          <Descriptions.Item label="Task types">
            <TaskTags tasks={group.task_types} />
          </Descriptions.Item>
          <Descriptions.Item label="Versions">
            <VersionsBySplit datasets={group.datasets} />
          </Descriptions.Item>
        </>
      ) : null}
      <Descriptions.Item label="Description" span={mode === 'summary' ? 1 : 3}>
        {group.description || <span className="dm-muted">—</span>}
      </Descriptions.Item>
      <Descriptions.Item label="Source origin">
        {group.source_origin || <span className="dm-muted">—</span>}
      </Descriptions.Item>
      {mode === 'full' ? (
        <>
          <Descriptions.Item label="Created">{formatDateTime(group.created_at)}</Descriptions.Item>
          <Descriptions.Item label="Updated">{formatDateTime(group.updated_at)}</Descriptions.Item>
        </>
      ) : null}
    </Descriptions>
  );
}
