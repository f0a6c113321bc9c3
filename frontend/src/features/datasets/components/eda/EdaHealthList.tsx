import { CheckCircleFilled, MinusCircleOutlined, WarningFilled } from '@ant-design/icons';
import { Collapse, Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Schemas } from '@/api/client';
import { formatBytes, formatCount } from '@/lib/format';
import { type DatasetFiles, reportFileUrl } from './links';

type Health = Schemas['EdaHealth'];
type Example = Schemas['EdaHealthExample'];
type CheckKey = keyof Health;

/** Every health check, in the order a person fixes them: files first, then boxes, then hygiene. */
const HEALTH_CHECKS: {
  key: CheckKey;
  label: string;
  unit: 'images' | 'annotations' | 'groups';
  help: string;
  /** The example's file is not there to open. */
  missing?: boolean;
}[] = [
  {
    key: 'missing_files',
    label: 'Missing image files',
    unit: 'images',
    help: 'Images the annotations list that are not in the image folder (YOLO: label files without their image).',
    missing: true,
  },
  {
    key: 'unreadable_images',
    label: 'Unreadable or truncated images',
    unit: 'images',
    help: 'The header cannot be read, the file is empty or cut short, or it does not decode.',
  },
  {
    key: 'size_mismatches',
    label: 'Size mismatches',
    unit: 'images',
    help: "The image's displayed size differs from the size the annotations state.",
  },
  {
    key: 'degenerate_boxes',
    label: 'Degenerate boxes',
    unit: 'annotations',
    help: 'Width or height ≤ 0, or a coordinate that is not a finite number.',
  },
  {
    key: 'out_of_bounds_boxes',
    label: 'Boxes outside the image',
    unit: 'annotations',
    help: 'Boxes reaching past the image by more than the tolerance.',
  },
  {
    key: 'images_without_annotations',
    label: 'Images without annotations',
    unit: 'images',
    help: 'Negatives, or images someone forgot to annotate.',
  },
  {
    key: 'duplicate_images',
    label: 'Duplicate images',
    unit: 'groups',
    help: 'Byte-identical image files.',
  },
  {
    key: 'exif_rotated',
    label: 'EXIF-rotated images',
    unit: 'images',
    help: 'An EXIF orientation other than 1: viewers and trainers turn these images; sizes are the displayed ones.',
  },
];

function unitText(unit: 'images' | 'annotations' | 'groups', count: number): string {
  const one = { images: 'image', annotations: 'annotation', groups: 'group' }[unit];
  return count === 1 ? one : unit;
}

function ExampleLine({
  example,
  files,
  missing,
}: {
  example: Example;
  files: DatasetFiles;
  missing: boolean;
}) {
  const isImage = example.image_id !== null && example.image_id !== undefined;
  const name =
    missing && isImage ? (
      <Typography.Text code>{example.file_name}</Typography.Text>
    ) : (
      <a href={reportFileUrl(files, example.file_name, isImage)} target="_blank" rel="noreferrer">
        {example.file_name}
      </a>
    );
  return (
    <li data-testid="eda-health-example">
      {name}
      {example.annotation_index !== null && example.annotation_index !== undefined ? (
        <Typography.Text type="secondary">
          {' '}
          · annotation #{example.annotation_index}
          {example.annotation_id !== null && example.annotation_id !== undefined
            ? ` (id ${example.annotation_id})`
            : ''}
        </Typography.Text>
      ) : null}
      <span className="dm-eda-detail"> — {example.detail}</span>
    </li>
  );
}

