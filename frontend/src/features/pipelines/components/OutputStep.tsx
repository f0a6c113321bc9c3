import { Button, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import type { Schemas } from '@/api/client';
import { ANNOTATION_FORMATS, MODALITIES, SPLITS, TASK_TYPES, optionsOf } from '@/lib/enums';
import { useNextVersion } from '@/api/groups';
import { useWizardStore } from '../stores/wizardStore';
import {
  type WizardDraft,
  effectiveDatasetType,
  findGroupByName,
  suggestedDatasetType,
} from '../utils/draft';
import { type Problem, UNWRITABLE_FORMATS } from '../utils/wizardValidation';

const PIPELINE_TYPES = [
  { value: 'PROCESSED', label: 'Processed (from one source)' },
  { value: 'FUSION', label: 'Fusion (from several sources)' },
] as const;

function fieldProps(problems: readonly Problem[], field: Problem['field']) {
  const mine = problems.filter((p) => p.field === field);
  return mine.length > 0
    ? { validateStatus: 'error' as const, help: mine.map((p) => p.message).join('; ') }
    : {};
}

/** Step 1: the dataset version the pipeline creates. */
export function OutputStep({
  draft,
  groups,
  problems,
}: {
  draft: WizardDraft;
  groups: readonly Schemas['GroupSummary'][];
  problems: readonly Problem[];
}) {
  const setOutput = useWizardStore((s) => s.setOutput);
  const { output } = draft;
  const existing = findGroupByName(groups, output.groupName);
  const next = useNextVersion(existing?.group_id, output.split);
  const proposed = existing ? next.data?.version : 'v1.0.0';
  const datasetType = effectiveDatasetType(draft, existing);
  const pipelineGroups = groups.filter(
    (g) => g.dataset_type === 'PROCESSED' || g.dataset_type === 'FUSION',
  );

  const chooseGroup = (name: string) => {
    const group = groups.find((g) => g.name === name);
    // Adding a version to a group: start from the group's own facts.
    setOutput(
      group
        ? {
            groupName: group.name,
            taskTypes: group.task_types,
            annotationFormat: group.annotation_format,
            modality: group.modality,
            datasetType: null,
            version: null,
          }
        : { groupName: name, version: null },
    );
  };

  const versionHelp = fieldProps(problems, 'version').help ?? (
    <span>
      {output.version === null
        ? existing
          ? next.isLoading
            ? 'Asking the registry for the next version…'
            : `Proposed: the next patch after ${next.data?.latest ?? 'none'} in ${output.split}`
          : 'A new group starts at v1.0.0'
        : 'Your version. '}
      {output.version !== null ? (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => setOutput({ version: null })}
        >
          Use the proposed version
        </Button>
      ) : null}
    </span>
  );

  return (
    <Form layout="vertical" component="div" requiredMark="optional">
      <Form.Item label="Output group" required>
        <Radio.Group
          value={output.groupMode}
          onChange={(e) =>
            setOutput({
              groupMode: e.target.value as 'new' | 'existing',
              groupName: '',
              version: null,
            })
          }
          optionType="button"
          options={[
            { value: 'new', label: 'New group' },
            { value: 'existing', label: 'Existing group' },
          ]}
        />
      </Form.Item>
      {output.groupMode === 'new' ? (
        <Form.Item
          label="Group name"
          htmlFor="output-group-name"
          required
          {...(fieldProps(problems, 'groupName').help
            ? fieldProps(problems, 'groupName')
            : {
                help: existing
                  ? `${existing.name} exists: the new version is added to it`
                  : 'Its NAS folder name: letters, digits, _, - and ., starting with a letter or digit',
              })}
        >
          <Input
            id="output-group-name"
            value={output.groupName}
            placeholder="e.g. coco_person_rot180"
            maxLength={128}
            onChange={(e) => setOutput({ groupName: e.target.value, version: null })}
            autoComplete="off"
          />
        </Form.Item>
      ) : (
        <Form.Item
          label="Group"
          htmlFor="output-group"
          required
          {...(fieldProps(problems, 'groupName').help
            ? fieldProps(problems, 'groupName')
            : { help: 'Processed and fusion groups; the new version is added to the chosen one' })}
        >
          <Select
            id="output-group"
            showSearch
            value={existing?.name ?? (output.groupName || undefined)}
            placeholder="Choose a group"
            options={pipelineGroups.map((g) => ({
              value: g.name,
              label: `${g.name} (${g.dataset_type.toLowerCase()}, ${g.annotation_format})`,
            }))}
            onChange={chooseGroup}
            notFoundContent="No processed or fusion group yet — create a new one"
          />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            label="Dataset type"
            htmlFor="output-dataset-type"
            required
            {...(fieldProps(problems, 'datasetType').help
              ? fieldProps(problems, 'datasetType')
              : {
                  help: existing
                    ? `Fixed by the group ${existing.name}`
                    : output.datasetType === null
                      ? `Suggested for ${draft.sources.length > 1 ? 'several sources' : 'one source'}`
                      : datasetType !== suggestedDatasetType(draft.sources.length)
                        ? `Usually ${suggestedDatasetType(draft.sources.length)} with ${draft.sources.length} source(s)`
                        : undefined,
                })}
          >
            <Select
              id="output-dataset-type"
              value={datasetType}
              disabled={existing !== undefined}
              options={[...PIPELINE_TYPES]}
              onChange={(value) => setOutput({ datasetType: value })}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label="Split" htmlFor="output-split" required>
            <Select
              id="output-split"
              value={output.split}
              options={optionsOf(SPLITS)}
              onChange={(split: Schemas['Split']) => setOutput({ split, version: null })}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            label="Version"
            htmlFor="output-version"
            validateStatus={fieldProps(problems, 'version').validateStatus}
            help={versionHelp}
          >
            <Input
              id="output-version"
              value={output.version ?? proposed ?? ''}
              placeholder="v1.0.0"
              onChange={(e) => setOutput({ version: e.target.value })}
              autoComplete="off"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            label="Task types"
            htmlFor="output-task-types"
            required
            {...fieldProps(problems, 'taskTypes')}
          >
            <Select
              id="output-task-types"
              mode="multiple"
              value={output.taskTypes}
              options={optionsOf(TASK_TYPES)}
              onChange={(taskTypes: Schemas['TaskType'][]) => setOutput({ taskTypes })}
              placeholder="What the annotations are for"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item
            label="Annotation format"
            htmlFor="output-format"
            required
            {...fieldProps(problems, 'annotationFormat')}
          >
            <Select
              id="output-format"
              value={output.annotationFormat}
              options={optionsOf(ANNOTATION_FORMATS).map((o) => ({
                ...o,
                disabled: UNWRITABLE_FORMATS.includes(o.value),
                label: UNWRITABLE_FORMATS.includes(o.value) ? `${o.label} (read only)` : o.label,
              }))}
              onChange={(annotationFormat: Schemas['AnnotationFormat']) =>
                setOutput({ annotationFormat })
              }
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item label="Modality" htmlFor="output-modality" required>
            <Select
              id="output-modality"
              value={output.modality}
              options={optionsOf(MODALITIES)}
              onChange={(modality: Schemas['Modality']) => setOutput({ modality })}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="Description" htmlFor="output-description">
        <Input.TextArea
          id="output-description"
          value={output.description}
          rows={2}
          maxLength={2000}
          placeholder="What this version is for (shown on the dataset page)"
          onChange={(e) => setOutput({ description: e.target.value })}
        />
      </Form.Item>
      <Space>
        <Typography.Text type="secondary">Will be written to</Typography.Text>
        <Typography.Text code data-testid="output-path">
          {`${datasetType.toLowerCase()}/${existing?.name ?? (output.groupName.trim() || '<group>')}/${output.split.toLowerCase()}/${output.version ?? proposed ?? '…'}`}
        </Typography.Text>
      </Space>
    </Form>
  );
}
