import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  ExclamationCircleOutlined,
  MinusCircleOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { formatCount } from '@/lib/format';
import './datasets.css';

type SummaryEda = Schemas['SummaryEda'];

function plural(count: number | null | undefined, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function describe(eda: SummaryEda | null | undefined): {
  colour: string;
  icon: ReactNode;
  /** The list row's narrow form: two short lines. */
  compact: [string, string?];
  full: string;
  tooltip: string;
} {
  const status = eda?.status ?? 'NOT_REQUESTED';
  switch (status) {
    case 'PENDING':
      return {
        colour: 'default',
        icon: <ClockCircleOutlined />,
        compact: ['EDA queued'],
        full: 'EDA queued',
        tooltip: 'The EDA is waiting for a worker.',
      };
    case 'RUNNING':
      return {
        colour: 'processing',
        icon: <SyncOutlined spin />,
        compact: ['EDA running'],
        full: 'EDA running',
        tooltip: 'The EDA is running.',
      };
    case 'FAILED':
      return {
        colour: 'error',
        icon: <CloseCircleOutlined />,
        compact: ['EDA failed'],
        full: 'EDA failed',
        tooltip: 'The last EDA run failed; the EDA tab says why.',
      };
    case 'DONE': {
      const issues = eda?.health_issues ?? 0;
      const objects = plural(eda?.objects, 'object');
      const classes = plural(eda?.classes_used, 'class', 'classes');
      const issueText = plural(issues, 'issue');
      return {
        colour: issues > 0 ? 'warning' : 'success',
        icon: issues > 0 ? <ExclamationCircleOutlined /> : <CheckCircleOutlined />,
        compact: [objects, issueText],
        full: `${objects} · ${classes} · ${issueText}`,
        tooltip: `EDA done: ${objects}, ${classes} with annotations, ${plural(issues, 'health issue')}.`,
      };
    }
    default:
      return {
        colour: 'default',
        icon: <MinusCircleOutlined />,
        compact: ['No EDA'],
        full: 'No EDA yet',
        tooltip: 'No EDA has run for this version.',
      };
  }
}

/**
 * A version's EDA at a glance, as the dataset list shows it: queued, running (spinning), failed,
 * or done with its objects, classes and health issues. Links to the EDA tab when `to` is given.
 */
export function EdaSummaryTag({
  eda,
  to,
  compact = false,
  prefix,
}: {
  eda: SummaryEda | null | undefined;
  to?: string;
  compact?: boolean;
  /** Names the version when several tags stand together (`Train`). */
  prefix?: string;
}) {
  const shown = describe(eda);
  const status = eda?.status ?? 'NOT_REQUESTED';
  // The row form drops the icon where the colour says it (narrow column), but keeps the spinner.
  const icon = !compact || status === 'RUNNING' || status === 'PENDING' ? shown.icon : undefined;
  const tag = (
    <Tag
      color={shown.colour}
      icon={icon}
      bordered={false}
      data-testid="eda-summary"
      data-status={status}
      style={{ marginInlineEnd: 0 }}
    >
      {compact ? (
        <span className="dm-ds-eda-compact">
          <span>{shown.compact[0]}</span>
          {shown.compact[1] ? <span>{shown.compact[1]}</span> : null}
        </span>
      ) : (
        <>
          {prefix ? `${prefix}: ` : ''}
          {shown.full}
        </>
      )}
    </Tag>
  );
  const body = to ? <Link to={to}>{tag}</Link> : tag;
  return (
    <Tooltip title={to ? `${shown.tooltip} Open the EDA tab.` : shown.tooltip}>
      {compact && prefix ? (
        <div>
          <div className="dm-ds-eda-prefix">{prefix}</div>
          {body}
        </div>
      ) : (
        body
      )}
    </Tooltip>
  );
}