function examplesOf(
  key: CheckKey,
  health: Health,
  files: DatasetFiles,
  missing: boolean,
  limit: number,
): { body: ReactNode; listed: number } {
  if (key === 'duplicate_images') {
    const check = health.duplicate_images;
    const groups = check?.groups ?? [];
    return {
      listed: groups.length,
      body: (
        <ul className="dm-eda-examples">
          {groups.map((group) => (
            <li key={group.hash} data-testid="eda-health-example">
              {formatCount(group.count)} identical files of {formatBytes(group.bytes)}:{' '}
              {group.file_names.map((name, index) => (
                <span key={name}>
                  {index > 0 ? ', ' : ''}
                  <a href={reportFileUrl(files, name)} target="_blank" rel="noreferrer">
                    {name}
                  </a>
                </span>
              ))}
              {group.count > group.file_names.length
                ? ` and ${formatCount(group.count - group.file_names.length)} more`
                : ''}
            </li>
          ))}
        </ul>
      ),
    };
  }
  const check = health[key] as
    Schemas['EdaHealthCheck'] | Schemas['EdaExifCheck'] | null | undefined;
  const examples = check?.examples ?? [];
  return {
    listed: examples.length,
    body: (
      <>
        {key === 'exif_rotated' && health.exif_rotated ? (
          <Flex gap={4} wrap style={{ marginBottom: 8 }}>
            {Object.entries(health.exif_rotated.by_orientation).map(([orientation, count]) => (
              <Tag key={orientation} bordered={false}>
                orientation {orientation}: {formatCount(count)}
              </Tag>
            ))}
          </Flex>
        ) : null}
        <ul className="dm-eda-examples">
          {examples.map((example, index) => (
            <ExampleLine
              key={`${example.file_name}-${example.annotation_index ?? ''}-${index}`}
              example={example}
              files={files}
              missing={missing}
            />
          ))}
        </ul>
        {check && check.count > examples.length ? (
          <Typography.Text type="secondary">
            The first {formatCount(examples.length)} of {formatCount(check.count)} (examples are
            capped at {formatCount(limit)}).
          </Typography.Text>
        ) : null}
      </>
    ),
  };
}

/**
 * The health checks, each with its count and, expanded, its examples linking to the files. A
 * check that needs the image files says so when they were not inspected.
 */
export function EdaHealthList({
  report,
  files,
}: {
  report: Schemas['EdaReport'];
  files: DatasetFiles;
}) {
  const { health } = report;
  const items = HEALTH_CHECKS.map((check) => {
    const value = health[check.key];
    const count = value ? value.count : null;
    const header = (
      <Flex
        gap={8}
        align="center"
        justify="space-between"
        data-testid={`eda-health-${check.key}`}
        data-count={count ?? ''}
      >
        <span>
          {count === null ? (
            <MinusCircleOutlined className="dm-muted" aria-hidden />
          ) : count > 0 ? (
            <WarningFilled style={{ color: '#faad14' }} aria-hidden />
          ) : (
            <CheckCircleFilled style={{ color: '#52c41a' }} aria-hidden />
          )}{' '}
          <span title={check.help}>{check.label}</span>
        </span>
        {count === null ? (
          <Typography.Text type="secondary">not checked</Typography.Text>
        ) : (
          <span className="dm-eda-count" data-testid="eda-health-count">
            {formatCount(count)} {unitText(check.unit, count)}
            {check.key === 'duplicate_images' && health.duplicate_images && count > 0
              ? ` (${formatCount(health.duplicate_images.images)} files)`
              : ''}
          </span>
        )}
      </Flex>
    );
    if (count === null || count === 0) {
      return {
        key: check.key,
        label: header,
        showArrow: false,
        collapsible: 'icon' as const,
        children: null,
      };
    }
    const { body } = examplesOf(
      check.key,
      health,
      files,
      check.missing ?? false,
      report.limits.examples,
    );
    return {
      key: check.key,
      label: header,
      children: (
        <div>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {check.help}
          </Typography.Paragraph>
          {body}
        </div>
      ),
    };
  });
  return (
    <div data-testid="eda-health">
      {!report.summary.images_inspected ? (
        <Typography.Paragraph type="secondary">
          The image files were not inspected, so the checks that read them are not available.
        </Typography.Paragraph>
      ) : null}
      <Collapse size="small" items={items} aria-label="Health checks" />
    </div>
  );
}
