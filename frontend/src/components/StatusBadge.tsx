import { Tag } from 'antd';
import type { Schemas } from '@/api/client';
import { DATASET_STATUSES, EDA_STATUSES, EXECUTION_STATUSES } from '@/lib/enums';

const DATASET_COLOURS: Record<Schemas['DatasetStatus'], string> = {
  PENDING: 'default',
  PROCESSING: 'processing',
  READY: 'success',
  ERROR: 'error',
};

const EXECUTION_COLOURS: Record<Schemas['ExecutionStatus'], string> = {
  PENDING: 'default',
  RUNNING: 'processing',
  DONE: 'success',
  FAILED: 'error',
  CANCELLED: 'warning',
};

const EDA_COLOURS: Record<Schemas['EdaStatus'], string> = {
  NOT_REQUESTED: 'default',
  PENDING: 'default',
  RUNNING: 'processing',
  DONE: 'success',
  FAILED: 'error',
};

export function DatasetStatusBadge({ status }: { status: Schemas['DatasetStatus'] }) {
  return (
    <Tag color={DATASET_COLOURS[status]} data-status={status}>
      {DATASET_STATUSES[status]}
    </Tag>
  );
}

export function ExecutionStatusBadge({ status }: { status: Schemas['ExecutionStatus'] }) {
  return (
    <Tag color={EXECUTION_COLOURS[status]} data-status={status}>
      {EXECUTION_STATUSES[status]}
    </Tag>
  );
}

export function EdaStatusBadge({ status }: { status: Schemas['EdaStatus'] }) {
  return (
    <Tag color={EDA_COLOURS[status]} data-status={status}>
      {EDA_STATUSES[status]}
    </Tag>
  );
}
