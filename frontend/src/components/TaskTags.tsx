import { Space, Tag } from 'antd';
import type { Schemas } from '@/api/client';
import { TASK_TYPES } from '@/lib/enums';

export function TaskTags({ tasks }: { tasks: readonly Schemas['TaskType'][] }) {
  if (tasks.length === 0) {
    return <span className="dm-muted">—</span>;
  }
  return (
    <Space size={[0, 4]} wrap>
      {tasks.map((task) => (
        <Tag key={task} color="blue" bordered={false}>
          {TASK_TYPES[task]}
        </Tag>
      ))}
    </Space>
  );
}
