import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { get, renderPage, routeFetch } from '../testing';
import { SystemStatusPage } from './SystemStatusPage';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const health: Schemas['Health'] = {
  service: 'dataset-registry',
  version: '0.1.0',
  status: 'ok',
  database: { status: 'up', latency_ms: 1.2 },
};

function worker(overrides: Partial<Schemas['WorkerStatus']>): Schemas['WorkerStatus'] {
  return {
    kind: 'pipeline',
    id: 'pipeline-1',
    host: 'box',
    pid: 4242,
    version: '0.1.0',
    started_at: '2026-11-27T04:00:00Z',
    last_seen_at: '2026-11-27T04:25:00Z',
    heartbeat_age_secs: 2.4,
    state: 'ALIVE',
    current: null,
    ...overrides,
  };
}

function queue(overrides: Partial<Schemas['QueueStatus']>): Schemas['QueueStatus'] {
  return {
    name: 'pipeline',
    pending: 0,
    in_flight: 0,
    scheduled: 0,
    oldest_pending_age_secs: null,
    failed_last_day: 0,
    ...overrides,
  };
}

function status(overrides: Partial<Schemas['SystemStatus']>): Schemas['SystemStatus'] {
  return {
    checked_at: '2026-11-27T04:25:02Z',
    database: { status: 'up', latency_ms: 0.8 },
    workers: [],
    queues: [queue({ name: 'pipeline' }), queue({ name: 'eda' })],
    ...overrides,
  };
}

function serve(body: Schemas['SystemStatus']) {
  fetchMock.mockImplementation(
    routeFetch([get('/api/v1/health', () => health), get('/api/v1/system/status', () => body)]),
  );
}

const row = (table: HTMLElement, id: string) => {
  const found = table.querySelector<HTMLElement>(`tr[data-row-id="${id}"]`);
  if (!found) {
    throw new Error(`no row ${id}`);
  }
  return within(found);
};

describe('SystemStatusPage', { timeout: 30_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
  });

  it('lists ALIVE and STALE workers and the queues', async () => {
    serve(
      status({
        workers: [
          worker({ current: '0553e6fe-db28-4dde-ba03-7c0f1c1c045e' }),
          worker({
            kind: 'eda',
            id: 'eda-1',
            pid: 7,
            heartbeat_age_secs: 185,
            state: 'STALE',
          }),
        ],
        queues: [
          queue({ name: 'pipeline', pending: 3, in_flight: 1, oldest_pending_age_secs: 12 }),
          queue({ name: 'eda', scheduled: 2, failed_last_day: 4 }),
        ],
      }),
    );
    renderPage(<SystemStatusPage />);

    const workers = await screen.findByRole('table', { name: 'Workers' });
    const pipeline = row(workers, 'pipeline:pipeline-1');
    expect(pipeline.getByText('ALIVE')).toBeInTheDocument();
    expect(pipeline.getByText('2 s ago')).toBeInTheDocument();
    expect(pipeline.getByText('box / 4242')).toBeInTheDocument();
    expect(pipeline.getByText('0553e6fe-db28-4dde-ba03-7c0f1c1c045e')).toBeInTheDocument();
    const eda = row(workers, 'eda:eda-1');
    expect(eda.getByText('STALE')).toHaveClass('ant-tag-orange');
    expect(eda.getByText('3 min ago')).toBeInTheDocument();
    expect(eda.getByText('idle')).toBeInTheDocument();

    const queues = screen.getByRole('table', { name: 'Queues' });
    const pipelineQueue = row(queues, 'pipeline');
    expect(pipelineQueue.getByText('3')).toBeInTheDocument();
    expect(pipelineQueue.getByText('12 s')).toBeInTheDocument();
    expect(row(queues, 'eda').getByText('4')).toBeInTheDocument();
    expect(screen.queryByText('no worker is taking jobs')).not.toBeInTheDocument();

    expect(screen.getByText('dataset-registry')).toBeInTheDocument();
    expect(screen.getByText('0.8 ms')).toBeInTheDocument();
    expect(screen.getByText('up')).toBeInTheDocument();
  });

  it('warns when due jobs wait with no ALIVE worker of their kind', async () => {
    serve(
      status({
        workers: [worker({}), worker({ kind: 'eda', id: 'eda-1', state: 'STALE' })],
        queues: [
          // A live pipeline worker: an old job there is only a busy queue.
          queue({ name: 'pipeline', pending: 1, oldest_pending_age_secs: 600 }),
          queue({ name: 'eda', pending: 5, oldest_pending_age_secs: 200 }),
        ],
      }),
    );
    renderPage(<SystemStatusPage />);

    const queues = await screen.findByRole('table', { name: 'Queues' });
    expect(row(queues, 'eda').getByText('no worker is taking jobs')).toBeInTheDocument();
    expect(row(queues, 'eda').getByText('3 min')).toBeInTheDocument();
    expect(row(queues, 'pipeline').queryByText('no worker is taking jobs')).toBeNull();
    expect(screen.getByText('No worker is taking jobs from eda')).toBeInTheDocument();
  });

  it('says how to start a worker when none has reported', async () => {
    serve(status({ workers: [] }));
    renderPage(<SystemStatusPage />);

    expect(
      await screen.findByText('No worker has reported in the last 24 hours'),
    ).toBeInTheDocument();
    expect(screen.getByText('Start a worker: make dev runs one.')).toBeInTheDocument();
  });

  it('shows the database down and its error', async () => {
    serve(
      status({
        database: { status: 'down', error: 'connection refused' },
        workers: [],
        queues: [],
      }),
    );
    renderPage(<SystemStatusPage />);

    expect(await screen.findByText('The database is down')).toBeInTheDocument();
    expect(screen.getByText('down')).toHaveClass('ant-tag-error');
    expect(screen.getByText('connection refused')).toBeInTheDocument();
    expect(screen.getAllByText('Unknown while the database is down')).toHaveLength(2);
    expect(screen.queryByText('Start a worker: make dev runs one.')).not.toBeInTheDocument();
  });
});
