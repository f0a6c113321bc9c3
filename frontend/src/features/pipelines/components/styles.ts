import type { CSSProperties } from 'react';

// The shared stylesheet belongs to the app; this feature's few extra looks live here.
export const problemListStyle: CSSProperties = { margin: 0, paddingInlineStart: 18 };

export const jsonStyle: CSSProperties = {
  maxHeight: 420,
  overflow: 'auto',
  margin: 0,
  padding: 12,
  fontSize: 12,
  background: 'rgba(0, 0, 0, 0.03)',
  borderRadius: 6,
};
