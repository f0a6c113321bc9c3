import { Tag } from 'antd';
import type { Schemas } from '@/api/client';
import { DATASET_TYPES } from '@/lib/enums';
import { DATASET_TYPE_COLOURS } from './presentation';

export function DatasetTypeTag({ type }: { type: Schemas['DatasetType'] }) {
  return (
    <Tag color={DATASET_TYPE_COLOURS[type].tag} data-dataset-type={type}>
      {DATASET_TYPES[type]}
    </Tag>
  );
}
