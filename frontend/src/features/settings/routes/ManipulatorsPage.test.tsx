import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { get, renderPage, routeFetch } from '../testing';
import { ManipulatorsPage } from './ManipulatorsPage';

// The API client binds `fetch` when its module loads, so the stub must be in place first.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

function manipulator(name: string, params_schema: object): Schemas['Manipulator'] {
  return {
    name,
    category: 'AUGMENT',
    scope: ['PER_SOURCE'],
    compatible_task_types: ['DETECTION'],
    compatible_annotation_fmts: ['COCO'],
    status: 'ACTIVE',
    version: '1.0.0',
    updated_at: '2026-11-27T04:25:47Z',
    description: `the ${name} step`,
    params_schema: params_schema as Schemas['Manipulator']['params_schema'],
  };
}

const withParams = manipulator('mask_region', {
  type: 'object',
  properties: {
    quality: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'JPEG quality.',
    },
    shape: { $ref: '#/$defs/Shape', default: 'bbox' },
    mode: { type: 'string', enum: ['fast', 'exact'], default: 'fast' },
    classes: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
  required: ['quality', 'classes'],
  $defs: {
    Shape: {
      oneOf: [
        { type: 'string', const: 'bbox' },
        { type: 'string', const: 'segmentation' },
      ],
      description: 'Which outline is painted.',
    },
  },
});

const noParams = manipulator('rotate_180', {
  type: 'object',
  additionalProperties: false,
  description: 'No params: the turn is always 180°.',
});

function serve(items: Schemas['Manipulator'][]) {
  fetchMock.mockImplementation(
    routeFetch([
      get('/api/v1/manipulators', () => ({
        items,
        storage_uri: 'catalog',
        updated_at: '2026-11-27T04:25:47Z',
        version: 'v1.0.0',
      })),
    ]),
  );
}

function expand(name: string) {
  const table = screen.getByRole('table', { name: 'Manipulators' });
  const row = table.querySelector<HTMLElement>(`tr[data-row-id="${name}"]`);
  if (!row) {
    throw new Error(`no row ${name}`);
  }
  fireEvent.click(within(row).getByRole('button', { name: 'Expand row' }));
}

describe('ManipulatorsPage parameters', { timeout: 30_000 }, () => {
  beforeEach(() => {
    fetchMock.mockReset();
  });

  it('lists each parameter with its type, default, range, values and description', async () => {
    serve([withParams, noParams]);
    renderPage(<ManipulatorsPage />);
    await screen.findByText('mask_region');

    expand('mask_region');
    const params = within(await screen.findByRole('table', { name: 'Parameters of mask_region' }));
    const row = (name: string) => {
      const found = params.getAllByRole('row').find((r) => r.getAttribute('data-row-id') === name);
      if (!found) {
        throw new Error(`no parameter ${name}`);
      }
      return within(found);
    };
    expect(row('quality').getByText('required')).toBeInTheDocument();
    expect(row('quality').getByText('integer')).toBeInTheDocument();
    expect(row('quality').getByText('1 – 100')).toBeInTheDocument();
    expect(row('quality').getByText('JPEG quality.')).toBeInTheDocument();
    expect(row('mode').getByText('"fast"')).toBeInTheDocument();
    expect(row('mode').getByText('one of: "fast", "exact"')).toBeInTheDocument();
    expect(row('mode').queryByText('required')).toBeNull();
    expect(row('shape').getByText('one of: "bbox", "segmentation"')).toBeInTheDocument();
    expect(row('shape').getByText('Which outline is painted.')).toBeInTheDocument();
    expect(row('shape').getByText('"bbox"')).toBeInTheDocument();
    expect(row('classes').getByText('array of string')).toBeInTheDocument();
    expect(row('classes').getByText('≥ 1 items')).toBeInTheDocument();
    expect(row('classes').getByText('required')).toBeInTheDocument();

    // The raw schema, pretty-printed, one click away.
    fireEvent.click(screen.getByText('Raw JSON Schema'));
    const raw = await screen.findByText(/"\$defs": \{/);
    expect(raw.textContent).toContain('"maximum": 100');
  });

  it('says a manipulator takes no parameters', async () => {
    serve([withParams, noParams]);
    renderPage(<ManipulatorsPage />);
    await screen.findByText('rotate_180');
    // The column already says so before expanding.
    expect(screen.getByText('none')).toBeInTheDocument();

    expand('rotate_180');
    expect(await screen.findByText('No parameters')).toBeInTheDocument();
    expect(screen.getByText('No params: the turn is always 180°.')).toBeInTheDocument();
    expect(screen.getByText('Raw JSON Schema')).toBeInTheDocument();
  });
});
