// Reads a manipulator's params JSON Schema (2020-12) into rows a person can scan: name, type,
// required, default, range or allowed values, description. Only what the catalog's schemas use is
// interpreted (`$ref` into `$defs`, `oneOf`/`anyOf` of constants, nullable unions); anything else
// still shows in the raw schema next to it.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: Json };

export interface ParamRow {
  name: string;
  type: string;
  required: boolean;
  /** The default, as JSON text; `undefined` when the schema gives none. */
  defaultValue?: string;
  /** `1 – 100`, `≥ 1`, `3 – 3 items`, `one of: "bbox", "segmentation"`. */
  constraint?: string;
  description?: string;
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `#/$defs/...` (or `#/definitions/...`) reference, keeping the referrer's own keys. */
function resolve(schema: SchemaObject, root: SchemaObject, depth = 0): SchemaObject {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 8) {
    return schema;
  }
  let target: Json | undefined = root;
  for (const part of ref.slice(2).split('/')) {
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isObject(target)) {
    return schema;
  }
  const own = { ...schema };
  delete own.$ref;
  return { ...resolve(target, root, depth + 1), ...own };
}

function alternatives(schema: SchemaObject, root: SchemaObject): SchemaObject[] | undefined {
  const list = schema.oneOf ?? schema.anyOf;
  return Array.isArray(list) ? list.filter(isObject).map((s) => resolve(s, root)) : undefined;
}

/** The constants a schema allows (`enum`, `const`, or a `oneOf`/`anyOf` of constants). */
function allowedValues(schema: SchemaObject, root: SchemaObject): Json[] | undefined {
  if (Array.isArray(schema.enum)) {
    return schema.enum;
  }
  if ('const' in schema) {
    return [schema.const];
  }
  const options = alternatives(schema, root);
  if (
    options &&
    options.length > 0 &&
    options.every((o) => 'const' in o || Array.isArray(o.enum))
  ) {
    return options.flatMap((o) => (Array.isArray(o.enum) ? o.enum : [o.const ?? null]));
  }
  return undefined;
}

function typeOf(schema: SchemaObject, root: SchemaObject): string {
  const type = schema.type;
  const names = Array.isArray(type)
    ? type.filter((t): t is string => typeof t === 'string')
    : typeof type === 'string'
      ? [type]
      : [];
  if (names.length === 0) {
    const options = alternatives(schema, root);
    if (options) {
      const types = [...new Set(options.map((o) => typeOf(o, root)))].filter((t) => t !== 'any');
      return types.length > 0 ? types.join(' | ') : 'any';
    }
    return 'any';
  }
  return names
    .map((name) => {
      if (name === 'array' && isObject(schema.items)) {
        return `array of ${typeOf(resolve(schema.items, root), root)}`;
      }
      if (name === 'object' && isObject(schema.additionalProperties)) {
        return `map of ${typeOf(resolve(schema.additionalProperties, root), root)}`;
      }
      return name;
    })
    .join(' | ');
}

function range(
  min: Json | undefined,
  max: Json | undefined,
  exclusiveMin?: Json,
  exclusiveMax?: Json,
): string | undefined {
  const lower =
    typeof min === 'number'
      ? `≥ ${min}`
      : typeof exclusiveMin === 'number'
        ? `> ${exclusiveMin}`
        : '';
  const upper =
    typeof max === 'number'
      ? `≤ ${max}`
      : typeof exclusiveMax === 'number'
        ? `< ${exclusiveMax}`
        : '';
  if (typeof min === 'number' && typeof max === 'number') {
    return min === max ? `${min}` : `${min} – ${max}`;
  }
  return [lower, upper].filter(Boolean).join(', ') || undefined;
}

function constraintOf(schema: SchemaObject, root: SchemaObject): string | undefined {
  const values = allowedValues(schema, root);
  const parts: string[] = [];
  if (values) {
    parts.push(`one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  const numeric = range(
    schema.minimum,
    schema.maximum,
    schema.exclusiveMinimum,
    schema.exclusiveMaximum,
  );
  if (numeric) {
    parts.push(numeric);
  }
  const length = range(schema.minLength, schema.maxLength);
  if (length) {
    parts.push(`${length} characters`);
  }
  const items = range(schema.minItems, schema.maxItems);
  if (items) {
    parts.push(`${items} items`);
  }
  if (isObject(schema.items)) {
    const itemConstraint = constraintOf(resolve(schema.items, root), root);
    if (itemConstraint) {
      parts.push(`each ${itemConstraint}`);
    }
  }
  if (typeof schema.pattern === 'string') {
    parts.push(`matches /${schema.pattern}/`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** One row per property of the schema, in the schema's order; `[]` when it takes no params. */
export function paramRows(schema: unknown): ParamRow[] {
  if (!isObject(schema) || !isObject(schema.properties)) {
    return [];
  }
  const root = schema;
  const required = new Set(
    Array.isArray(schema.required)
      ? schema.required.filter((r): r is string => typeof r === 'string')
      : [],
  );
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isObject(raw) ? resolve(raw, root) : {};
    const description = property.description;
    return {
      name,
      type: typeOf(property, root),
      required: required.has(name),
      defaultValue: 'default' in property ? JSON.stringify(property.default) : undefined,
      constraint: constraintOf(property, root),
      description: typeof description === 'string' ? description : undefined,
    };
  });
}

/** The schema's own description (e.g. why it takes no params), if any. */
export function schemaDescription(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.description === 'string'
    ? schema.description
    : undefined;
}
