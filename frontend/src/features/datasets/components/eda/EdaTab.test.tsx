import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { DatasetDetailPage } from '../../routes/DatasetDetailPage';
import {
  GROUP_ID,
  detail,
  json,
  problem,
  renderRoute,
  requestedUrls,
  routeFetch,
} from '../../testing';
import {
  FINISHED_AT,
  TRAIN,
  annotationsOnlyReport,
  edaRun,
  thermalFoldersReport,
} from '../../testingEda';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

// jsdom cannot draw: each chart shows the option it was given, which is what these tests check
// (the end-to-end test checks the drawn charts in Chromium).
vi.mock('@/components/charts/EChart', () => ({
  EChart: ({ option, testId }: { option: unknown; testId?: string }) => (
    <pre data-testid={testId ?? 'chart'}>{JSON.stringify(option)}</pre>
  ),
}));

interface ChartJson {
  yAxis: { data: string[] };
  xAxis: { data: string[] };
  series: { name: string; data: ({ name: string; value: number } | unknown[])[] }[];
}

function chart(testId: string): ChartJson {
  return JSON.parse(screen.getByTestId(testId).textContent ?? '{}') as ChartJson;
}

const EDA_PATH = `/api/v1/datasets/${TRAIN.id}/eda`;
const setupUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
const location = () => screen.getByTestId('location').textContent ?? '';
// A role query walks the styles of the whole report (seconds in jsdom); the label is unique.
const rerunButton = () =>
  screen.getByText(/^(Re-run|Run) EDA$/).closest('button') as HTMLButtonElement;
const edaGets = () =>
  fetchMock.mock.calls.filter(([input]) => {
    const request = input as Request;
    return request.method === 'GET' && new URL(request.url).pathname === EDA_PATH;
  }).length;

/** Serves the group, and the EDA from `runs` in turn (the last one for every later GET). */
function serve(
  runs: Schemas['EdaRun'][],
  onPost: () => Response = () => json(edaRun({ status: 'PENDING' }), 202),
  group: Schemas['GroupDetail'] = detail,
) {
  let next = 0;
  fetchMock.mockImplementation(
    routeFetch([
      (_, url) => (url.pathname === `/api/v1/dataset-groups/${GROUP_ID}` ? json(group) : undefined),
      (request, url) => {
        if (url.pathname !== EDA_PATH) return undefined;
        if (request.method === 'POST') return onPost();
        const run = runs[Math.min(next, runs.length - 1)] as Schemas['EdaRun'];
        next += 1;
        return json(run);
      },
    ]),
  );
}

function openTab(search = '?tab=eda') {
  return renderRoute(<DatasetDetailPage />, {
    path: '/datasets/:groupId',
    url: `/datasets/${GROUP_ID}${search}`,
  });
}

