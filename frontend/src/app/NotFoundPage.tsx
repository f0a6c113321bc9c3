import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="This address does not name a page of Datamill."
      extra={
        <Link to="/datasets">
          <Button type="primary">Go to datasets</Button>
        </Link>
      }
    />
  );
}
