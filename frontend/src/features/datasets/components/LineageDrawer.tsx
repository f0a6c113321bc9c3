import { Button, Drawer } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useLineageDrawer } from '../stores/lineageDrawer';
import { LineageView } from './LineageView';

/** The list page's lineage drawer, for whichever group (and version) the store names. */
export function LineageDrawer() {
  const target = useLineageDrawer((state) => state.target);
  const select = useLineageDrawer((state) => state.select);
  const close = useLineageDrawer((state) => state.close);
  const navigate = useNavigate();
  return (
    <Drawer
      open={target !== null}
      onClose={close}
      width={Math.min(1080, Math.round(window.innerWidth * 0.9))}
      title={target ? `Lineage · ${target.groupName}` : 'Lineage'}
      extra={
        target ? (
          <Button
            onClick={() => {
              close();
              navigate(`/datasets/${target.groupId}?tab=lineage&version=${target.datasetId}`);
            }}
          >
            Open in detail page
          </Button>
        ) : null
      }
      destroyOnHidden
    >
      {target ? (
        <LineageView
          versions={target.versions}
          selectedId={target.datasetId}
          onSelect={select}
          graphHeight={420}
        />
      ) : null}
    </Drawer>
  );
}
