import { Layout as AntLayout, Menu, Tooltip } from 'antd';
import type { MenuProps } from 'antd';
import { Link, Outlet, useLocation } from 'react-router-dom';

const items: MenuProps['items'] = [
  { key: 'datasets', label: <Link to="/datasets">Datasets</Link> },
  { key: 'pipelines', label: <Link to="/pipelines">Pipelines</Link> },
  {
    key: 'training',
    disabled: true,
    label: (
      <Tooltip title="Model training arrives in release 2 — coming soon">
        <span>Model training</span>
      </Tooltip>
    ),
  },
  {
    key: 'settings',
    label: 'Settings',
    children: [
      {
        key: 'settings/manipulators',
        label: <Link to="/settings/manipulators">Manipulators</Link>,
      },
      { key: 'settings/system', label: <Link to="/settings/system">System status</Link> },
    ],
  },
];

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/settings/system')) return 'settings/system';
  if (pathname.startsWith('/settings')) return 'settings/manipulators';
  if (pathname.startsWith('/pipelines')) return 'pipelines';
  return 'datasets';
}

export function Layout() {
  const { pathname } = useLocation();
  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <AntLayout.Header style={{ display: 'flex', alignItems: 'center' }}>
        <Link to="/datasets" className="dm-nav-logo">
          Datamill
        </Link>
        <Menu
          theme="dark"
          mode="horizontal"
          aria-label="Main navigation"
          selectedKeys={[selectedKey(pathname)]}
          items={items}
          style={{ flex: 1, minWidth: 0 }}
        />
      </AntLayout.Header>
      <AntLayout.Content>
        <main className="dm-content">
          <Outlet />
        </main>
      </AntLayout.Content>
    </AntLayout>
  );
}
