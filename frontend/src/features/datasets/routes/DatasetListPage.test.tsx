import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { GROUP_ID, json, renderRoute, requestedUrls, routeFetch, summary } from '../testing';
import { DatasetListPage } from './DatasetListPage';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

function page(items: Schemas['GroupSummary'][]): Schemas['GroupPage'] {
  return { items, total: items.length, page: 1, page_size: 20 };
}

function listCalls(): URLSearchParams[] {
  return requestedUrls(fetchMock)
    .filter((url) => url.pathname === '/api/v1/dataset-groups')
    .map((url) => url.searchParams);
}

// Checking pointer-events walks computed styles up the whole antd tree on every event (seconds
// per click in jsdom); nothing here relies on it.
const setupUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });

const location = () => screen.getByTestId('location').textContent ?? '';

// Whole antd forms and tables render slowly in jsdom; under a loaded parallel run the default
// 20 s can be too tight for the longer flows.
describe('DatasetListPage', { timeout: 45_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
  });

  function serve(groups: (params: URLSearchParams) => Schemas['GroupSummary'][]) {
    fetchMock.mockImplementation(
      routeFetch([
        (request, url) =>
          request.method === 'GET' && url.pathname === '/api/v1/dataset-groups'
            ? json(page(groups(url.searchParams)))
            : undefined,
      ]),
    );
  }

  it('sends the filters and sort of the URL to the server', async () => {
    serve(() => [summary]);
    renderRoute(<DatasetListPage />, {
      path: '/datasets',
      url: '/datasets?status=READY&sort=name&task_types=SEGMENTATION,DETECTION&bogus=1',
    });

    expect(await screen.findByRole('link', { name: 'demo_coco' })).toHaveAttribute(
      'href',
      `/datasets/${GROUP_ID}`,
    );
    const query = listCalls()[0];
    expect(query?.get('status')).toBe('READY');
    expect(query?.get('sort')).toBe('name');
    expect(query?.get('task_types')).toBe('DETECTION,SEGMENTATION');
    expect(query?.get('page')).toBe('1');
    expect(query?.has('bogus')).toBe(false);
    // The clicked header shows the URL's sort.
    const table = screen.getByRole('table', { name: 'Dataset groups' });
    expect(within(table).getByRole('columnheader', { name: /Name/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
  });

  it('puts a changed filter, search and sort into the URL and refetches', async () => {
    const user = setupUser();
    serve(() => [summary]);
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets?status=READY&page=2' });
    await screen.findByRole('link', { name: 'demo_coco' });

    // A filter: antd opens its select on mouse down, then the option is picked by its title.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Split' }));
    fireEvent.click(await screen.findByTitle('Val'));
    await waitFor(() => expect(location()).toBe('/datasets?split=VAL&status=READY'));
    await waitFor(() => expect(listCalls().at(-1)?.get('split')).toBe('VAL'));
    expect(listCalls().at(-1)?.get('page')).toBe('1');

    // The search reaches the URL once typing pauses.
    await user.type(screen.getByRole('textbox', { name: 'Search by name' }), 'coco');
    await waitFor(() => expect(location()).toBe('/datasets?q=coco&split=VAL&status=READY'));
    await waitFor(() => expect(listCalls().at(-1)?.get('q')).toBe('coco'));

    // Sorting by a column header: name ascending first, then descending.
    const table = screen.getByRole('table', { name: 'Dataset groups' });
    await user.click(within(table).getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(location()).toContain('sort=name'));
    await user.click(within(table).getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(location()).toContain('sort=-name'));
    await waitFor(() => expect(listCalls().at(-1)?.get('sort')).toBe('-name'));
  });

  it('tells "nothing matches" from "nothing registered", and resets the filters', async () => {
    const user = setupUser();
    serve((params) => (params.has('modality') ? [] : [summary]));
    renderRoute(<DatasetListPage />, {
      path: '/datasets',
      url: '/datasets?modality=THERMAL&sort=name',
    });

    expect(await screen.findByText('No dataset matches these filters')).toBeInTheDocument();
    expect(screen.queryByText('No datasets registered yet')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reset filters' }));
    // Filters go; the chosen sort stays.
    await waitFor(() => expect(location()).toBe('/datasets?sort=name'));
    expect(await screen.findByRole('link', { name: 'demo_coco' })).toBeInTheDocument();
  });

  it('invites the first registration when there are no groups at all', async () => {
    serve(() => []);
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets' });
    expect(await screen.findByText('No datasets registered yet')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Register your first dataset' }));
    await waitFor(() => expect(location()).toBe('/datasets/new'));
  });

  it('expands a group into its split × version matrix', async () => {
    const user = setupUser();
    serve(() => [summary]);
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets' });
    await screen.findByRole('link', { name: 'demo_coco' });

    await user.click(screen.getByRole('button', { name: 'Expand row' }));
    const train = screen.getByTestId('version-TRAIN-v1.0.0');
    expect(within(train).getByText('Ready')).toBeInTheDocument();
    expect(within(train).getByTestId('image-count')).toHaveTextContent('120');
    expect(within(train).getByTestId('class-count')).toHaveTextContent('80');
    expect(
      within(screen.getByTestId('version-VAL-v1.0.0')).getByText('Processing'),
    ).toBeInTheDocument();
  });

  it('runs a pipeline on a group through the pipelines URL', async () => {
    const user = setupUser();
    serve(() => [summary]);
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets' });
    await screen.findByRole('link', { name: 'demo_coco' });
    await user.click(screen.getByRole('button', { name: 'Run pipeline' }));
    await waitFor(() => expect(location()).toBe(`/pipelines/new?source_group=${GROUP_ID}`));
  });

  it("opens the samples tab of the group's default version from the row", async () => {
    const user = setupUser();
    serve(() => [summary]);
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets' });
    await screen.findByRole('link', { name: 'demo_coco' });
    const samples = screen.getByRole('button', { name: 'Samples' });
    expect(samples).toBeEnabled();
    await user.click(samples);
    await waitFor(() =>
      expect(location()).toBe(
        `/datasets/${GROUP_ID}?tab=samples&version=d7fdb188-dd6a-4053-92aa-6e94ed525e97`,
      ),
    );
  });

  it("shows each version's EDA in its row and opens the EDA tab from there", async () => {
    const user = setupUser();
    const running: Schemas['GroupSummary'] = {
      ...summary,
      splits: summary.splits.map((split) =>
        split.split === 'VAL'
          ? {
              ...split,
              versions: split.versions.map((v) => ({ ...v, eda: { status: 'RUNNING' as const } })),
            }
          : split,
      ),
    };
    let asked = 0;
    serve(() => {
      asked += 1;
      // The run ends between the first and the second answer.
      return [asked === 1 ? running : summary];
    });
    renderRoute(<DatasetListPage />, { path: '/datasets', url: '/datasets' });
    await screen.findByRole('link', { name: 'demo_coco' });

    const tags = () => screen.getAllByTestId('eda-summary');
    expect(tags().map((tag) => tag.getAttribute('data-status'))).toEqual(['DONE', 'RUNNING']);
    expect(tags()[0]).toHaveTextContent('1,234 objects3 issues');
    expect(tags()[1]).toHaveTextContent('EDA running');
    expect(tags()[0]?.closest('a')).toHaveAttribute(
      'href',
      `/datasets/${GROUP_ID}?tab=eda&version=d7fdb188-dd6a-4053-92aa-6e94ed525e97`,
    );

    // While a run is going the list asks again by itself, until none is.
    await waitFor(() => expect(tags()[1]).toHaveAttribute('data-status', 'NOT_REQUESTED'), {
      timeout: 8_000,
    });
    const calls = listCalls().length;
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(listCalls()).toHaveLength(calls);

    // The expanded matrix says it per version, in full.
    await user.click(screen.getByRole('button', { name: 'Expand row' }));
    expect(
      within(screen.getByTestId('version-TRAIN-v1.0.0')).getByTestId('eda-summary'),
    ).toHaveTextContent('1,234 objects · 61 classes · 3 issues');

    // The row's EDA button opens the tab on the version the lineage would open on.
    await user.click(screen.getByRole('button', { name: 'EDA' }));
    await waitFor(() =>
      expect(location()).toBe(
        `/datasets/${GROUP_ID}?tab=eda&version=d7fdb188-dd6a-4053-92aa-6e94ed525e97`,
      ),
    );
  });
});
