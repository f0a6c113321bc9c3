import type { Schemas } from '@/api/client';
import { Select, Space, Typography } from 'antd';
import { useId } from 'react';
import { type VersionOption, versionLabel } from './versions';

/** What a per-version tab of a group's page (EDA, samples) gets: the versions and the chosen one. */
export interface VersionTabProps {
  datasets: Schemas['Dataset'][];
  versions: VersionOption[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}

/**
 * Which version of the group a tab is about (split · version). The EDA, samples and lineage tabs
 * share it and the choice lives in the URL, so moving between tabs keeps the version.
 */
export function VersionPicker({
  versions,
  selectedId,
  onSelect,
}: {
  versions: VersionOption[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const id = useId();
  if (versions.length === 1 && versions[0]) {
    return (
      <Typography.Text>
        Version <Typography.Text strong>{versionLabel(versions[0])}</Typography.Text>
      </Typography.Text>
    );
  }
  return (
    <Space size={8}>
      <label htmlFor={id}>Version</label>
      <Select
        id={id}
        style={{ minWidth: 220 }}
        value={selectedId}
        onChange={onSelect}
        options={versions.map((option) => ({ value: option.id, label: versionLabel(option) }))}
      />
    </Space>
  );
}
