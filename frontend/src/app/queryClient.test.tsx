import { QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { useEffect } from 'react';
import { ApiError } from '@/api/client';
import { setNotificationInstance } from '@/lib/notify';
import { createQueryClient } from './queryClient';

const problem = {
  type: 'https://datamill.dev/problems/version_exists',
  title: 'Conflict',
  status: 409,
  code: 'VERSION_EXISTS',
  detail: 'demo_coco TRAIN already has v1.0.0',
};

function Bridge() {
  const { notification } = AntApp.useApp();
  useEffect(() => setNotificationInstance(notification), [notification]);
  return null;
}

function FailingQuery({ toast }: { toast: boolean }) {
  useQuery({
    queryKey: ['failing', toast],
    queryFn: () => Promise.reject(new ApiError(409, problem, '409 Conflict')),
    meta: { toast },
    retry: false,
  });
  return null;
}

function FailingMutation() {
  const mutation = useMutation({
    mutationFn: () => Promise.reject(new ApiError(503, undefined, '503 Service Unavailable')),
  });
  const { mutate } = mutation;
  useEffect(() => mutate(), [mutate]);
  return null;
}

function renderWith(children: React.ReactNode) {
  return render(
    <AntApp>
      <Bridge />
      <QueryClientProvider client={createQueryClient()}>{children}</QueryClientProvider>
    </AntApp>,
  );
}

describe('error toasts', () => {
  it('show the problem title and detail of a failed query', async () => {
    renderWith(<FailingQuery toast />);
    expect(await screen.findByText('Conflict')).toBeInTheDocument();
    expect(screen.getByText('demo_coco TRAIN already has v1.0.0')).toBeInTheDocument();
  });

  it('stay quiet for a query that shows its own error', async () => {
    renderWith(<FailingQuery toast={false} />);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.queryByText('Conflict')).not.toBeInTheDocument();
  });

  it('say what failed when the server sent no problem document', async () => {
    renderWith(<FailingMutation />);
    expect(await screen.findByText('Request failed')).toBeInTheDocument();
    expect(screen.getByText('503 Service Unavailable')).toBeInTheDocument();
  });
});
