import { Typography } from 'antd';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { DatasetStatusBadge } from '@/components/StatusBadge';
import { SPLITS } from '@/lib/enums';
import { formatCount, formatDateTime } from '@/lib/format';
import { EdaSummaryTag } from './EdaSummaryTag';
import { edaUrl } from './presentation';
import { compareSplits, compareVersionsDesc } from './versions';
import './datasets.css';

/**
 * A group's split × version matrix: one row per split, one column per version (newest first),
 * so the same version of train/val/test lines up. Versions increase per split, so cells can be
 * empty.
 */
export function VersionMatrix({ group }: { group: Schemas['GroupSummary'] }) {
  const splits = [...group.splits].sort((a, b) => compareSplits(a.split, b.split));
  const versions = [
    ...new Set(splits.flatMap((split) => split.versions.map((v) => v.version))),
  ].sort(compareVersionsDesc);

  if (versions.length === 0) {
    return (
      <EmptyState
        title="No versions in this group yet"
        hint="Register a folder on the NAS as its first version."
      />
    );
  }

  return (
    <table className="dm-ds-matrix" aria-label={`Versions of ${group.name}`}>
      <thead>
        <tr>
          <th scope="col">Split</th>
          {versions.map((version) => (
            <th key={version} scope="col">
              {version}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {splits.map((split) => (
          <tr key={split.split}>
            <th scope="row">{SPLITS[split.split]}</th>
            {versions.map((version) => {
              const cell = split.versions.find((v) => v.version === version);
              if (!cell) {
                return (
                  <td key={version} className="dm-ds-cell dm-ds-cell-empty" aria-label="No version">
                    —
                  </td>
                );
              }
              return (
                <td
                  key={version}
                  className="dm-ds-cell"
                  data-testid={`version-${split.split}-${version}`}
                >
                  <DatasetStatusBadge status={cell.status} />
                  <div className="dm-ds-cell-counts">
                    <span data-testid="image-count">{formatCount(cell.image_count)}</span> images ·{' '}
                    <span data-testid="class-count">{formatCount(cell.class_count)}</span> classes
                  </div>
                  <div className="dm-ds-cell-eda">
                    <EdaSummaryTag eda={cell.eda} to={edaUrl(group.group_id, cell.id)} />
                  </div>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    title={cell.storage_uri}
                  >
                    {formatDateTime(cell.created_at)}
                  </Typography.Text>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
