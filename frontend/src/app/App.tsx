import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router-dom';
import { setNotificationInstance } from '@/lib/notify';
import { createQueryClient } from './queryClient';
import { createRouter } from './router';

function NotificationBridge() {
  const { notification } = AntApp.useApp();
  useEffect(() => {
    setNotificationInstance(notification);
    return () => setNotificationInstance(undefined);
  }, [notification]);
  return null;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  return (
    <ConfigProvider theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <NotificationBridge />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
