import { Button, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { useLineageDrawer } from '../stores/lineageDrawer';
import { runPipelineUrl } from './presentation';
import { ComingSoonButton, EDA_RELEASE, SAMPLES_RELEASE } from './ComingSoon';
import { defaultOption, optionsFromSummary } from './versions';

export function GroupActions({ group }: { group: Schemas['GroupSummary'] }) {
  const navigate = useNavigate();
  const openLineage = useLineageDrawer((state) => state.open);
  const versions = optionsFromSummary(group.splits);
  const first = defaultOption(versions);
  return (
    <Space size={4} wrap={false}>
      <Button
        size="small"
        disabled={versions.length === 0}
        onClick={() => navigate(runPipelineUrl(group.group_id))}
      >
        Run pipeline
      </Button>
      <ComingSoonButton size="small" reason={SAMPLES_RELEASE}>
        Samples
      </ComingSoonButton>
      <ComingSoonButton size="small" reason={EDA_RELEASE}>
        EDA
      </ComingSoonButton>
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
