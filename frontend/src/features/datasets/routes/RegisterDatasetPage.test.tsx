import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import {
  GROUP_ID,
  type Handler,
  detail,
  json,
  problem,
  renderRoute,
  routeFetch,
  summary,
} from '../testing';
import { RegisterDatasetPage } from './RegisterDatasetPage';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

function report(valid: boolean): Schemas['ValidatePathResponse'] {
  return {
    storage_uri: 'raw/demo_coco/train/v1.0.1',
    exists: true,
    valid,
    report: {
      format: 'COCO',
      valid,
      errors: valid ? 0 : 1,
      warnings: 1,
      counts: {
        images: 120,
        annotations: 429,
        classes: 2,
        images_without_annotations: 12,
        crowd_annotations: 0,
        annotation_types: { BBOX: 429 },
      },
      class_histogram: [
        { id: 1, name: 'person', annotations: 117, images: 68 },
        { id: 2, name: 'car', annotations: 312, images: 90 },
      ],
      problem_counts: {},
      problems: [
        {
          severity: valid ? 'warning' : 'error',
          code: 'degenerate_box',
          message: 'box of zero width',
          location: { file: 'annotation.json', json_path: '$.annotations[3].bbox' },
        },
      ],
    },
  };
}

const registered: Schemas['Dataset'] = {
  ...(detail.datasets[0] as Schemas['Dataset']),
  id: '11111111-2222-3333-4444-555555555555',
  version: 'v1.0.1',
};

/** The stubbed API; `register` answers `POST /datasets` and records the bodies it got. */
function serve({ valid = true, register }: { valid?: boolean; register: () => Response }) {
  const bodies: unknown[] = [];
  const handlers: Handler[] = [
    (request, url) =>
      request.method === 'GET' && url.pathname === `/api/v1/dataset-groups/${GROUP_ID}`
        ? json(detail)
        : undefined,
    (request, url) =>
      request.method === 'GET' && url.pathname === `/api/v1/dataset-groups/${GROUP_ID}/next-version`
        ? json({
            group_id: GROUP_ID,
            split: url.searchParams.get('split'),
            version: 'v1.0.1',
            latest: 'v1.0.0',
          })
        : undefined,
    (request, url) =>
      request.method === 'GET' && url.pathname === '/api/v1/dataset-groups'
        ? json({ items: [summary], total: 1, page: 1, page_size: 50 })
        : undefined,
    (request, url) =>
      request.method === 'POST' && url.pathname === '/api/v1/datasets/validate-path'
        ? json(report(valid))
        : undefined,
    async (request, url) => {
      if (request.method === 'POST' && url.pathname === '/api/v1/datasets') {
        bodies.push(await request.json());
        return register();
      }
      return undefined;
    },
  ];
  fetchMock.mockImplementation(routeFetch(handlers));
  return bodies;
}

// Checking pointer-events walks computed styles up the whole antd tree on every event (seconds
// per click in jsdom); nothing here relies on it.
const setupUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });

const location = () => screen.getByTestId('location').textContent ?? '';
// Found by text rather than getByRole: role queries over a whole antd form are slow in jsdom.
const registerButton = () => {
  const button = screen.getByText('Register', { selector: 'button span' }).closest('button');
  if (!button) throw new Error('no Register button');
  return button;
};

async function fillPathAndWaitForProposal() {
  const user = setupUser();
  renderRoute(<RegisterDatasetPage />, {
    path: '/datasets/new',
    url: `/datasets/new?group=${GROUP_ID}`,
  });
  // The preselected group's next version is proposed.
  await waitFor(() => expect(screen.getByLabelText('Version')).toHaveValue('v1.0.1'));
  await user.click(screen.getByLabelText('NAS path'));
  await user.paste('raw/demo_coco/train/v1.0.1');
  return user;
}

