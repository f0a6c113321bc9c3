import Form from '@rjsf/antd';
import type { IChangeEvent } from '@rjsf/core';
import type { RegistryWidgetsType } from '@rjsf/utils';
import { Typography } from 'antd';
import { useMemo } from 'react';
import {
  CLASS_TAGS_WIDGET,
  DEFAULT_FORM_STATE_BEHAVIOR,
  paramsValidator,
  prepareSchema,
  propertyNames,
  uiSchemaFor,
} from '../utils/schemaForm';
import { ClassTagsWidget, type ParamsFormContext } from './ClassTagsWidget';

const widgets: RegistryWidgetsType = { [CLASS_TAGS_WIDGET]: ClassTagsWidget };

export interface StepParamsFormProps {
  /** The manipulator's `params_schema` (JSON Schema 2020-12). */
  schema: unknown;
  params: Record<string, unknown>;
  onChange: (params: Record<string, unknown>) => void;
  /** Prefix of the fields' ids, unique on the page. */
  idPrefix: string;
  classNames?: readonly string[];
  disabled?: boolean;
}

/**
 * A manipulator's params as a form rendered from its JSON Schema (RJSF with the Ant Design
 * theme), validated as the user types. The form has no submit button of its own: the wizard
 * reads the params from the store.
 */
export function StepParamsForm({
  schema,
  params,
  onChange,
  idPrefix,
  classNames = [],
  disabled,
}: StepParamsFormProps) {
  const prepared = useMemo(() => prepareSchema(schema), [schema]);
  const uiSchema = useMemo(() => uiSchemaFor(schema), [schema]);
  const formContext = useMemo<ParamsFormContext>(() => ({ classNames }), [classNames]);

  if (propertyNames(schema).length === 0) {
    return <Typography.Text type="secondary">No parameters.</Typography.Text>;
  }
  return (
    <Form
      schema={prepared}
      uiSchema={uiSchema}
      formData={params}
      validator={paramsValidator}
      widgets={widgets}
      formContext={formContext}
      idPrefix={idPrefix}
      experimental_defaultFormStateBehavior={DEFAULT_FORM_STATE_BEHAVIOR}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      disabled={disabled}
      onChange={(event: IChangeEvent) => {
        const next = (event.formData ?? {}) as Record<string, unknown>;
        // RJSF also reports changes that are only its own default filling; those change nothing.
        if (JSON.stringify(next) !== JSON.stringify(params)) {
          onChange(next);
        }
      }}
    />
  );
}
