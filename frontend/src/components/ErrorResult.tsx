import { Button, Result } from 'antd';
import { problemText } from '@/api/problem';

/** A whole-page error (a query the page cannot do without failed), with a retry. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail } = problemText(error);
  return (
    <Result
      status="error"
      title={title}
      subTitle={detail}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            Try again
          </Button>
        ) : null
      }
    />
  );
}