describe('the EDA tab', { timeout: 45_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
  });

  it('shows the summary numbers and the class chart with names, most instances first', async () => {
    const user = setupUser();
    serve([edaRun()]);
    openTab();

    expect(await screen.findByTestId('eda-summary-images')).toHaveAttribute('data-value', '120');
    expect(screen.getByTestId('eda-summary-annotations')).toHaveTextContent('12,345');
    expect(screen.getByTestId('eda-summary-objects')).toHaveTextContent('12,340');
    expect(screen.getByTestId('eda-summary-classes')).toHaveTextContent('of 4 declared');
    expect(screen.getByTestId('eda-summary-issues')).toHaveAttribute('data-value', '6');
    expect(screen.getByText(/unknown_category 1/)).toBeInTheDocument();

    let classes = chart('eda-class-chart');
    // Names, not ids; a class no category declares says so; unused classes are left out.
    expect(classes.yAxis.data).toEqual(['person', 'car', '#99 (undeclared)']);
    expect(classes.series.map((s) => s.name)).toEqual(['Instances', 'Images']);
    expect(classes.series[0]?.data).toEqual([
      { name: 'person', value: 9000 },
      { name: 'car', value: 3000 },
      { name: '#99 (undeclared)', value: 345 },
    ]);
    expect(classes.series[1]?.data.map((d) => (d as { value: number }).value)).toEqual([80, 60, 3]);

    await user.click(screen.getByLabelText('Show 1 class without annotations'));
    classes = chart('eda-class-chart');
    expect(classes.yAxis.data).toEqual(['person', 'car', '#99 (undeclared)', 'bicycle']);
  });

  it('says how the box scatter was sampled and labels the histograms', async () => {
    serve([edaRun()]);
    openTab();

    expect(await screen.findByTestId('eda-box-sample')).toHaveTextContent(
      '3 of 12,340 points (downsampled)',
    );
    // A point without a width in pixels is not drawn; the class name rides along for the tooltip.
    expect(chart('eda-box-chart').series[0]?.data).toEqual([
      [10, 12, 'person'],
      [20, 40, 'car'],
    ]);
    const perImage = chart('eda-boxes-chart');
    expect(perImage.xAxis.data).toEqual(['0', '1', '2–10', '11–100', '≥ 101']);
    expect(perImage.series[0]?.data.map((d) => (d as { value: number }).value)).toEqual([
      2, 18, 60, 39, 1,
    ]);
    expect(chart('eda-size-chart').series[0]?.data).toEqual([
      { name: 'Small (< 32²)', value: 100 },
      { name: 'Medium (32²–96²)', value: 200 },
      { name: 'Large (≥ 96²)', value: 12040 },
    ]);
    expect(chart('eda-resolution-chart').xAxis.data).toEqual(['640×480', '320×240']);
    expect(screen.getByTestId('eda-resolutions')).toHaveTextContent('JPEG 120, 7.2 MB in all');
    expect(chart('eda-heatmap-chart').series[0]?.data).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [0, 1, 3],
      [1, 1, 12330],
    ]);
  });

  it('lists every health check with its count, and examples that open the image', async () => {
    serve([edaRun()]);
    openTab();

    const health = await screen.findByTestId('eda-health');
    const count = (key: string) =>
      within(health).getByTestId(`eda-health-${key}`).getAttribute('data-count');
    expect(count('images_without_annotations')).toBe('2');
    expect(count('missing_files')).toBe('1');
    expect(count('degenerate_boxes')).toBe('1');
    expect(count('out_of_bounds_boxes')).toBe('0');
    expect(count('duplicate_images')).toBe('1');
    expect(count('unreadable_images')).toBe('1');
    expect(within(health).getByTestId('eda-health-duplicate_images')).toHaveTextContent(
      '1 group (2 files)',
    );

    fireEvent.click(within(health).getByText('Images without annotations'));
    const image = (await within(health).findByText('sub dir/000000000180.jpg')).closest('a');
    // The image root comes from the registration's layout; every segment is escaped.
    expect(image).toHaveAttribute(
      'href',
      '/static/raw/demo_coco/train/v1.0.0/images/sub%20dir/000000000180.jpg',
    );

    fireEvent.click(within(health).getByText('Degenerate boxes'));
    expect(await within(health).findByText(/annotation #2 \(id 77\)/)).toBeInTheDocument();
    expect(within(health).getByText(/width 0/)).toBeInTheDocument();

    // A missing file is named, not linked: there is nothing to open.
    fireEvent.click(within(health).getByText('Missing image files'));
    expect(await within(health).findByText('gone.jpg')).toBeInTheDocument();
    expect(within(health).getByText('gone.jpg').closest('a')).toBeNull();

    fireEvent.click(within(health).getByText('Duplicate images'));
    expect((await within(health).findByText('b.jpg')).closest('a')).toHaveAttribute(
      'href',
      '/static/raw/demo_coco/train/v1.0.0/images/b.jpg',
    );
  });

  it('shows the gallery thumbnails from /static, named by class', async () => {
    serve([edaRun()]);
    openTab();

    const gallery = await screen.findByTestId('eda-gallery');
    expect(within(gallery).getByAltText('000000000055.jpg (person)')).toHaveAttribute(
      'src',
      `/static/eda/${TRAIN.id}/gallery/0000_55.jpg?run=${encodeURIComponent(FINISHED_AT)}`,
    );
    expect(within(gallery).getByAltText('000000000012.jpg (no annotations)')).toHaveAttribute(
      'src',
      `/static/eda/${TRAIN.id}/gallery/0001_12.jpg?run=${encodeURIComponent(FINISHED_AT)}`,
    );
  });

  it('says what was not computed when the image files were not inspected', async () => {
    serve([edaRun({ report: annotationsOnlyReport })]);
    openTab();

    expect(await screen.findByText('The image files were not inspected')).toBeInTheDocument();
    const health = screen.getByTestId('eda-health');
    for (const key of ['missing_files', 'unreadable_images', 'duplicate_images', 'exif_rotated']) {
      const row = within(health).getByTestId(`eda-health-${key}`);
      expect(row).toHaveAttribute('data-count', '');
      expect(row).toHaveTextContent('not checked');
    }
    expect(screen.getByText('No thumbnails')).toBeInTheDocument();
    expect(screen.getByTestId('eda-resolutions')).toHaveTextContent(
      'From the sizes the annotations state',
    );
    expect(screen.queryByTestId('eda-thermal')).not.toBeInTheDocument();
  });

  it('draws class folders as images per class, attribute balance and thermal intensities', async () => {
    serve([edaRun({ report: thermalFoldersReport })]);
    openTab();

    const classes = await screen.findByTestId('eda-classes');
    expect(classes).toHaveTextContent('Images per class');
    expect(chart('eda-class-chart').series.map((s) => s.name)).toEqual(['Images']);
    // No boxes: no box charts, and a sentence instead.
    expect(screen.getByTestId('eda-no-boxes')).toBeInTheDocument();
    expect(screen.queryByTestId('eda-box-sizes')).not.toBeInTheDocument();

    const attribute = screen.getByTestId('eda-attribute-daytime');
    expect(attribute).toHaveTextContent('over images: 100 labelled · 20 not · 2 values');
    expect(chart('eda-thermal-chart').xAxis.data).toEqual(['1000', '6000', '11000']);
    expect(screen.getByTestId('eda-thermal')).toHaveTextContent('16-bit container, 14 bits used');
    expect(screen.getByTestId('eda-thermal')).toHaveTextContent('1 failed to decode');
  });

  it('follows a re-run: queued, running with its stage and progress, done; then stops asking', async () => {
    const user = setupUser();
    serve([
      edaRun(),
      edaRun({
        status: 'RUNNING',
        current_stage: 'headers',
        processed_count: 30,
        total_count: 120,
        finished_at: null,
      }),
      edaRun({ finished_at: '2026-12-03T10:05:00Z' }),
    ]);
    openTab();

    const status = await screen.findByTestId('eda-status');
    expect(status).toHaveAttribute('data-status', 'DONE');
    await user.click(rerunButton());

    // The POST's answer is shown at once; the button waits for the run to end.
    await waitFor(() =>
      expect(screen.getByTestId('eda-status')).toHaveAttribute('data-status', 'PENDING'),
    );
    expect(rerunButton()).toBeDisabled();
    expect(
      screen.getByText(
        'Showing the report of the previous run; the new one replaces it when it ends.',
      ),
    ).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([input]) => (input as Request).method === 'POST')).toBe(true);

    await waitFor(() =>
      expect(screen.getByTestId('eda-status')).toHaveAttribute('data-status', 'RUNNING'),
    );
    const progress = screen.getByTestId('eda-progress');
    expect(progress).toHaveTextContent('Reading image headers');
    expect(progress).toHaveTextContent('30 of 120');
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(rerunButton()).toBeDisabled();

    await waitFor(() =>
      expect(screen.getByTestId('eda-status')).toHaveAttribute('data-status', 'DONE'),
    );
    expect(screen.queryByTestId('eda-progress')).not.toBeInTheDocument();
    expect(rerunButton()).toBeEnabled();

    // Done: no more polling.
    const asked = edaGets();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(edaGets()).toBe(asked);
  });

  it('shows a refused re-run (409) as the problem, next to the button', async () => {
    const user = setupUser();
    serve([edaRun()], () =>
      problem({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'EDA_RUNNING',
        detail: `an EDA run of dataset ${TRAIN.id} is in progress; its result will be current when it ends`,
      }),
    );
    openTab();

    await user.click(await screen.findByText('Re-run EDA'));
    const refused = await screen.findByTestId('eda-rerun-error');
    expect(refused).toHaveTextContent('Conflict');
    expect(refused).toHaveTextContent('is in progress');
    // Still the last report.
    expect(screen.getByTestId('eda-status')).toHaveAttribute('data-status', 'DONE');
    expect(screen.getByTestId('eda-summary-images')).toBeInTheDocument();
  });

  it('shows why a run failed, and offers to run it again', async () => {
    serve([
      edaRun({
        status: 'FAILED',
        report: null,
        attempts: 2,
        error_message: 'annotation.json: expected value at line 1 column 1',
      }),
    ]);
    openTab();

    expect(await screen.findByTestId('eda-error')).toHaveTextContent(
      'annotation.json: expected value at line 1 column 1 (attempt 2)',
    );
    expect(rerunButton()).toBeEnabled();
    expect(screen.queryByTestId('eda-progress')).not.toBeInTheDocument();
  });

  it('offers the first run of a version that has none, for the version in the URL', async () => {
    const user = setupUser();
    const val: Schemas['Dataset'] = {
      ...TRAIN,
      id: '22e7f20a-082f-4312-898b-84d927df00a3',
      split: 'VAL',
      storage_uri: 'raw/demo_coco/val/v1.0.0',
    };
    const group = { ...detail, datasets: [TRAIN, val] };
    fetchMock.mockImplementation(
      routeFetch([
        (_, url) =>
          url.pathname === `/api/v1/dataset-groups/${GROUP_ID}` ? json(group) : undefined,
        (_, url) =>
          url.pathname === `/api/v1/datasets/${val.id}/eda`
            ? json(
                edaRun({
                  dataset_id: val.id,
                  status: 'NOT_REQUESTED',
                  report: null,
                  requested_at: null,
                  started_at: null,
                  finished_at: null,
                }),
              )
            : undefined,
        (_, url) => (url.pathname === EDA_PATH ? json(edaRun()) : undefined),
      ]),
    );
    openTab(`?tab=eda&version=${val.id}`);

    expect(await screen.findByText('No EDA for this version yet')).toBeInTheDocument();
    expect(rerunButton()).toBeEnabled();
    expect(requestedUrls(fetchMock).some((url) => url.pathname.endsWith(`${TRAIN.id}/eda`))).toBe(
      false,
    );

    // Another version from the picker: its EDA, and the URL says which.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Version' }));
    await user.click(await screen.findByTitle('Train · v1.0.0'));
    expect(await screen.findByTestId('eda-summary-images')).toBeInTheDocument();
    expect(location()).toContain(`version=${TRAIN.id}`);
    expect(location()).toContain('tab=eda');
  });
});
