import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetDetailPage } from '../../routes/DatasetDetailPage';
import { GROUP_ID, detail, json, renderRoute, requestedUrls, routeFetch } from '../../testing';
import { DATASET_ID, samplesResponse } from '../../testingSamples';
import { MASK_ALPHA } from './SampleFigure';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const SAMPLES_PATH = `/api/v1/datasets/${DATASET_ID}/samples`;
const setupUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
const location = () => screen.getByTestId('location').textContent ?? '';
const urlParams = () => new URLSearchParams(location().split('?')[1] ?? '');
const sampleCalls = () =>
  requestedUrls(fetchMock)
    .filter((url) => url.pathname === SAMPLES_PATH)
    .map((url) => url.searchParams);
const thumbs = () => screen.queryAllByTestId('sample-thumb');
const thumbIds = () => thumbs().map((thumb) => thumb.getAttribute('data-image-id'));
const dialog = () => screen.getByRole('dialog');

function open(url: string) {
  renderRoute(<DatasetDetailPage />, { path: '/datasets/:groupId', url });
}

describe('the samples tab', { timeout: 45_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(
      routeFetch([
        (_, url) =>
          url.pathname === `/api/v1/dataset-groups/${GROUP_ID}` ? json(detail) : undefined,
        (_, url) => (url.pathname === SAMPLES_PATH ? samplesResponse(url.searchParams) : undefined),
      ]),
    );
  });

  it('shows a page of samples in a random order whose seed is kept in the URL', async () => {
    open(`/datasets/${GROUP_ID}?tab=samples`);
    await waitFor(() => expect(thumbIds()).toEqual(['1', '2', '3']));
    const seed = urlParams().get('seed');
    expect(seed).toMatch(/^\d+$/);
    // One request, already with the seed the URL holds.
    expect(sampleCalls()).toHaveLength(1);
    expect(Object.fromEntries(sampleCalls()[0] ?? [])).toEqual({ n: '24', seed, page: '1' });
    expect(screen.getByTestId('sample-summary')).toHaveTextContent(
      `3 images · random order, seed ${seed}`,
    );
    // Thumbnails draw boxes and polygons over the 320 px preview, in the record's space.
    const figure = thumbs()[0]?.querySelector('svg');
    expect(figure).toHaveAttribute('viewBox', '0 0 8 6');
    expect(figure?.querySelector('image')).toHaveAttribute(
      'href',
      `/api/v1/datasets/${DATASET_ID}/images/1?max=320`,
    );
    expect(figure?.querySelectorAll('rect')).toHaveLength(3);
    expect(figure?.querySelectorAll('polygon')).toHaveLength(2);
  });

  it('filters by class (with image counts) and starts again from the first page', async () => {
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5&n=2&page=2`);
    await waitFor(() => expect(thumbIds()).toEqual(['3']));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Class' }));
    // A class no image has is listed, but cannot be picked.
    expect(await screen.findByTitle('bicycle (0)')).toHaveClass('ant-select-item-option-disabled');
    fireEvent.click(await screen.findByTitle('car (2)'));
    await waitFor(() => expect(thumbIds()).toEqual(['1', '2']));
    expect(urlParams().get('class')).toBe('car');
    expect(urlParams().get('page')).toBeNull();
    expect(Object.fromEntries(sampleCalls().at(-1) ?? [])).toEqual({
      n: '2',
      seed: '5',
      page: '1',
      class: 'car',
    });
    expect(screen.getByTestId('sample-summary')).toHaveTextContent('2 images with car');
  });

  it('shuffles to a new seed and pages through the server pages', async () => {
    const user = setupUser();
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5&n=2`);
    await waitFor(() => expect(thumbIds()).toEqual(['1', '2']));

    await user.click(screen.getByRole('listitem', { name: '2' }));
    await waitFor(() => expect(thumbIds()).toEqual(['3']));
    expect(urlParams().get('page')).toBe('2');
    expect(sampleCalls().at(-1)?.get('page')).toBe('2');

    await user.click(screen.getByRole('button', { name: /Shuffle/ }));
    await waitFor(() => expect(urlParams().get('seed')).not.toBe('5'));
    expect(urlParams().get('page')).toBeNull();
    await waitFor(() => expect(sampleCalls().at(-1)?.get('seed')).toBe(urlParams().get('seed')));
    expect(sampleCalls().at(-1)?.get('page')).toBe('1');

    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Per page' }));
    fireEvent.click(await screen.findByTitle('48'));
    await waitFor(() => expect(sampleCalls().at(-1)?.get('n')).toBe('48'));
    expect(urlParams().get('n')).toBe('48');
  });

  it('shows a refused class and offers every class again', async () => {
    const user = setupUser();
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5&class=unicorn`);
    expect(await screen.findByText('Unknown class')).toBeInTheDocument();
    expect(screen.getByText('The dataset has no class named "unicorn".')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show all classes' }));
    await waitFor(() => expect(thumbIds()).toEqual(['1', '2', '3']));
    expect(urlParams().get('class')).toBeNull();
  });

  it('opens an image with its boxes, polygons and mask at the exact coordinates', async () => {
    const user = setupUser();
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5`);
    await waitFor(() => expect(thumbs()).toHaveLength(3));
    await user.click(screen.getByRole('button', { name: 'Open 000000000001.jpg' }));
    const viewer = dialog();
    expect(within(viewer).getByText('000000000001.jpg')).toBeInTheDocument();
    expect(within(viewer).getByTestId('sample-position')).toHaveTextContent('1 of 3');

    const figure = within(viewer).getByTestId('sample-figure');
    expect(figure).toHaveAttribute('viewBox', '0 0 8 6');
    // The large preview is stretched over the record's size, whatever size it comes in.
    const image = within(viewer).getByTestId('sample-image');
    expect(image).toHaveAttribute('href', `/api/v1/datasets/${DATASET_ID}/images/1?max=1600`);
    expect(image).toHaveAttribute('width', '8');
    expect(image).toHaveAttribute('height', '6');
    expect(image).toHaveAttribute('preserveAspectRatio', 'none');

    const boxes = within(viewer).getAllByTestId('overlay-box');
    const geometry = (element: Element) =>
      ['x', 'y', 'width', 'height'].map((name) => Number(element.getAttribute(name)));
    expect(boxes.map((box) => box.getAttribute('data-annotation-id'))).toEqual(['11', '12', '13']);
    expect(geometry(boxes[0] as Element)).toEqual([0.5, 1.25, 3, 4]);
    expect(geometry(boxes[1] as Element)).toEqual([4, 1, 3, 2]);

    const polygons = within(viewer).getAllByTestId('overlay-polygon');
    expect(
      polygons.map((p) => [p.getAttribute('data-annotation-id'), p.getAttribute('points')]),
    ).toEqual([
      ['12', '4,1 7,1 7,3'],
      ['12', '5,4 6,4 6,5 5,5'],
    ]);

    const [mask] = within(viewer).getAllByTestId('overlay-mask');
    expect(mask).toHaveAttribute('data-annotation-id', '13');
    expect(mask).toHaveAttribute('width', '8');
    expect(mask).toHaveAttribute('height', '6');
    // Its frame covers the whole annotation space.
    const frame = mask?.closest('foreignObject');
    expect(['x', 'y', 'width', 'height'].map((name) => frame?.getAttribute(name))).toEqual([
      '0',
      '0',
      '8',
      '6',
    ]);

    // Labels name the class; a crowd region says so.
    expect(
      within(viewer)
        .getAllByTestId('overlay-label')
        .map((l) => l.textContent),
    ).toEqual(['person', 'car', 'person (crowd)']);

    // The side panel: image attributes, image labels, each annotation with its attributes.
    const imageAttributes = within(viewer).getByTestId('sample-image-attributes');
    expect(imageAttributes).toHaveTextContent('weathersunny');
    expect(imageAttributes).toHaveTextContent('nightno');
    expect(within(viewer).getByLabelText('Image labels')).toHaveTextContent('street');
    const rows = within(viewer).getAllByTestId('sample-annotation');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('occludedyes');
    expect(rows[0]).toHaveTextContent('colornot labelled');
    expect(rows[2]).toHaveTextContent('crowd');
    expect(rows[2]).toHaveTextContent('area 3');

    // Picking a row brings its shapes forward and dims the others; a second click lets go.
    const opacity = () => boxesNow().map((box) => box.getAttribute('stroke-opacity'));
    const boxesNow = () => within(viewer).getAllByTestId('overlay-box');
    await user.click(rows[1] as HTMLElement);
    expect(rows[1]).toHaveAttribute('aria-pressed', 'true');
    expect(opacity()).toEqual(['0.25', '1', '0.25']);
    await user.click(rows[1] as HTMLElement);
    expect(opacity()).toEqual(['1', '1', '1']);
  });

  it('paints exactly the pixels of the mask, in the class colour, half transparent', async () => {
    const painted: ImageData[] = [];
    const context = {
      createImageData: (width: number, height: number) =>
        ({ width, height, data: new Uint8ClampedArray(width * height * 4) }) as ImageData,
      putImageData: (image: ImageData) => painted.push(image),
    };
    const spy = vi
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockReturnValue(context as unknown as CanvasRenderingContext2D);
    try {
      const user = setupUser();
      open(`/datasets/${GROUP_ID}?tab=samples&seed=5`);
      await waitFor(() => expect(thumbs()).toHaveLength(3));
      await user.click(screen.getByRole('button', { name: 'Open 000000000001.jpg' }));
      await waitFor(() => expect(painted).toHaveLength(1));
      const [image] = painted as [ImageData];
      const inside: string[] = [];
      for (let i = 0; i < image.width * image.height; i += 1) {
        if ((image.data[i * 4 + 3] ?? 0) > 0) {
          inside.push(`${i % image.width},${Math.floor(i / image.width)}`);
          expect(image.data[i * 4 + 3]).toBe(MASK_ALPHA);
        }
      }
      // Runs [7, 3, 38] over 6 rows: pixels 7..9 in column-major order = column 1, rows 1..3.
      expect(inside).toEqual(['1,1', '1,2', '1,3']);
    } finally {
      spy.mockRestore();
    }
  });

  it('switches each kind of overlay off and on', async () => {
    const user = setupUser();
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5`);
    await waitFor(() => expect(thumbs()).toHaveLength(3));
    await user.click(screen.getByRole('button', { name: 'Open 000000000001.jpg' }));
    const viewer = dialog();
    const count = (testId: string) => within(viewer).queryAllByTestId(testId).length;
    // By the switch's text: a role query walks the whole modal's styles (seconds in jsdom).
    const switchOf = (name: string) =>
      within(viewer).getByText(name).closest('label')?.querySelector('input') as HTMLInputElement;
    const toggle = (name: string) => user.click(switchOf(name));

    expect(switchOf('Boxes')).toBeChecked();
    expect(switchOf('Boxes').closest('label')).toHaveTextContent('Boxes 3');
    await toggle('Boxes');
    expect(count('overlay-box')).toBe(0);
    // The grid's thumbnails follow the same switch.
    expect(thumbs()[0]?.querySelectorAll('rect')).toHaveLength(0);
    await toggle('Polygons');
    expect(count('overlay-polygon')).toBe(0);
    await toggle('Masks');
    expect(count('overlay-mask')).toBe(0);
    await toggle('Labels');
    expect(count('overlay-label')).toBe(0);

    await toggle('Boxes');
    expect(count('overlay-box')).toBe(3);
    await toggle('Masks');
    expect(count('overlay-mask')).toBe(1);
  });

  it('steps through the samples with ← and →, across pages, and closes on Esc', async () => {
    const user = setupUser();
    open(`/datasets/${GROUP_ID}?tab=samples&seed=5&n=2`);
    await waitFor(() => expect(thumbIds()).toEqual(['1', '2']));
    await user.click(screen.getByRole('button', { name: 'Open 000000000002.jpg' }));
    const title = () => within(dialog()).getByTestId('sample-position');
    expect(title()).toHaveTextContent('2 of 3');

    // The last sample of page 1 → the first of page 2.
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(within(dialog()).getByText('000000000003.jpg')).toBeInTheDocument());
    expect(title()).toHaveTextContent('3 of 3');
    expect(urlParams().get('page')).toBe('2');
    expect(within(dialog()).getByText('This image has no annotations.')).toBeInTheDocument();
    // Nothing after the very last one.
    expect(within(dialog()).getByRole('button', { name: 'Next image' })).toBeDisabled();

    // Back across the page boundary to the last sample of page 1.
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(within(dialog()).getByText('000000000002.jpg')).toBeInTheDocument());
    expect(urlParams().get('page')).toBeNull();
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(title()).toHaveTextContent('1 of 3'));
    expect(within(dialog()).getByRole('button', { name: 'Previous image' })).toBeDisabled();

    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('sample-figure')).not.toBeInTheDocument());
  });
});