// Whole antd forms and tables render slowly in jsdom; under a loaded parallel run the default
// 20 s can be too tight for the longer flows.
describe('RegisterDatasetPage', { timeout: 45_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
  });

  it('enables Register only once the current path validated', async () => {
    serve({ register: () => json(registered, 201) });
    const user = await fillPathAndWaitForProposal();
    expect(screen.getByRole('button', { name: 'Register' })).toBeDisabled();

    await user.click(screen.getByText('Validate path'));
    const shown = await screen.findByTestId('validation-report');
    expect(within(shown).getByText(/Valid with 1 warning/)).toBeInTheDocument();
    expect(within(shown).getByText('$.annotations[3].bbox', { exact: false })).toBeInTheDocument();
    // Histogram: the class with most annotations first.
    const classes = within(screen.getByRole('list', { name: 'Class histogram' })).getAllByRole(
      'listitem',
    );
    expect(classes[0]).toHaveTextContent('car');
    await waitFor(() => expect(registerButton()).toBeEnabled());

    // Another path: the report no longer speaks for it.
    await user.type(screen.getByLabelText('NAS path'), 'x');
    expect(registerButton()).toBeDisabled();
    expect(screen.getByText('Out of date')).toBeInTheDocument();
  });

  it('keeps Register disabled when the validator finds errors', async () => {
    serve({ valid: false, register: () => json(registered, 201) });
    const user = await fillPathAndWaitForProposal();
    await user.click(screen.getByText('Validate path'));
    expect(await screen.findByText(/Cannot be registered: 1 error/)).toBeInTheDocument();
    expect(registerButton()).toBeDisabled();
  });

  it('shows a 422 on the version next to the Version field', async () => {
    const bodies = serve({
      register: () =>
        problem({
          type: 'https://datamill.dev/problems/invalid-field',
          title: 'Unprocessable Entity',
          status: 422,
          code: 'INVALID_FIELD',
          detail: '$.version: v1.0.1 is taken',
          errors: [{ field: '$.version', message: 'v1.0.1 is already registered for Train' }],
        }),
    });
    const user = await fillPathAndWaitForProposal();
    await user.click(screen.getByText('Validate path'));
    await waitFor(() => expect(registerButton()).toBeEnabled());
    await user.click(registerButton());

    const message = await screen.findByText('v1.0.1 is already registered for Train');
    const versionItem = screen.getByLabelText('Version').closest('.ant-form-item');
    expect(versionItem).not.toBeNull();
    expect(versionItem).toContainElement(message);
    expect(bodies).toEqual([
      {
        group_id: GROUP_ID,
        split: 'TRAIN',
        version: 'v1.0.1',
        storage_uri: 'raw/demo_coco/train/v1.0.1',
      },
    ]);
    expect(location()).toBe(`/datasets/new?group=${GROUP_ID}`);
  });

  it('opens the group after a successful registration', async () => {
    serve({ register: () => json(registered, 201) });
    const user = await fillPathAndWaitForProposal();
    await user.click(screen.getByText('Validate path'));
    await waitFor(() => expect(registerButton()).toBeEnabled());
    await user.click(registerButton());
    await waitFor(() => expect(location()).toBe(`/datasets/${GROUP_ID}`));
  });

  it('creates a new group first, and does not create it twice when registration fails', async () => {
    const user = setupUser();
    const groups: unknown[] = [];
    const datasets: unknown[] = [];
    const created: Schemas['Group'] = {
      ...detail,
      id: 'a0a0a0a0-0000-4000-8000-000000000001',
      name: 'thermal_cars',
    };
    fetchMock.mockImplementation(
      routeFetch([
        async (request, url) => {
          if (request.method === 'POST' && url.pathname === '/api/v1/dataset-groups') {
            groups.push(await request.json());
            return json(created, 201);
          }
          return undefined;
        },
        (request, url) =>
          request.method === 'GET' && url.pathname === `/api/v1/dataset-groups/${created.id}`
            ? json({ ...created, datasets: [] })
            : undefined,
        (_, url) =>
          url.pathname === `/api/v1/dataset-groups/${created.id}/next-version`
            ? json({ group_id: created.id, split: 'TRAIN', version: 'v1.0.0', latest: null })
            : undefined,
        (_, url) =>
          url.pathname === '/api/v1/dataset-groups'
            ? json({ items: [], total: 0, page: 1, page_size: 50 })
            : undefined,
        (_, url) =>
          url.pathname === '/api/v1/datasets/validate-path' ? json(report(true)) : undefined,
        async (request, url) => {
          if (request.method === 'POST' && url.pathname === '/api/v1/datasets') {
            datasets.push(await request.json());
            return problem({
              type: 'https://datamill.dev/problems/version-exists',
              title: 'Conflict',
              status: 409,
              code: 'VERSION_EXISTS',
              detail: 'v1.0.0 of split Train already exists in this group',
            });
          }
          return undefined;
        },
      ]),
    );
    renderRoute(<RegisterDatasetPage />, { path: '/datasets/new', url: '/datasets/new' });

    await user.click(await screen.findByLabelText('Group name'));
    await user.paste('thermal_cars');
    for (const [label, option] of [
      ['Dataset type', 'Raw'],
      ['Annotation format', 'COCO'],
    ] as const) {
      fireEvent.mouseDown(screen.getByLabelText(label));
      fireEvent.click(await screen.findByTitle(option));
    }
    expect(screen.getByLabelText('Version')).toHaveValue('v1.0.0');
    await user.click(screen.getByLabelText('NAS path'));
    await user.paste('raw/thermal_cars/train/v1.0.0');
    await user.click(screen.getByText('Validate path'));
    await waitFor(() => expect(registerButton()).toBeEnabled());
    await user.click(registerButton());

    const message = await screen.findByText(/already exists in this group/);
    expect(screen.getByLabelText('Version').closest('.ant-form-item')).toContainElement(message);
    expect(screen.getByText('Group thermal_cars was created')).toBeInTheDocument();
    expect(groups).toEqual([
      {
        name: 'thermal_cars',
        dataset_type: 'RAW',
        annotation_format: 'COCO',
        modality: 'RGB',
        task_types: [],
      },
    ]);
    expect(datasets).toMatchObject([{ group_id: created.id, version: 'v1.0.0' }]);

    // The retry registers into the group just created.
    const version = screen.getByLabelText('Version');
    await user.tripleClick(version);
    await user.paste('v1.0.7');
    await waitFor(() => expect(registerButton()).toBeEnabled());
    await user.click(registerButton());
    await waitFor(() => expect(datasets).toHaveLength(2));
    expect(groups).toHaveLength(1);
    expect(datasets[1]).toMatchObject({ group_id: created.id, version: 'v1.0.7' });
  });
});
