import type { WidgetProps } from '@rjsf/utils';
import { Select } from 'antd';

/** What every params form gets in its `formContext`. */
export interface ParamsFormContext {
  /** Class names the data at this point is known to have (suggestions, not a limit). */
  classNames: readonly string[];
}

function classNamesOf(context: unknown): readonly string[] {
  const names = (context as Partial<ParamsFormContext> | undefined)?.classNames;
  return Array.isArray(names) ? names : [];
}

/**
 * A list of strings as a tag input: type a class name and Enter, or pick one of the sources'
 * classes. The registry's histogram tells which classes exist, so suggestions save typos.
 */
export function ClassTagsWidget({
  id,
  value,
  onChange,
  onBlur,
  onFocus,
  disabled,
  readonly,
  registry,
  placeholder,
  rawErrors,
}: WidgetProps) {
  const selected: string[] = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
  const suggestions = classNamesOf(registry.formContext);
  return (
    <Select
      id={id}
      mode="tags"
      value={selected}
      disabled={disabled || readonly}
      status={rawErrors && rawErrors.length > 0 ? 'error' : undefined}
      placeholder={
        placeholder ||
        (suggestions.length > 0 ? 'Type or pick class names' : 'Type a class name and press Enter')
      }
      options={suggestions.map((name) => ({ value: name, label: name }))}
      tokenSeparators={[',']}
      onChange={(next: string[]) => onChange(next.length === 0 ? [] : next)}
      onBlur={() => onBlur(id, selected)}
      onFocus={() => onFocus(id, selected)}
      style={{ width: '100%' }}
    />
  );
}
