import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { type ChainPoint, offerAt } from '../utils/compatibility';
import { type DraftStep, move } from '../utils/draft';
import { stepOf } from '../utils/steps';
import { type ChainCheck, MERGE } from '../utils/wizardValidation';
import { StepParamsForm } from './StepParamsForm';
import { problemListStyle } from './styles';

type Manipulator = Schemas['Manipulator'];

const CATEGORY_LABELS: Record<Schemas['ManipulatorCategory'], string> = {
  FILTER: 'Filter',
  AUGMENT: 'Augment',
  FORMAT_CONVERT: 'Format conversion',
  MERGE: 'Merge',
  SAMPLE: 'Sample',
  REMAP: 'Remap',
};

const CATEGORY_COLOURS: Record<Schemas['ManipulatorCategory'], string> = {
  FILTER: 'geekblue',
  AUGMENT: 'purple',
  FORMAT_CONVERT: 'gold',
  MERGE: 'cyan',
  SAMPLE: 'green',
  REMAP: 'magenta',
};

export interface ManipulatorChainProps {
  /** Unique on the page: ids and test ids of the chain's controls derive from it. */
  chainId: string;
  steps: DraftStep[];
  onChange: (steps: DraftStep[]) => void;
  /** Where the chain starts (scope, format, task types). */
  start: ChainPoint;
  catalog: readonly Manipulator[];
  check: ChainCheck;
  classNames: readonly string[];
  emptyText: string;
}

/**
 * An ordered chain of manipulators, each with its params form, and the "Add manipulator" select
 * offering only what can run at the end of the chain (experimental ones shown disabled,
 * deprecated ones not at all).
 */
export function ManipulatorChain({
  chainId,
  steps,
  onChange,
  start,
  catalog,
  check,
  classNames,
  emptyText,
}: ManipulatorChainProps) {
  const byName = useMemo(() => new Map(catalog.map((m) => [m.name, m] as const)), [catalog]);
  const endFormat = check.formats[check.formats.length - 1] ?? start.format;
  const hasMerge = steps.some((s) => s.name === MERGE);

  const options = useMemo(() => {
    const groups = new Map<
      string,
      {
        label: string;
        options: { value: string; label: ReactNode; disabled: boolean; title: string }[];
      }
    >();
    for (const manipulator of catalog) {
      // merge_datasets always goes first, so it is judged at the start of the chain.
      const isMerge = manipulator.name === MERGE;
      if (isMerge && hasMerge) {
        continue;
      }
      const offer = offerAt(manipulator, isMerge ? start : { ...start, format: endFormat });
      if (offer === 'hidden') {
        continue;
      }
      const category = CATEGORY_LABELS[manipulator.category];
      const group = groups.get(category) ?? { label: category, options: [] };
      group.options.push({
        value: manipulator.name,
        disabled: offer === 'disabled',
        title: manipulator.description ?? manipulator.name,
        label: (
          <Flex justify="space-between" gap={8}>
            <span>{manipulator.name}</span>
            {offer === 'disabled' ? <Tag color="orange">Experimental</Tag> : null}
          </Flex>
        ),
      });
      groups.set(category, group);
    }
    return [...groups.values()];
  }, [catalog, start, endFormat, hasMerge]);

  const add = (name: string) => {
    const manipulator = byName.get(name);
    if (!manipulator) {
      return;
    }
    const step = stepOf(manipulator);
    onChange(name === MERGE ? [step, ...steps] : [...steps, step]);
  };
  const update = (index: number, params: Record<string, unknown>) =>
    onChange(steps.map((s, i) => (i === index ? { ...s, params } : s)));

  return (
    <div data-testid={`chain-${chainId}`}>
      {steps.length === 0 ? (
        <Typography.Paragraph type="secondary">{emptyText}</Typography.Paragraph>
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%', marginBottom: 12 }}>
          {steps.map((step, index) => {
            const manipulator = byName.get(step.name);
            const problems = check.steps[index] ?? [];
            const before = check.formats[index];
            const after = check.formats[index + 1];
            return (
              <Card
                key={step.key}
                size="small"
                data-testid={`step-${chainId}-${index}`}
                title={
                  <Space size={8} wrap>
                    <span>
                      {index + 1}. {step.name}
                    </span>
                    {manipulator ? (
                      <Tag color={CATEGORY_COLOURS[manipulator.category]} bordered={false}>
                        {CATEGORY_LABELS[manipulator.category]}
                      </Tag>
                    ) : null}
                    {before && after && before !== after ? (
                      <Tag color="gold">
                        {before} → {after}
                      </Tag>
                    ) : null}
                  </Space>
                }
                extra={
                  <Space size={0}>
                    <Tooltip title="Move up">
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowUpOutlined />}
                        aria-label={`Move step ${index + 1} up`}
                        disabled={index === 0}
                        onClick={() => onChange(move(steps, index, -1))}
                      />
                    </Tooltip>
                    <Tooltip title="Move down">
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowDownOutlined />}
                        aria-label={`Move step ${index + 1} down`}
                        disabled={index === steps.length - 1}
                        onClick={() => onChange(move(steps, index, 1))}
                      />
                    </Tooltip>
                    <Tooltip title="Remove">
                      <Button
                        type="text"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={`Remove step ${index + 1}`}
                        onClick={() => onChange(steps.filter((_, i) => i !== index))}
                      />
                    </Tooltip>
                  </Space>
                }
              >
                {manipulator?.description ? (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {manipulator.description}
                  </Typography.Paragraph>
                ) : null}
                {manipulator ? (
                  <StepParamsForm
                    schema={manipulator.params_schema}
                    params={step.params}
                    onChange={(params) => update(index, params)}
                    idPrefix={`${chainId}-${step.key}`}
                    classNames={classNames}
                  />
                ) : null}
                {problems.length > 0 ? (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginTop: 8 }}
                    message={problems.length === 1 ? problems[0] : `${problems.length} problems`}
                    description={
                      problems.length > 1 ? (
                        <ul style={problemListStyle}>
                          {problems.map((p) => (
                            <li key={p}>{p}</li>
                          ))}
                        </ul>
                      ) : undefined
                    }
                  />
                ) : null}
              </Card>
            );
          })}
        </Space>
      )}
      <Form layout="vertical" component="div">
        <Form.Item
          label="Add manipulator"
          htmlFor={`add-${chainId}`}
          help={`Listed: what runs on ${endFormat} data at this point${start.scope === 'POST_MERGE' ? ' after the merge' : ''}.`}
          style={{ marginBottom: 0 }}
        >
          <Select<string>
            id={`add-${chainId}`}
            data-testid={`add-manipulator-${chainId}`}
            placeholder="Choose a manipulator to append"
            value={null}
            options={options}
            onChange={add}
            showSearch
            optionFilterProp="value"
            // Every option in the DOM (the catalog is short), so all can be found by their text.
            virtual={false}
            listHeight={360}
            style={{ maxWidth: 420 }}
            notFoundContent="No manipulator can run here"
          />
        </Form.Item>
      </Form>
    </div>
  );
}
