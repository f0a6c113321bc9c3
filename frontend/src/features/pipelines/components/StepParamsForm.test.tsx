import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { defaultParams, humanize, propertyNames, validateParams } from '../utils/schemaForm';
import { StepParamsForm } from './StepParamsForm';

// Every manipulator's params schema as the catalog serves it (`params_schema`).
const modules = import.meta.glob<{ default: unknown }>(
  '../../../../../proto-schemas/manipulators/*.schema.json',
  { eager: true },
);
// Vitest runs from frontend/; the schemas live next to it in the repository.
const schemaDir = resolve(process.cwd(), '../proto-schemas/manipulators');
const schemas = Object.entries(modules).map(([path, module]) => ({
  name: /([^/]+)\.schema\.json$/.exec(path)?.[1] ?? path,
  schema: module.default,
}));

function Harness({ schema, initial }: { schema: unknown; initial: Record<string, unknown> }) {
  const [params, setParams] = useState(initial);
  return (
    <>
      <StepParamsForm schema={schema} params={params} onChange={setParams} idPrefix="test" />
      <output data-testid="params">{JSON.stringify(params)}</output>
    </>
  );
}

function schemaOf(name: string): unknown {
  const found = schemas.find((s) => s.name === name);
  if (!found) {
    throw new Error(`no schema ${name}`);
  }
  return found.schema;
}

describe('params forms of every manipulator schema', () => {
  it('loads every schema file on disk', () => {
    const onDisk = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
    expect(onDisk.length).toBeGreaterThan(0);
    expect(schemas.map((s) => `${s.name}.schema.json`).sort()).toEqual(onDisk.sort());
  });

  it.each(schemas)('renders $name with a labelled field per property', ({ schema }) => {
    const { container } = render(
      <StepParamsForm
        schema={schema}
        params={defaultParams(schema)}
        onChange={() => undefined}
        idPrefix="t"
      />,
    );
    const properties = propertyNames(schema);
    if (properties.length === 0) {
      expect(screen.getByText('No parameters.')).toBeInTheDocument();
    }
    for (const property of properties) {
      expect(within(container).getAllByText(humanize(property)).length).toBeGreaterThan(0);
      expect(container.querySelector(`[id^="t_${property}"]`)).not.toBeNull();
    }
  });

  it.each(schemas)('accepts the defaults of $name unless a field is required', ({ schema }) => {
    const required = (schema as { required?: string[] }).required ?? [];
    const problems = validateParams(schema, defaultParams(schema));
    if (required.length === 0) {
      expect(problems).toEqual([]);
    } else {
      expect(problems.length).toBeGreaterThan(0);
    }
  });
});

describe('validation of params', () => {
  it('change_compression: out of range or missing quality is an error shown on the form, 80 passes', async () => {
    const schema = schemaOf('change_compression');
    expect(validateParams(schema, { quality: 90 })).toEqual([]);
    expect(validateParams(schema, { quality: 101 })).toEqual(['quality: must be <= 100']);
    expect(validateParams(schema, { quality: 0 })).toEqual(['quality: must be >= 1']);
    expect(validateParams(schema, { quality: 90, extra: 1 })).not.toEqual([]);

    render(<Harness schema={schema} initial={{ quality: 90 }} />);
    const input = screen.getByLabelText(/Quality/);
    await userEvent.clear(input);
    expect(await screen.findByText(/must have required property/)).toBeInTheDocument();
    await userEvent.type(input, '80');
    await waitFor(() =>
      expect(screen.queryByText(/must have required property/)).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('params')).toHaveTextContent('{"quality":80}');
  });

  it('filter_keep_by_class: an empty class list is refused, one class passes', () => {
    const schema = schemaOf('filter_keep_by_class');
    expect(validateParams(schema, { classes: [] })).toEqual([
      'classes: must NOT have fewer than 1 items',
    ]);
    expect(validateParams(schema, {})).toEqual(["classes: must have required property 'classes'"]);
    expect(validateParams(schema, { classes: ['person'] })).toEqual([]);
  });

  it('sample_n_images: n below 1 is refused; format_convert_to_yolo: only its three crowd policies', () => {
    expect(validateParams(schemaOf('sample_n_images'), { n: 0, seed: 0 })).not.toEqual([]);
    expect(validateParams(schemaOf('sample_n_images'), { n: 10, seed: 0 })).toEqual([]);
    const yolo = schemaOf('format_convert_to_yolo');
    expect(defaultParams(yolo)).toEqual({ iscrowd: 'skip' });
    expect(validateParams(yolo, { iscrowd: 'polygon' })).toEqual([]);
    expect(validateParams(yolo, { iscrowd: 'mask' })).not.toEqual([]);
  });

  it('class lists are typed as tags, and emptying one shows the error', async () => {
    const schema = schemaOf('filter_keep_by_class');
    expect(defaultParams(schema)).toEqual({ classes: [] });
    render(<Harness schema={schema} initial={defaultParams(schema)} />);
    const input = screen.getByRole('combobox');
    // jsdom does not turn Enter into a tag; the comma separator does the same.
    await userEvent.type(input, 'person,');
    await waitFor(() =>
      expect(screen.getByTestId('params')).toHaveTextContent('{"classes":["person"]}'),
    );
    await userEvent.click(screen.getByLabelText('close'));
    expect(await screen.findByText(/must NOT have fewer than 1 items/)).toBeInTheDocument();
  });
});
