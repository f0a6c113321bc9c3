import { Button, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { useLineageDrawer } from '../stores/lineageDrawer';
import { edaUrl, runPipelineUrl, samplesUrl } from './presentation';
import { defaultOption, optionsFromSummary } from './versions';

export function GroupActions({ group }: { group: Schemas['GroupSummary'] }) {
  const navigate = useNavigate();
  const openLineage = useLineageDrawer((state) => state.open);
  const versions = optionsFromSummary(group.splits);
  const first = defaultOption(versions);
  return (
    <Space size={4} wrap style={{ minWidth: 196, maxWidth: 340 }}>
      <Button
        size="small"
        disabled={versions.length === 0}
        onClick={() => navigate(runPipelineUrl(group.group_id))}
      >
        Run pipeline
      </Button>
      <Button
        size="small"
        disabled={!first}
        onClick={() => first && navigate(samplesUrl(group.group_id, first.id))}
      >
        Samples
      </Button>
      <Button
        size="small"
        disabled={!first}
        onClick={() => first && navigate(edaUrl(group.group_id, first.id))}
      >
        EDA
      </Button>
      <Button
        size="small"
        disabled={!first}
        onClick={() =>
          first &&
          openLineage({
            groupId: group.group_id,
            groupName: group.name,
            versions,
            datasetId: first.id,
          })
        }
      >
        Lineage
      </Button>
    </Space>
  );
}
