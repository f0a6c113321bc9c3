import type { Experimental_DefaultFormStateBehavior, RJSFSchema, UiSchema } from '@rjsf/utils';
import { getDefaultFormState } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import Ajv2020 from 'ajv/dist/2020';

/**
 * The params schemas are JSON Schema 2020-12 (schemars), which the default draft-07 Ajv rejects
 * (`no schema with key or ref "https://json-schema.org/draft/2020-12/schema"`), hence Ajv2020.
 * schemars also writes integer widths as `format` (`uint8`, `uint64`): known here so Ajv neither
 * warns nor ignores them; the `minimum`/`maximum` next to them carry the actual range.
 */
const INTEGER_FORMATS = [
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uint',
  'int8',
  'int16',
  'int32',
  'int64',
  'int',
  'float',
  'double',
];

export const paramsValidator = customizeValidator({
  AjvClass: Ajv2020,
  customFormats: Object.fromEntries(INTEGER_FORMATS.map((name) => [name, () => true])),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `drop_empty_images` → `Drop empty images`. */
export function humanize(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The schema as the form renders it: without `$id` (several forms of the same manipulator would
 * register the same id with Ajv), without the root title (the step card names the manipulator),
 * and with option labels for `oneOf: [{const, description}]` enums.
 */
export function prepareSchema(raw: unknown): RJSFSchema {
  const schema: Record<string, unknown> = isRecord(raw) ? structuredClone(raw) : { type: 'object' };
  delete schema.$id;
  delete schema.title;
  delete schema.description;
  const labelConsts = (node: unknown) => {
    if (!isRecord(node) || !Array.isArray(node.oneOf)) {
      return;
    }
    for (const alt of node.oneOf) {
      if (isRecord(alt) && 'const' in alt && alt.title === undefined) {
        const value = String(alt.const);
        alt.title = typeof alt.description === 'string' ? `${value} — ${alt.description}` : value;
      }
    }
  };
  if (isRecord(schema.$defs)) {
    Object.values(schema.$defs).forEach(labelConsts);
  }
  if (isRecord(schema.properties)) {
    Object.values(schema.properties).forEach(labelConsts);
  }
  return schema as RJSFSchema;
}

/** The top-level property names of a params schema (what the form must show a field for). */
export function propertyNames(schema: unknown): string[] {
  return isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties) : [];
}

function isStringArray(property: unknown): boolean {
  return (
    isRecord(property) &&
    property.type === 'array' &&
    isRecord(property.items) &&
    property.items.type === 'string' &&
    property.items.enum === undefined
  );
}

export const CLASS_TAGS_WIDGET = 'classTags';

/**
 * Labels for every property, and a tag input (with the sources' class names as suggestions) for
 * lists of strings — class lists are what the user types most.
 */
export function uiSchemaFor(schema: unknown): UiSchema {
  const ui: UiSchema = {
    'ui:submitButtonOptions': { norender: true },
  };
  if (!isRecord(schema) || !isRecord(schema.properties)) {
    return ui;
  }
  for (const [key, property] of Object.entries(schema.properties)) {
    ui[key] = {
      'ui:title': humanize(key),
      ...(isStringArray(property) ? { 'ui:widget': CLASS_TAGS_WIDGET } : {}),
    };
  }
  return ui;
}

/**
 * RJSF fills a required array up to its `minItems` with empty items by default, which would put
 * `classes: [null]` into a config; an empty list with a clear "at least 1" error is better.
 */
export const DEFAULT_FORM_STATE_BEHAVIOR: Experimental_DefaultFormStateBehavior = {
  arrayMinItems: { populate: 'never' },
};

/** The params a new step starts with: the schema's defaults. */
export function defaultParams(rawSchema: unknown): Record<string, unknown> {
  const schema = prepareSchema(rawSchema);
  const defaults = getDefaultFormState(
    paramsValidator,
    schema,
    {},
    schema,
    false,
    DEFAULT_FORM_STATE_BEHAVIOR,
  );
  return isRecord(defaults) ? defaults : {};
}

/**
 * What is wrong with `params` against the schema, one readable line per problem
 * (`classes: must NOT have fewer than 1 items`); empty when valid.
 */
export function validateParams(rawSchema: unknown, params: Record<string, unknown>): string[] {
  const schema = prepareSchema(rawSchema);
  const { errors } = paramsValidator.validateFormData(params, schema);
  return errors.map((error) => {
    const where = (error.property ?? '').replace(/^\./, '');
    const message = error.message ?? 'is invalid';
    return where === '' ? message : `${where}: ${message}`;
  });
}
