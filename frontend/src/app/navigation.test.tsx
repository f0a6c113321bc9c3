import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { GROUP_ID, detail, json, routeFetch, summary } from '@/features/datasets/testing';
import { useWizardStore } from '@/features/pipelines/stores/wizardStore';
import { CATALOG } from '@/features/pipelines/utils/testing';
import { createQueryClient } from './queryClient';
import { routes } from './router';

// Pages of different features that read one resource share its cache entry. Each test here
// mounts the whole app once (one QueryClient, one router) and moves between such pages the way a
// user does, by clicking, so whatever one page cached is what the next one reads.

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const SOURCE = detail.datasets[0] as Schemas['Dataset'];
// What the wizard may offer at the start of a COCO detection source's chain (the catalog's
// post-merge-only and deprecated manipulators are not offered there).
const OFFERED = ['rotate_180', 'filter_keep_by_class', 'format_convert_to_yolo'];

function page<T>(items: T[]) {
  return { items, total: items.length, page: 1, page_size: 200 };
}

// The API's real shapes: the catalog is `{items: [...]}` like every list.
const api = routeFetch([
  (request, url) => {
    if (request.method !== 'GET') return undefined;
    switch (url.pathname) {
      case '/api/v1/manipulators':
        return json({ items: CATALOG } satisfies Schemas['ManipulatorList']);
      case '/api/v1/dataset-groups':
        return json(page([summary]) satisfies Schemas['GroupPage']);
      case `/api/v1/dataset-groups/${GROUP_ID}`:
        return json(detail);
      case '/api/v1/datasets':
        return json(page([SOURCE]) satisfies Schemas['DatasetPage']);
      default:
        return undefined;
    }
  },
]);

// Checking pointer-events walks computed styles up the whole antd tree on every event (seconds
// per click in jsdom); nothing here relies on it.
const setupUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });

function renderApp(url: string) {
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  render(
    <AntApp>
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </AntApp>,
  );
  return router;
}

function nav() {
  return screen.getByRole('menu', { name: 'Main navigation' });
}

/**
 * Settings → Manipulators, in-app. (The Settings submenu cannot be opened in jsdom: the horizontal
 * menu measures its items to decide which fit, and jsdom has no layout, so the router is told
 * directly what the link would tell it. The end-to-end test clicks the real menu.)
 */
async function openSettingsManipulators(router: ReturnType<typeof renderApp>) {
  await act(() => router.navigate('/settings/manipulators'));
}

async function expectCatalogTable() {
  const table = await screen.findByRole('table', { name: 'Manipulators' });
  // Every manipulator of the catalog has its row.
  for (const { name } of CATALOG) {
    expect(await within(table).findByText(name)).toBeInTheDocument();
  }
  expect(screen.queryByText('The catalog is empty')).not.toBeInTheDocument();
}

/** The wizard on step 2 with the group's source selected: open its "Add manipulator" picker. */
async function expectWizardOffersManipulators(user: ReturnType<typeof setupUser>) {
  expect(await screen.findByRole('heading', { name: 'New pipeline' })).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Next' }));
  const chain = await screen.findByTestId(`chain-source-${SOURCE.id}`);
  fireEvent.mouseDown(within(chain).getByRole('combobox', { name: 'Add manipulator' }));
  await screen.findByRole('listbox');
  await waitFor(() => {
    const offered = [...document.querySelectorAll('.ant-select-item-option')].map(
      (option) => option.getAttribute('title') ?? '',
    );
    expect(offered).toEqual(expect.arrayContaining(OFFERED));
  });
  expect(screen.queryByText('No manipulator can run here')).not.toBeInTheDocument();
}

function expectNoCrash() {
  expect(screen.queryByText(/Unexpected Application Error/)).not.toBeInTheDocument();
}

describe('moving between pages that share a cache entry', { timeout: 60_000 }, () => {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error);

  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(api);
    useWizardStore.getState().reset();
    // The wizard scrolls to the top on every step; jsdom has no scrolling.
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    errors.length = 0;
    window.addEventListener('error', onError);
  });

  afterEach(() => {
    window.removeEventListener('error', onError);
    vi.restoreAllMocks();
  });

  it('Settings → Manipulators, then the wizard lists the same catalog, then back', async () => {
    const user = setupUser();
    const router = renderApp('/settings/manipulators');
    await expectCatalogTable();

    // To the wizard in-app: Datasets in the navigation, then the group's "Run pipeline".
    await user.click(within(nav()).getByRole('link', { name: 'Datasets' }));
    await user.click(await screen.findByRole('button', { name: 'Run pipeline' }));
    expect(router.state.location.pathname).toBe('/pipelines/new');
    await expectWizardOffersManipulators(user);
    expectNoCrash();

    await openSettingsManipulators(router);
    expect(router.state.location.pathname).toBe('/settings/manipulators');
    await expectCatalogTable();
    expectNoCrash();

    expect(errors).toEqual([]);
    // One catalog request served both pages: they read one cache entry.
    const catalogCalls = fetchMock.mock.calls.filter(([input]) =>
      String(input instanceof Request ? input.url : input).endsWith('/api/v1/manipulators'),
    );
    expect(catalogCalls).toHaveLength(1);
  });

  it('the wizard first, then Settings → Manipulators shows the catalog it cached', async () => {
    const user = setupUser();
    const router = renderApp(`/pipelines/new?source_group=${GROUP_ID}`);
    await expectWizardOffersManipulators(user);

    await openSettingsManipulators(router);
    await expectCatalogTable();
    expectNoCrash();
    expect(errors).toEqual([]);
  });
});
