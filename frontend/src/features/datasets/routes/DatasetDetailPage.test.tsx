import { screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { GROUP_ID, detail, json, renderRoute, requestedUrls, routeFetch } from '../testing';
import { MIX, PEOPLE, PEOPLE_VAL, chainLineage } from '../testingLineage';
import { DatasetDetailPage } from './DatasetDetailPage';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const SOURCE = detail.datasets[0] as Schemas['Dataset'];
const CHILD_ID = '363ea443-d784-45cc-8f42-366d59b0f970';
const CHILD_GROUP = 'ef0b37f0-39fe-40bc-aca7-6fe15d5ab462';

const lineage: Schemas['Lineage'] = {
  root: SOURCE.id,
  direction: 'both',
  depth: 10,
  nodes: [
    { depth: 0, group_name: 'demo_coco', dataset_type: 'RAW', dataset: SOURCE },
    {
      depth: 1,
      group_name: 'coco_people',
      dataset_type: 'PROCESSED',
      dataset: { ...SOURCE, id: CHILD_ID, group_id: CHILD_GROUP, image_count: 68 },
    },
  ],
  edges: [
    {
      parent_id: SOURCE.id,
      child_id: CHILD_ID,
      created_at: '2026-11-27T04:38:15Z',
      transform_config: {
        execution_id: 'fb93c90b-5128-4da1-9ce6-9859faad0f1f',
        sources: [
          {
            source_index: 0,
            manipulators: [
              { name: 'rotate_180', params: {} },
              { name: 'filter_keep_by_class', params: { classes: ['person'] } },
            ],
          },
        ],
        post_merge: [],
      } as unknown as Schemas['LineageEdge']['transform_config'],
    },
  ],
};

const location = () => screen.getByTestId('location').textContent ?? '';

describe('DatasetDetailPage', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(
      routeFetch([
        (_, url) =>
          url.pathname === `/api/v1/dataset-groups/${GROUP_ID}` ? json(detail) : undefined,
        (_, url) =>
          url.pathname === `/api/v1/datasets/${SOURCE.id}/lineage` ? json(lineage) : undefined,
      ]),
    );
  });

  it('says when the group does not exist', async () => {
    renderRoute(<DatasetDetailPage />, {
      path: '/datasets/:groupId',
      url: '/datasets/00000000-0000-0000-0000-000000000000',
    });
    expect(await screen.findByText('Dataset group not found')).toBeInTheDocument();
    expect(screen.getByText('Back to datasets')).toBeInTheDocument();
  });

  it('shows the versions and links to registering another one', async () => {
    const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
    renderRoute(<DatasetDetailPage />, {
      path: '/datasets/:groupId',
      url: `/datasets/${GROUP_ID}`,
    });
    const table = await screen.findByRole('table', { name: 'Dataset versions' });
    expect(within(table).getByText('raw/demo_coco/train/v1.0.0').closest('a')).toHaveAttribute(
      'href',
      '/static/raw/demo_coco/train/v1.0.0/',
    );
    await user.click(screen.getByText('Register new version'));
    await waitFor(() => expect(location()).toBe(`/datasets/new?group=${GROUP_ID}`));
  });

  it("opens a version's EDA tab from the versions table", async () => {
    const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
    renderRoute(<DatasetDetailPage />, {
      path: '/datasets/:groupId',
      url: `/datasets/${GROUP_ID}`,
    });
    await screen.findByRole('table', { name: 'Dataset versions' });
    await user.click(screen.getByRole('button', { name: 'EDA of Train v1.0.0' }));
    await waitFor(() =>
      expect(location()).toBe(`/datasets/${GROUP_ID}?tab=eda&version=${SOURCE.id}`),
    );
  });

  it('opens the lineage tab from the URL as a graph of every version and derivation', async () => {
    renderRoute(<DatasetDetailPage />, {
      path: '/datasets/:groupId',
      url: `/datasets/${GROUP_ID}?tab=lineage`,
    });
    const graph = await screen.findByTestId('lineage-graph');
    await waitFor(() => expect(graph.querySelectorAll('.react-flow__node')).toHaveLength(2));
    await waitFor(() => expect(graph.querySelectorAll('.react-flow__edge')).toHaveLength(1));
    const child = within(graph).getByTestId(`lineage-node-${CHILD_ID}`);
    expect(child).toHaveTextContent('coco_people');
    expect(child).toHaveTextContent('Train · v1.0.0');
    expect(child).toHaveAttribute('data-dataset-type', 'PROCESSED');
    expect(child).toHaveAttribute(
      'href',
      `/datasets/${CHILD_GROUP}?tab=lineage&version=${CHILD_ID}`,
    );
    expect(within(graph).getByTestId(`lineage-node-${SOURCE.id}`)).toHaveAttribute(
      'data-current',
      'true',
    );
    expect(within(graph).getByTestId('lineage-edge-label')).toHaveTextContent(
      'rotate_180 → filter_keep_by_class(classes=person)',
    );

    // Each derivation in full below the graph, with the execution that made it.
    const edge = screen.getByTestId('lineage-edge');
    expect(edge).toHaveTextContent('demo_coco · Train · v1.0.0 → coco_people · Train · v1.0.0');
    expect(within(edge).getByText('rotate_180')).toBeInTheDocument();
    expect(within(edge).getByText('filter_keep_by_class')).toBeInTheDocument();
    expect(within(edge).getByRole('link', { name: 'execution' })).toHaveAttribute(
      'href',
      '/pipelines/fb93c90b-5128-4da1-9ce6-9859faad0f1f',
    );
    // Upstream and downstream to the API's full depth.
    const asked = requestedUrls(fetchMock).find((url) => url.pathname.endsWith('/lineage'));
    expect(asked?.searchParams.get('direction')).toBe('both');
    expect(asked?.searchParams.get('depth')).toBe('50');
  });

  it('draws a chain of several levels, filters it by split, and opens a version on click', async () => {
    const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
    fetchMock.mockImplementation(
      routeFetch([
        (_, url) =>
          url.pathname === `/api/v1/dataset-groups/${GROUP_ID}` ? json(detail) : undefined,
        (_, url) =>
          url.pathname === `/api/v1/datasets/${SOURCE.id}/lineage` ? json(chainLineage) : undefined,
      ]),
    );
    renderRoute(<DatasetDetailPage />, {
      path: '/datasets/:groupId',
      url: `/datasets/${GROUP_ID}?tab=lineage`,
    });
    // The graph is drawn anew when the split filter changes (to fit the view to what is left).
    const graph = () => screen.getByTestId('lineage-graph');
    await screen.findByTestId('lineage-graph');
    const nodeIds = () =>
      [...graph().querySelectorAll('.react-flow__node')].map((n) => n.getAttribute('data-id'));
    const edgeCount = () => graph().querySelectorAll('.react-flow__edge').length;
    await waitFor(() =>
      expect(nodeIds().sort()).toEqual(chainLineage.nodes.map((n) => n.dataset.id).sort()),
    );
    await waitFor(() => expect(edgeCount()).toBe(chainLineage.edges.length));
    expect(
      within(graph())
        .getAllByTestId('lineage-edge-label')
        .map((l) => l.textContent),
    ).toEqual(
      expect.arrayContaining([
        'sample_n_images(n=10)',
        'merged, then shuffle_image_ids(seed=7)',
        'copied as is',
      ]),
    );
    // The version asked about is the highlighted one; the legend names the types present.
    expect(within(graph()).getByTestId(`lineage-node-${PEOPLE.id}`)).toHaveAttribute(
      'data-current',
      'true',
    );
    expect(screen.getByLabelText('Legend')).toHaveTextContent(/Raw.*Processed.*Fusion/);

    // Only the train versions: the val one and its edge go, the chain stays whole.
    await user.click(screen.getByRole('checkbox', { name: 'Val (1)' }));
    await waitFor(() => expect(nodeIds()).not.toContain(PEOPLE_VAL.id));
    expect(nodeIds()).toHaveLength(4);
    await waitFor(() => expect(edgeCount()).toBe(3));
    expect(screen.getAllByTestId('lineage-edge')).toHaveLength(3);

    // A click on a node opens that version (in the app, on its lineage).
    await user.click(screen.getByTestId(`lineage-node-${MIX.id}`));
    await waitFor(() =>
      expect(location()).toBe(`/datasets/${MIX.group_id}?tab=lineage&version=${MIX.id}`),
    );
  });
});
