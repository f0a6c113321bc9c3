import { Button, Tooltip } from 'antd';
import type { ReactNode } from 'react';

/** Which release brings what is not there yet; the same words on buttons and tabs. */
export const SAMPLES_RELEASE = 'Arrives with the samples viewer release';

/** A disabled action that says when it arrives, instead of pretending to work. */
export function ComingSoonButton({
  children,
  reason,
  icon,
  size,
}: {
  children: ReactNode;
  reason: string;
  icon?: ReactNode;
  size?: 'small' | 'middle';
}) {
  return (
    <Tooltip title={reason}>
      <Button disabled icon={icon} size={size} aria-description={reason}>
        {children}
      </Button>
    </Tooltip>
  );
}
