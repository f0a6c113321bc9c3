import { CheckCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import {
  ANNOTATION_FORMATS,
  DATASET_TYPES,
  MODALITIES,
  SPLITS,
  TASK_TYPES,
  optionsOf,
} from '@/lib/enums';
import { notifySuccess } from '@/lib/notify';
import { useCreateGroup } from '../api/createGroup';
import { placeProblems } from '../api/formErrors';
import { isNotFound, useGroup, useNextVersion } from '@/api/groups';
import { useRegisterDataset } from '../api/registerDataset';
import { useValidatePath } from '../api/validatePath';
import { GroupFacts } from './GroupFacts';
import { GroupPicker } from './GroupPicker';
import { ValidationReportView } from './ValidationReportView';

export interface RegisterValues {
  mode: 'existing' | 'new';
  group_id?: string;
  name?: string;
  dataset_type?: Schemas['DatasetType'];
  annotation_format?: Schemas['AnnotationFormat'];
  modality?: Schemas['Modality'];
  task_types?: Schemas['TaskType'][];
  group_description?: string;
  source_origin?: string;
  storage_uri?: string;
  split?: Schemas['Split'];
  version?: string;
  description?: string;
}

const FIRST_VERSION = 'v1.0.0';
const VERSION_RE = /^v\d+\.\d+\.\d+$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

// API field → form field, per call; the group's and the dataset's `description` differ.
const GROUP_FIELDS: Record<string, string> = {
  name: 'name',
  dataset_type: 'dataset_type',
  annotation_format: 'annotation_format',
  modality: 'modality',
  task_types: 'task_types',
  source_origin: 'source_origin',
  description: 'group_description',
};
const DATASET_FIELDS: Record<string, string> = {
  group_id: 'group_id',
  split: 'split',
  version: 'version',
  storage_uri: 'storage_uri',
  description: 'description',
};
const GROUP_CODES: Record<string, string> = { GROUP_NAME_TAKEN: 'name' };
const DATASET_CODES: Record<string, string> = {
  VERSION_EXISTS: 'version',
  INVALID_STORAGE_URI: 'storage_uri',
};

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The validation a report is about: a report is only good for the path and format it checked. */
function validationKey(uri: string | undefined, format: string | undefined): string | undefined {
  const path = uri?.trim();
  return path && format ? `${format}\u0000${path}` : undefined;
}

interface FormProblem {
  title: string;
  detail: string;
  items: string[];
}

export function RegisterDatasetForm({ initialGroupId }: { initialGroupId: string | undefined }) {
  const navigate = useNavigate();
  const [form] = Form.useForm<RegisterValues>();
  const mode = Form.useWatch('mode', form) ?? (initialGroupId ? 'existing' : 'new');
  const groupId = Form.useWatch('group_id', form);
  const newFormat = Form.useWatch('annotation_format', form);
  const newName = Form.useWatch('name', form);
  const newType = Form.useWatch('dataset_type', form);
  const storageUri = Form.useWatch('storage_uri', form);
  const split = Form.useWatch('split', form);
  const version = Form.useWatch('version', form);

  const group = useGroup(mode === 'existing' ? groupId : undefined);
  const selectedGroup = mode === 'existing' && group.data?.id === groupId ? group.data : undefined;
  const nextVersion = useNextVersion(mode === 'existing' ? groupId : undefined, split);

  const validate = useValidatePath();
  const createGroup = useCreateGroup();
  const register = useRegisterDataset();

  const [validation, setValidation] = useState<{
    key: string;
    result: Schemas['ValidatePathResponse'];
  } | null>(null);
  const [versionEdited, setVersionEdited] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [createdGroup, setCreatedGroup] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  const format = mode === 'existing' ? selectedGroup?.annotation_format : newFormat;
  const currentKey = validationKey(storageUri, format);
  const validated = validation !== null && validation.key === currentKey;
  const canRegister = validated && validation.result.valid;
  const submitting = createGroup.isPending || register.isPending;

  const proposed = mode === 'existing' ? nextVersion.data?.version : FIRST_VERSION;
  useEffect(() => {
    if (proposed && !versionEdited) {
      form.setFieldValue('version', proposed);
    }
  }, [proposed, versionEdited, form]);

  // A `?group=` that names no group: say so at the field rather than showing an empty picker.
  useEffect(() => {
    if (mode === 'existing' && groupId && group.isError && isNotFound(group.error)) {
      form.setFields([{ name: 'group_id', errors: ['No dataset group has this id'] }]);
    }
  }, [mode, groupId, group.isError, group.error, form]);

  const groupName = mode === 'existing' ? selectedGroup?.name : blankToUndefined(newName);
  const groupType = mode === 'existing' ? selectedGroup?.dataset_type : newType;
  const conventionalPath =
    groupName && groupType && split && version && VERSION_RE.test(version)
      ? `${groupType.toLowerCase()}/${groupName}/${split.toLowerCase()}/${version}`
      : undefined;

  const showProblem = (next: FormProblem | null) => {
    setProblem(next);
    if (next) {
      requestAnimationFrame(() => problemRef.current?.scrollIntoView?.({ block: 'nearest' }));
    }
  };

  /** Puts a failed call's problems next to their fields; the rest above the buttons. */
  const applyError = (
    error: unknown,
    fields: Record<string, string>,
    codes: Record<string, string>,
  ) => {
    const placed = placeProblems(error, fields, codes);
    form.setFields(
      [...placed.byField].map(([name, errors]) => ({ name: name as keyof RegisterValues, errors })),
    );
    if (placed.byField.size === 0 || placed.general.length > 0) {
      showProblem({ title: placed.title, detail: placed.detail, items: placed.general });
    }
    const first = placed.byField.keys().next();
    if (!first.done) {
      form.scrollToField(first.value as keyof RegisterValues, { block: 'center' });
    }
  };

  const onValidate = async () => {
    showProblem(null);
    const fields: (keyof RegisterValues)[] = [
      'storage_uri',
      mode === 'existing' ? 'group_id' : 'annotation_format',
    ];
    try {
      await form.validateFields(fields);
    } catch {
      return;
    }
    const uri = storageUri?.trim();
    if (!uri || !format) {
      return;
    }
    const key = validationKey(uri, format);
    validate.mutate(
      { storage_uri: uri, annotation_format: format },
      {
        onSuccess: (result) => key && setValidation({ key, result }),
        onError: (error) => {
          setValidation(null);
          applyError(error, { storage_uri: 'storage_uri' }, DATASET_CODES);
        },
      },
    );
  };

  const onFinish = async (values: RegisterValues) => {
    showProblem(null);
    if (!canRegister || !values.split || !values.storage_uri) {
      return;
    }
    let targetGroup = values.group_id;
    let targetName = selectedGroup?.name;
    if (values.mode === 'new') {
      if (!values.name || !values.dataset_type || !values.annotation_format) {
        return;
      }
      try {
        const created = await createGroup.mutateAsync({
          name: values.name.trim(),
          dataset_type: values.dataset_type,
          annotation_format: values.annotation_format,
          modality: values.modality,
          task_types: values.task_types ?? [],
          description: blankToUndefined(values.group_description),
          source_origin: blankToUndefined(values.source_origin),
        });
        targetGroup = created.id;
        targetName = created.name;
        // If the registration below fails, a retry must not create the group a second time.
        form.setFieldsValue({ mode: 'existing', group_id: created.id });
        setCreatedGroup(created.name);
      } catch (error) {
        applyError(error, GROUP_FIELDS, GROUP_CODES);
        return;
      }
    }
    if (!targetGroup) {
      return;
    }
    try {
      const dataset = await register.mutateAsync({
        group_id: targetGroup,
        split: values.split,
        version: blankToUndefined(values.version),
        storage_uri: values.storage_uri.trim(),
        description: blankToUndefined(values.description),
      });
      notifySuccess(
        'Dataset registered',
        `${targetName ?? 'The group'} · ${SPLITS[dataset.split]} ${dataset.version} (${dataset.status.toLowerCase()})`,
      );
      navigate(`/datasets/${dataset.group_id}`);
    } catch (error) {
      applyError(error, DATASET_FIELDS, DATASET_CODES);
    }
  };

  return (
    <Form<RegisterValues>
      form={form}
      layout="vertical"
      initialValues={{
        mode: initialGroupId ? 'existing' : 'new',
        group_id: initialGroupId,
        modality: 'RGB',
        task_types: [],
        split: 'TRAIN',
      }}
      onValuesChange={(changed: Partial<RegisterValues>) => {
        // Only what the user types counts as an edit; the proposal is written by setFieldValue,
        // which does not come through here.
        if ('version' in changed) {
          setVersionEdited(Boolean(changed.version?.trim()));
        }
      }}
      onFinish={(values) => void onFinish(values)}
      aria-label="Register dataset"
    >
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title="1. Dataset group" size="small">
              <Form.Item name="mode" label="Register into">
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'existing', label: 'Existing group' },
                    { value: 'new', label: 'New group' },
                  ]}
                />
              </Form.Item>
              {mode === 'existing' ? (
                <>
                  <Form.Item
                    name="group_id"
                    label="Group"
                    rules={[
                      { required: true, message: 'Choose the group this version belongs to' },
                    ]}
                  >
                    <GroupPicker selected={selectedGroup} />
                  </Form.Item>
                  {selectedGroup ? <GroupFacts group={selectedGroup} mode="summary" /> : null}
                </>
              ) : (
                <>
                  <Form.Item
                    name="name"
                    label="Group name"
                    extra="Letters, digits, '.', '_' or '-'. It becomes the group's folder name on the NAS."
                    rules={[
                      { required: true, message: 'Name the new group' },
                      {
                        pattern: NAME_RE,
                        message:
                          "Use letters, digits, '.', '_' or '-', starting with a letter or digit",
                      },
                    ]}
                  >
                    <Input placeholder="coco2017" autoComplete="off" />
                  </Form.Item>
                  <Row gutter={12}>
                    <Col xs={24} sm={12}>
                      <Form.Item
                        name="dataset_type"
                        label="Dataset type"
                        rules={[{ required: true, message: 'Choose a dataset type' }]}
                      >
                        <Select placeholder="Raw, source…" options={optionsOf(DATASET_TYPES)} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item
                        name="annotation_format"
                        label="Annotation format"
                        rules={[{ required: true, message: 'Choose the annotation format' }]}
                      >
                        <Select placeholder="COCO, YOLO…" options={optionsOf(ANNOTATION_FORMATS)} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name="modality" label="Modality">
                        <Select options={optionsOf(MODALITIES)} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name="task_types" label="Task types">
                        <Select
                          mode="multiple"
                          placeholder="Detection, segmentation…"
                          options={optionsOf(TASK_TYPES)}
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item name="group_description" label="Group description">
                    <Input.TextArea
                      autoSize={{ minRows: 2, maxRows: 6 }}
                      placeholder="What the dataset is, where it comes from, what it is for"
                    />
                  </Form.Item>
                  <Form.Item
                    name="source_origin"
                    label="Source origin"
                    extra="Where the data came from: a URL, a vendor, a capture campaign."
                  >
                    <Input placeholder="https://cocodataset.org" />
                  </Form.Item>
                </>
              )}
            </Card>

            <Card title="2. Data on the NAS" size="small">
              <Form.Item
                label="NAS path"
                required
                extra={
                  <span>
                    Relative to the NAS root.
                    {conventionalPath && conventionalPath !== storageUri?.trim() ? (
                      <>
                        {' '}
                        Datamill&apos;s convention:{' '}
                        <Button
                          type="link"
                          size="small"
                          style={{ padding: 0, height: 'auto' }}
                          onClick={() =>
                            form.setFields([
                              { name: 'storage_uri', value: conventionalPath, errors: [] },
                            ])
                          }
                        >
                          {conventionalPath}
                        </Button>
                      </>
                    ) : null}
                  </span>
                }
              >
                <Flex gap={8}>
                  <Form.Item
                    name="storage_uri"
                    noStyle
                    rules={[
                      { required: true, whitespace: true, message: 'Give the folder on the NAS' },
                      {
                        validator: (_, value: string | undefined) =>
                          value?.trim().startsWith('/')
                            ? Promise.reject(
                                new Error(
                                  'Give a path relative to the NAS root, without a leading /',
                                ),
                              )
                            : Promise.resolve(),
                      },
                    ]}
                  >
                    <Input
                      id="register-storage-uri"
                      aria-label="NAS path"
                      placeholder={conventionalPath ?? 'raw/coco2017/train/v1.0.0'}
                      autoComplete="off"
                      spellCheck={false}
                      onPressEnter={(event) => {
                        event.preventDefault();
                        void onValidate();
                      }}
                    />
                  </Form.Item>
                  <Button
                    icon={<SafetyCertificateOutlined aria-hidden />}
                    loading={validate.isPending}
                    disabled={!currentKey}
                    onClick={() => void onValidate()}
                  >
                    Validate path
                  </Button>
                </Flex>
              </Form.Item>
              {!format ? (
                <Typography.Text type="secondary">
                  {mode === 'existing'
                    ? 'Choose the group first: its annotation format decides how the path is read.'
                    : 'Choose the annotation format first: it decides how the path is read.'}
                </Typography.Text>
              ) : null}
            </Card>

            <Card title="3. Version" size="small">
              <Row gutter={12}>
                <Col xs={24} sm={8}>
                  <Form.Item
                    name="split"
                    label="Split"
                    rules={[{ required: true, message: 'Choose a split' }]}
                  >
                    <Select options={optionsOf(SPLITS)} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={16}>
                  <Form.Item
                    name="version"
                    label="Version"
                    extra={
                      mode === 'existing' && nextVersion.data ? (
                        <span>
                          {nextVersion.data.latest
                            ? `Latest ${SPLITS[nextVersion.data.split].toLowerCase()} version is ${nextVersion.data.latest}; next is ${nextVersion.data.version}.`
                            : `First ${SPLITS[nextVersion.data.split].toLowerCase()} version of this group.`}
                          {versionEdited && version !== nextVersion.data.version ? (
                            <>
                              {' '}
                              <Button
                                type="link"
                                size="small"
                                style={{ padding: 0, height: 'auto' }}
                                onClick={() => setVersionEdited(false)}
                              >
                                Use {nextVersion.data.version}
                              </Button>
                            </>
                          ) : null}
                        </span>
                      ) : (
                        'vMAJOR.MINOR.PATCH; leave the proposal unless you mirror an upstream release.'
                      )
                    }
                    rules={[
                      {
                        pattern: VERSION_RE,
                        message: 'Use vMAJOR.MINOR.PATCH, e.g. v1.0.0',
                      },
                    ]}
                  >
                    <Input placeholder={proposed ?? FIRST_VERSION} autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="description" label="Dataset description">
                <Input.TextArea
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  placeholder="What is in this version: capture dates, changes from the previous one"
                />
              </Form.Item>
            </Card>

            <div ref={problemRef}>
              {createdGroup ? (
                <Alert
                  style={{ marginBottom: 12 }}
                  type="info"
                  showIcon
                  message={`Group ${createdGroup} was created`}
                  description="Its first version was not registered: fix the problems and register again; it goes into that group."
                />
              ) : null}
              {problem ? (
                <Alert
                  type="error"
                  showIcon
                  role="alert"
                  message={problem.title}
                  description={
                    problem.items.length > 0 ? (
                      <ul style={{ margin: 0, paddingLeft: 18 }}>
                        {problem.items.map((item) => (
                          <li key={item}>{item}</li>
                        ))}
                      </ul>
                    ) : (
                      problem.detail
                    )
                  }
                  closable
                  onClose={() => setProblem(null)}
                />
              ) : null}
            </div>

            <Flex gap={8} align="center" wrap>
              <Button
                type="primary"
                htmlType="submit"
                icon={<CheckCircleOutlined aria-hidden />}
                disabled={!canRegister}
                loading={submitting}
              >
                Register
              </Button>
              <Button onClick={() => navigate(-1)}>Cancel</Button>
              <Typography.Text type="secondary">
                {canRegister
                  ? 'The path is valid. Registering records it as a new version; the files stay where they are.'
                  : validated
                    ? 'The validator found errors: this path cannot be registered as it stands.'
                    : 'Validate the NAS path to enable Register.'}
              </Typography.Text>
            </Flex>
          </Space>
        </Col>

        <Col xs={24} xl={12}>
          <Card title="Validation report" size="small">
            {validation ? (
              <>
                {!validated ? (
                  <Alert
                    style={{ marginBottom: 16 }}
                    type="warning"
                    showIcon
                    message="Out of date"
                    description="The path or the annotation format changed since this report. Validate again before registering."
                  />
                ) : null}
                <div style={validated ? undefined : { opacity: 0.55 }}>
                  <ValidationReportView result={validation.result} />
                </div>
              </>
            ) : (
              <EmptyState
                title="Not validated yet"
                hint="Enter the NAS path and press Validate path: the validator checks the layout, counts images, annotations and classes, and lists every problem with its file and line."
              />
            )}
          </Card>
        </Col>
      </Row>
    </Form>
  );
}
