// End to end in a real browser against the real stack (`make e2e`, part of `make test`).
// One story, in order, as a user would do it: register a dataset (validate → register), find it
// with a filter and a sort, open its detail page, build a new version with the pipeline wizard
// (two manipulators), watch it reach READY, see it in the list and in the source's lineage; build
// a third level and check the lineage graph against the API; open a demo dataset's EDA from the
// list and re-run it; open its samples and check the overlays against the API; see a damaged image
// in the health checks. Then the same GUI served by nginx. A screenshot of every step lands in
// test-output/e2e/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startNginx } from './nginx.mjs';
import { repoRoot, startStack } from './stack.mjs';

const outDir = join(repoRoot, 'frontend/test-output/e2e');
const NEW_GROUP = 'e2e_street';
const NEW_PATH = 'raw/e2e_street/train/v1.0.0';
const OUTPUT_GROUP = 'e2e_street_turned';

let stack;
let browser;
let page;
let shot = 0;
const pageErrors = [];
// Filled as the story goes on.
const state = {};

function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error('Chromium not found: run scripts/install-test-tools.sh (or set CHROMIUM)');
  }
  return found;
}

async function screenshot(name) {
  shot += 1;
  await page.screenshot({
    path: join(outDir, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

async function apiGet(path) {
  const response = await fetch(`${stack.api}${path}`);
  assert.equal(response.status, 200, `GET ${path}`);
  return response.json();
}

before(async () => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  assert.ok(
    existsSync(join(repoRoot, 'frontend/dist/index.html')),
    'frontend/dist is not built: run `make frontend-build` (make e2e does)',
  );
  stack = await startStack({ outDir, unregistered: [NEW_PATH] });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: process.env.E2E_HEADED !== '1',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({
    baseURL: stack.url,
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

after(async () => {
  if (page && shot > 0) {
    await screenshot('last-state').catch(() => undefined);
  }
  await browser?.close();
  await stack?.stop();
});

// ----- helpers ---------------------------------------------------------------------------------

/** Picks `label` in the Ant Design select whose input is `select` (single or multiple). */
async function pick(select, label) {
  await select.click({ force: true });
  // The input names its list (`aria-controls`); the dropdown holding that list is this select's,
  // even while another select's dropdown is still fading out.
  const listId = await select.getAttribute('aria-controls');
  const dropdown = page
    .locator('.ant-select-dropdown')
    .filter({ has: page.locator(`[id="${listId}"]`) });
  const option = dropdown
    .locator('.ant-select-item-option')
    .filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .first();
  await option.click();
}

async function closeDropdowns() {
  await page.keyboard.press('Escape');
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .first()
    .waitFor({ state: 'hidden' })
    .catch(() => undefined);
}

function groupTable() {
  return page.getByRole('table', { name: 'Dataset groups' });
}

async function groupNames() {
  // The name links (a row also links its versions' EDA).
  return groupTable().locator('tbody > tr[data-row-id] td a.dm-ds-name').allTextContents();
}

/**
 * Waits until the list shows exactly `expected` (in order). The table keeps the previous page on
 * screen while the next one loads, so a single read right after a change could see either.
 */
async function expectGroups(expected, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let names = [];
  while (Date.now() < deadline) {
    names = await groupNames();
    if (JSON.stringify(names) === JSON.stringify(expected)) {
      return;
    }
    await page.waitForTimeout(100);
  }
  assert.deepEqual(names, expected, 'the rows of the dataset list');
}

function groupRow(name) {
  return groupTable()
    .locator('tbody > tr[data-row-id]')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

/**
 * The data ECharts describes in a chart's `aria-label` ("… representing Instances. The data is as
 * follows: the data for person is 74, 0, …"), as `{series: {name: value}}`. A horizontal bar's
 * item also names its category index, which is dropped.
 */
function chartData(description) {
  const series = {};
  const parts = description.split(/The \d+ series is a .*? representing /).slice(1);
  for (const part of parts) {
    const name = part.slice(0, part.indexOf('.'));
    const values = {};
    for (const [, label, value] of part.matchAll(
      /the data for (.+?) is (\d+)(?:, \d+)?(?=, the data for |\.)/g,
    )) {
      values[label] = Number(value);
    }
    series[name] = values;
  }
  return series;
}

/** Records every EDA status the tab shows (each animation frame) with the re-run button's state. */
async function recordEdaStatuses() {
  await page.evaluate(() => {
    const seen = [];
    globalThis.__edaStatuses = seen;
    const tick = () => {
      const status = globalThis.document.querySelector('[data-testid="eda-status"]')?.dataset
        .status;
      const button = [...globalThis.document.querySelectorAll('button')].find((b) =>
        /^(Re-run|Run) EDA$/.test(b.innerText.trim()),
      );
      const entry = `${status}:${button?.disabled ? 'disabled' : 'enabled'}`;
      if (status && seen.at(-1) !== entry) seen.push(entry);
      globalThis.__edaRecorder = globalThis.requestAnimationFrame(tick);
    };
    tick();
  });
}

async function stopRecordingEdaStatuses() {
  return page.evaluate(() => {
    globalThis.cancelAnimationFrame(globalThis.__edaRecorder);
    return globalThis.__edaStatuses;
  });
}

/** Waits until the API says the EDA of `datasetId` is DONE and finished after `after`. */
async function edaDoneAfter(datasetId, after, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await apiGet(`/datasets/${datasetId}/eda`);
    if (run.status === 'DONE' && (!after || Date.parse(run.finished_at) > Date.parse(after))) {
      return run;
    }
    assert.notEqual(run.status, 'FAILED', `the EDA failed: ${run.error_message}`);
    assert.ok(Date.now() < deadline, `the EDA of ${datasetId} did not finish: ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The EDA tab shows exactly the health counts of `report`. */
async function expectHealthCounts(report) {
  for (const [key, check] of Object.entries(report.health)) {
    const row = page.getByTestId(`eda-health-${key}`);
    assert.equal(
      await row.getAttribute('data-count'),
      check === null ? '' : String(check.count),
      `health check ${key}`,
    );
    if (check !== null) {
      assert.match(
        await row.innerText(),
        new RegExp(`\\b${check.count.toLocaleString('en-US')} `),
        `${key} shows its count`,
      );
    }
  }
}

/** Images of the COCO file at `path` (NAS-relative) that have an annotation of one of `classes`. */
async function cocoOf(path) {
  return JSON.parse(await readFile(join(stack.nas, path, 'annotation.json'), 'utf8'));
}

// ----- the story -------------------------------------------------------------------------------

test('register a dataset through the form: validate, then register', async () => {
  await page.goto('/datasets/new');
  const register = page.getByRole('button', { name: 'Register', exact: true });
  await register.waitFor();
  await screenshot('register-empty');
  assert.equal(await register.isDisabled(), true, 'Register is disabled before a validation');

  await page.getByRole('radio', { name: 'New group' }).check({ force: true });
  await page.getByLabel('Group name').fill(NEW_GROUP);
  await pick(page.getByLabel('Dataset type'), 'Raw');
  await pick(page.getByLabel('Annotation format'), 'COCO');
  await pick(page.getByLabel('Task types'), 'Detection');
  await pick(page.getByLabel('Task types'), 'Segmentation');
  await closeDropdowns();
  assert.equal(
    await page.getByLabel('Version').inputValue(),
    'v1.0.0',
    'a new group starts at v1.0.0',
  );

  // A path that climbs out of the NAS: the API's 422 is shown on the NAS path field.
  const nasPath = page.getByLabel('NAS path');
  const validate = page.getByRole('button', { name: 'Validate path' });
  await nasPath.fill('../outside');
  await validate.click();
  const pathItem = page.locator('.ant-form-item').filter({ has: nasPath });
  await pathItem.locator('.ant-form-item-explain-error').first().waitFor();
  await screenshot('register-path-refused');

  // A path with nothing there: the report says so and Register stays disabled.
  await nasPath.fill('raw/e2e_street/train/v9.9.9');
  await validate.click();
  await page.getByText('Path not found on the NAS').waitFor();
  assert.equal(await register.isDisabled(), true);

  await nasPath.fill(NEW_PATH);
  await validate.click();
  const report = page.getByTestId('validation-report');
  await report.getByText('Valid', { exact: false }).first().waitFor();
  const coco = await cocoOf(NEW_PATH);
  const imagesStat = report.locator('.ant-statistic').filter({ hasText: 'Images' }).first();
  assert.match(await imagesStat.innerText(), new RegExp(`\\b${coco.images.length}\\b`));
  await screenshot('register-validated');
  assert.equal(await register.isEnabled(), true, 'Register is enabled once the path validated');

  await register.click();
  await page.waitForURL(/\/datasets\/[0-9a-f-]{36}(\?.*)?$/);
  state.groupId = new URL(page.url()).pathname.split('/').pop();
  await page.getByRole('heading', { name: NEW_GROUP }).waitFor();
  await screenshot('registered-detail');

  const group = await apiGet(`/dataset-groups/${state.groupId}`);
  assert.equal(group.name, NEW_GROUP);
  assert.deepEqual(group.task_types, ['DETECTION', 'SEGMENTATION']);
  assert.equal(group.datasets.length, 1);
  const [dataset] = group.datasets;
  assert.equal(dataset.status, 'READY');
  assert.equal(dataset.split, 'TRAIN');
  assert.equal(dataset.version, 'v1.0.0');
  assert.equal(dataset.storage_uri, NEW_PATH);
  assert.equal(dataset.image_count, coco.images.length);
  state.datasetId = dataset.id;
});

test('find it with a filter and a sort; the view lives in the URL', async () => {
  await page.goto('/datasets');
  await groupTable().waitFor();
  const filters = page.getByRole('search', { name: 'Filter datasets' });
  await pick(filters.getByRole('combobox', { name: 'Annotation format' }), 'COCO');
  await pick(filters.getByRole('combobox', { name: 'Status' }), 'Ready');
  await pick(page.getByRole('combobox', { name: 'Sort by' }), 'Most images');
  await page.waitForURL(
    (url) =>
      url.searchParams.get('annotation_format') === 'COCO' &&
      url.searchParams.get('status') === 'READY' &&
      url.searchParams.get('sort') === '-image_count',
  );
  // The expected order, from the API (COCO groups that have a READY version, most images first).
  const expected = (
    await apiGet('/dataset-groups?annotation_format=COCO&status=READY&sort=-image_count')
  ).items.map((g) => g.name);
  assert.ok(expected.includes(NEW_GROUP), `${NEW_GROUP} is among ${expected}`);
  const counts = (
    await apiGet('/dataset-groups?annotation_format=COCO&status=READY&sort=-image_count')
  ).items.map((g) => g.image_count);
  assert.deepEqual(
    counts,
    [...counts].sort((a, b) => b - a),
    'the API sorts by image count',
  );
  await expectGroups(expected);
  await screenshot('list-coco-ready-most-images');

  // A reload (or a shared link) shows the same view.
  await page.reload();
  await groupTable().waitFor();
  await expectGroups(expected);

  await pick(page.getByRole('combobox', { name: 'Sort by' }), 'Fewest images');
  await page.waitForURL((url) => url.searchParams.get('sort') === 'image_count');
  await expectGroups([...expected].reverse());

  await page.getByLabel('Search by name').fill('e2e_str');
  await page.waitForURL((url) => url.searchParams.get('q') === 'e2e_str');
  await expectGroups([NEW_GROUP]);

  await groupRow(NEW_GROUP).getByRole('button', { name: 'Expand row' }).click();
  const cell = page.getByTestId('version-TRAIN-v1.0.0');
  await cell.waitFor();
  assert.match(await cell.innerText(), /Ready/);
  assert.equal(
    await cell.getByTestId('image-count').innerText(),
    String((await cocoOf(NEW_PATH)).images.length),
  );
  await screenshot('list-found-and-expanded');
});

test('open its detail page', async () => {
  await groupRow(NEW_GROUP).getByRole('link', { name: NEW_GROUP, exact: true }).click();
  await page.waitForURL(new RegExp(`/datasets/${state.groupId}`));
  await page.getByRole('heading', { name: NEW_GROUP }).waitFor();
  const versions = page.getByRole('table', { name: 'Dataset versions' });
  await versions.waitFor();
  const text = await versions.innerText();
  assert.match(text, new RegExp(NEW_PATH.replace(/\./g, '\\.')));
  assert.match(text, /v1\.0\.0/);
  assert.match(text, /Ready/);
  await screenshot('detail-info');
});

test('run a pipeline from the wizard with two manipulators and watch it reach READY', async () => {
  await page.getByRole('button', { name: 'Run pipeline' }).first().click();
  await page.waitForURL((url) => url.pathname === '/pipelines/new');
  assert.equal(new URL(page.url()).searchParams.get('source_group'), state.groupId);

  // Step 1: the output.
  await page.getByRole('radio', { name: 'New group' }).check({ force: true });
  await page.getByLabel('Group name').fill(OUTPUT_GROUP);
  assert.equal(await page.getByLabel('Version').inputValue(), 'v1.0.0');
  await page.getByText(`processed/${OUTPUT_GROUP}/train/v1.0.0`).waitFor();
  await screenshot('wizard-1-output');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the source (preselected from the group) and its chain of two manipulators.
  const source = page.getByTestId(`source-${state.datasetId}`).getByRole('checkbox');
  await source.waitFor();
  assert.equal(await source.isChecked(), true, 'the group of the row is the source');
  const chain = page.getByTestId(`chain-source-${state.datasetId}`);
  // Typing narrows the list (the select searches manipulator names), so the option is in view.
  const addManipulator = async (name) => {
    const select = chain.getByLabel('Add manipulator');
    await select.click({ force: true });
    await select.pressSequentially(name);
    await page.getByRole('option', { name: new RegExp(name) }).click();
  };
  await addManipulator('rotate_180');
  await addManipulator('filter_keep_by_class');
  const filterStep = page.getByTestId(`step-source-${state.datasetId}-1`);
  const classes = filterStep.getByLabel('Classes');
  await classes.click({ force: true });
  for (const name of ['person', 'car']) {
    await classes.pressSequentially(name);
    await classes.press('Enter');
  }
  await closeDropdowns();
  await screenshot('wizard-2-sources');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: the preview's exact counts, checked against the source annotations on the NAS.
  const previewRequest = page.waitForRequest((request) =>
    request.url().endsWith('/api/v1/pipelines/preview'),
  );
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  // The config the wizard built, as sent.
  const config = (await previewRequest).postDataJSON();
  const previewImages = page.getByTestId('preview-images');
  await previewImages.waitFor();
  const coco = await cocoOf(NEW_PATH);
  const wanted = new Set(
    coco.categories.filter((c) => c.name === 'person' || c.name === 'car').map((c) => c.id),
  );
  const keptImages = new Set(
    coco.annotations.filter((a) => wanted.has(a.category_id)).map((a) => a.image_id),
  );
  const keptAnnotations = coco.annotations.filter((a) => keptImages.has(a.image_id)).length;
  assert.ok(keptImages.size > 0 && keptImages.size < coco.images.length, 'the filter bites');
  assert.equal(Number(await previewImages.getAttribute('data-value')), keptImages.size);
  assert.equal(
    Number(await page.getByTestId('preview-annotations').getAttribute('data-value')),
    keptAnnotations,
  );
  assert.equal(
    Number(await page.getByTestId('preview-transformed').getAttribute('data-value')),
    keptImages.size,
    'every image is turned',
  );
  assert.deepEqual(
    config.sources[0].manipulators.map((m) => m.name),
    ['rotate_180', 'filter_keep_by_class'],
  );
  assert.deepEqual(config.sources[0].manipulators[1].params.classes, ['person', 'car']);
  await screenshot('wizard-3-preview');

  await page.getByRole('button', { name: 'Submit pipeline' }).click();
  await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
  state.executionId = new URL(page.url()).pathname.split('/').pop();
  const status = page.getByTestId('execution-status');
  await status.waitFor();
  await screenshot('execution-started');
  // The page polls every 3 s; it shows DONE without a reload.
  await page.waitForSelector('[data-testid="execution-status"][data-status="DONE"]', {
    timeout: 120_000,
  });
  const progress = page.getByTestId('execution-progress');
  assert.equal(
    await progress.getAttribute('data-processed'),
    await progress.getAttribute('data-total'),
  );
  await page.waitForTimeout(500); // let the progress bar finish its animation
  await screenshot('execution-done');

  const execution = await apiGet(`/pipelines/${state.executionId}`);
  assert.equal(execution.status, 'DONE');
  state.outputDatasetId = execution.output_dataset_id;
  state.outputGroupId = execution.output_group_id;

  // What the worker wrote: the kept images, every box turned by 180° in its image.
  const output = await cocoOf(`processed/${OUTPUT_GROUP}/train/v1.0.0`);
  assert.equal(output.images.length, keptImages.size);
  assert.equal(output.annotations.length, keptAnnotations);
  const sourceImages = new Map(coco.images.map((i) => [i.file_name, i]));
  const sourceBoxes = (imageId) =>
    coco.annotations
      .filter((a) => a.image_id === imageId)
      .map((a) => a.bbox)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const image of output.images) {
    const original = sourceImages.get(image.file_name);
    assert.ok(original, `${image.file_name} comes from the source`);
    const turned = output.annotations
      .filter((a) => a.image_id === image.id)
      .map((a) => a.bbox)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const expected = sourceBoxes(original.id)
      .map(([x, y, w, h]) => [original.width - x - w, original.height - y - h, w, h])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.equal(turned.length, expected.length);
    turned.forEach((box, i) =>
      box.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-3, `${image.file_name}`)),
    );
  }

  await page.getByTestId('output-dataset-link').click();
  await page.waitForURL(new RegExp(`/datasets/${state.outputGroupId}`));
  await page.getByRole('heading', { name: OUTPUT_GROUP }).waitFor();
  await page.getByRole('table', { name: 'Dataset versions' }).getByText('Ready').waitFor();
  await screenshot('output-detail');
});

test("see the new version in the list and in the source's lineage", async () => {
  await page.goto('/datasets?q=e2e_street');
  await groupTable().waitFor();
  await expectGroups([OUTPUT_GROUP, NEW_GROUP]);
  await groupRow(OUTPUT_GROUP).getByRole('button', { name: 'Expand row' }).click();
  const cell = groupRow(OUTPUT_GROUP)
    .locator('xpath=following-sibling::tr[1]')
    .getByTestId('version-TRAIN-v1.0.0');
  await cell.waitFor();
  assert.match(await cell.innerText(), /Ready/);
  await screenshot('list-with-new-version');

  await page.goto(`/datasets/${state.groupId}?tab=lineage`);
  const node = page.getByTestId(`lineage-node-${state.outputDatasetId}`);
  await node.waitFor();
  assert.match(await node.innerText(), new RegExp(OUTPUT_GROUP));
  const edges = await page.getByTestId('lineage-edge').allInnerTexts();
  assert.ok(
    edges.some((edge) => edge.includes('rotate_180') && edge.includes('filter_keep_by_class')),
    `an edge names both manipulators: ${edges}`,
  );
  // The edge of the graph says it too, parameters included.
  const label = await page.getByTestId('lineage-edge-label').first().innerText();
  assert.match(label, /rotate_180 → filter_keep_by_class\(classes=person,car\)/);
  await screenshot('source-lineage');
});

/** Submits a pipeline through the API and waits for it to end DONE; returns the execution. */
async function runPipeline(config, timeoutMs = 120_000) {
  const response = await fetch(`${stack.api}/pipelines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  assert.equal(response.status, 202, await response.clone().text());
  const { id } = await response.json();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await apiGet(`/pipelines/${id}`);
    if (execution.status === 'DONE') return execution;
    assert.ok(
      !['FAILED', 'CANCELLED'].includes(execution.status),
      `the pipeline ended ${execution.status}: ${execution.error_message}`,
    );
    assert.ok(Date.now() < deadline, `the pipeline ${id} did not finish: ${execution.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The lineage graph on screen shows exactly the nodes and edges of the API's lineage. */
async function expectLineageGraph(datasetId) {
  const lineage = await apiGet(`/datasets/${datasetId}/lineage?direction=both&depth=50`);
  const graph = page.getByTestId('lineage-graph');
  await graph.locator('.react-flow__node').first().waitFor();
  const ids = new Set(lineage.nodes.map((n) => n.dataset.id));
  const edges = lineage.edges.filter((e) => ids.has(e.parent_id) && ids.has(e.child_id));
  // React Flow draws edges once both ends are measured: wait for the count, then compare.
  await page.waitForFunction(
    ([nodes, edgeCount]) => {
      const root = globalThis.document.querySelector('[data-testid="lineage-graph"]');
      return (
        root?.querySelectorAll('.react-flow__node').length === nodes &&
        root?.querySelectorAll('.react-flow__edge').length === edgeCount
      );
    },
    [lineage.nodes.length, edges.length],
  );
  const drawnNodes = await graph
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')).sort());
  assert.deepEqual(drawnNodes, [...ids].sort(), 'one node per version of the lineage');
  const drawnEdges = await graph
    .locator('.react-flow__edge')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());
  assert.deepEqual(
    drawnEdges,
    edges.map((e) => `${e.parent_id}->${e.child_id}`).sort(),
    'one edge per derivation',
  );
  // Every edge is visible: a drawn path with some length.
  const lengths = await graph
    .locator('.react-flow__edge path.react-flow__edge-path')
    .evaluateAll((paths) => paths.map((p) => p.getTotalLength()));
  assert.ok(
    lengths.length === edges.length && lengths.every((l) => l > 10),
    `edge paths are drawn: ${lengths}`,
  );
  assert.equal(
    await graph.locator(`[data-testid="lineage-node-${datasetId}"]`).getAttribute('data-current'),
    'true',
    'the version asked about is highlighted',
  );
  return lineage;
}

test('a chain of pipelines: the lineage graph draws every version and derivation', async () => {
  // A third level: a sample of the turned output (built through the API; the wizard was above).
  const execution = await runPipeline({
    output: {
      group: `${OUTPUT_GROUP}_sample`,
      dataset_type: 'PROCESSED',
      split: 'TRAIN',
      annotation_format: 'COCO',
      task_types: ['DETECTION'],
    },
    sources: [
      {
        dataset_id: state.outputDatasetId,
        manipulators: [{ name: 'sample_n_images', params: { n: 3, seed: 1 } }],
      },
    ],
  });
  state.sampleDatasetId = execution.output_dataset_id;
  state.sampleGroupId = execution.output_group_id;

  // In the app: the list, the middle version's group, its Lineage tab.
  await page.goto('/datasets?q=e2e_street');
  await groupTable().waitFor();
  await groupRow(OUTPUT_GROUP).getByRole('link', { name: OUTPUT_GROUP, exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/datasets/${state.outputGroupId}`);
  await page.getByRole('tab', { name: 'Lineage' }).click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'lineage');
  const lineage = await expectLineageGraph(state.outputDatasetId);
  assert.ok(lineage.nodes.length >= 3 && lineage.edges.length >= 2, 'a chain of three levels');
  const depths = lineage.nodes.map((n) => n.depth).sort((a, b) => a - b);
  assert.deepEqual([depths[0], depths.at(-1)], [-1, 1], 'one level up and one down');
  const labels = await page.getByTestId('lineage-edge-label').allInnerTexts();
  assert.ok(
    labels.some((l) => l.includes('sample_n_images(n=3, seed=1)')),
    `the new edge names its manipulator: ${labels}`,
  );
  await screenshot('lineage-chain');

  // A click on the last version opens it, in the app, on its own lineage.
  await page.getByTestId(`lineage-node-${state.sampleDatasetId}`).click();
  await page.waitForURL(
    (url) =>
      url.pathname === `/datasets/${state.sampleGroupId}` &&
      url.searchParams.get('tab') === 'lineage' &&
      url.searchParams.get('version') === state.sampleDatasetId,
  );
  await page.getByRole('heading', { name: `${OUTPUT_GROUP}_sample` }).waitFor();
  const fromEnd = await expectLineageGraph(state.sampleDatasetId);
  assert.equal(
    Math.min(...fromEnd.nodes.map((n) => n.depth)),
    -2,
    'the whole chain, two levels up',
  );
  await screenshot('lineage-chain-from-the-end');
});

test('the execution is in the history', async () => {
  await page.goto('/pipelines');
  const table = page.getByRole('table', { name: 'Pipeline executions' });
  await table.waitFor();
  const row = table.locator(`tbody > tr[data-row-id="${state.executionId}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Done/);
  assert.match(await row.innerText(), new RegExp(OUTPUT_GROUP));
  await screenshot('history');
});

test('settings: the manipulator catalog and the system status', async () => {
  await page.goto('/settings/manipulators');
  const table = page.getByRole('table', { name: 'Manipulators' });
  await table.locator('tbody > tr[data-row-id]').first().waitFor();
  const catalog = await apiGet('/manipulators');
  assert.equal(await table.locator('tbody > tr[data-row-id]').count(), catalog.items.length);
  await page.goto('/settings/system');
  await page.getByText('dataset-registry').waitFor();
  await screenshot('system-status');
  // Model training is in the navigation, disabled until its release.
  const training = page.getByRole('menuitem', { name: 'Model training' });
  assert.equal(await training.getAttribute('aria-disabled'), 'true');
});

test('in the app: System status lists live workers and the queues; a manipulator shows its parameters', async () => {
  const errorsBefore = pageErrors.length;
  await page.goto('/datasets');
  const nav = page.getByRole('menu', { name: 'Main navigation' });

  // The dev stack runs a pipeline and an eda worker in-process: both beat, both queues listed.
  await nav.getByRole('menuitem', { name: 'Settings' }).hover();
  await page
    .locator('.ant-menu-submenu-popup')
    .getByRole('link', { name: 'System status' })
    .click();
  await page.waitForURL((url) => url.pathname === '/settings/system');
  const workers = page.getByRole('table', { name: 'Workers' });
  for (const kind of ['pipeline', 'eda']) {
    await workers
      .locator(`tbody > tr[data-row-id^="${kind}:"]`)
      .filter({ hasText: 'ALIVE' })
      .first()
      .waitFor();
  }
  const queues = page.getByRole('table', { name: 'Queues' });
  for (const name of ['pipeline', 'eda']) {
    await queues.locator(`tbody > tr[data-row-id="${name}"]`).waitFor();
  }
  assert.equal(await page.getByText('no worker is taking jobs').count(), 0);
  await screenshot('system-status-workers');

  // A manipulator's parameters, as the catalog's JSON Schema says.
  const catalog = (await apiGet('/manipulators')).items;
  const sample = catalog.find((m) => m.name === 'sample_n_images');
  assert.ok(sample, 'sample_n_images is in the catalog');
  const params = Object.keys(sample.params_schema.properties ?? {});
  assert.ok(params.length > 0, 'sample_n_images takes params');
  await nav.getByRole('menuitem', { name: 'Settings' }).hover();
  await page.locator('.ant-menu-submenu-popup').getByRole('link', { name: 'Manipulators' }).click();
  await page.waitForURL((url) => url.pathname === '/settings/manipulators');
  const row = page
    .getByRole('table', { name: 'Manipulators' })
    .locator('tbody > tr[data-row-id="sample_n_images"]');
  await row.getByRole('button', { name: 'Expand row' }).click();
  const paramTable = page.getByRole('table', { name: 'Parameters of sample_n_images' });
  for (const name of params) {
    await paramTable.locator(`tbody > tr[data-row-id="${name}"]`).waitFor();
  }
  for (const name of sample.params_schema.required ?? []) {
    assert.match(
      await paramTable.locator(`tbody > tr[data-row-id="${name}"]`).innerText(),
      /required/,
    );
  }
  await screenshot('manipulator-parameters');
  assert.deepEqual(pageErrors.slice(errorsBefore), []);
});

test('in the app, from Settings → Manipulators to the wizard and back, both list the catalog', async () => {
  // One page load, then only clicks: the two pages share the catalog's cache entry, so each must
  // read what the other cached (a reload between them would hide a mismatch).
  const catalog = (await apiGet('/manipulators')).items;
  const errorsBefore = pageErrors.length;
  await page.goto('/settings/manipulators');
  await page.evaluate(() => {
    globalThis.__e2eSamePageLoad = true;
  });
  const table = page.getByRole('table', { name: 'Manipulators' });
  const rows = table.locator('tbody > tr[data-row-id]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), catalog.length);

  const nav = page.getByRole('menu', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Pipelines' }).click();
  await page.waitForURL((url) => url.pathname === '/pipelines');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await page.waitForURL((url) => url.pathname === '/pipelines/new');
  await page.getByRole('heading', { name: 'New pipeline' }).waitFor();
  await page.getByRole('radio', { name: 'New group' }).check({ force: true });
  await page.getByLabel('Group name').fill(`${OUTPUT_GROUP}_nav`);
  await page.getByRole('button', { name: 'Next' }).click();
  const source = page.getByTestId(`source-${state.datasetId}`).getByRole('checkbox');
  await source.check({ force: true });

  // The source's manipulator picker lists the catalog's real names.
  const select = page.getByTestId(`chain-source-${state.datasetId}`).getByLabel('Add manipulator');
  await select.click({ force: true });
  const listId = await select.getAttribute('aria-controls');
  const options = page
    .locator('.ant-select-dropdown')
    .filter({ has: page.locator(`[id="${listId}"]`) })
    .locator('.ant-select-item-option');
  await options.first().waitFor();
  // An option is the name, then an "Experimental" tag on the disabled ones.
  const offered = (await options.allInnerTexts()).map((text) =>
    text
      .split('\n')[0]
      .replace(/\s*Experimental$/, '')
      .trim(),
  );
  const names = new Set(catalog.map((m) => m.name));
  assert.ok(offered.length >= 2, `the picker offers manipulators: ${offered}`);
  for (const name of offered) {
    assert.ok(names.has(name), `${name} is in the catalog`);
  }
  for (const name of ['rotate_180', 'filter_keep_by_class']) {
    assert.ok(offered.includes(name), `${name} is offered: ${offered}`);
  }
  await screenshot('in-app-wizard-picker');
  await closeDropdowns();

  // Back through the Settings submenu: the catalog again, whole.
  await nav.getByRole('menuitem', { name: 'Settings' }).hover();
  await page.locator('.ant-menu-submenu-popup').getByRole('link', { name: 'Manipulators' }).click();
  await page.waitForURL((url) => url.pathname === '/settings/manipulators');
  await rows.first().waitFor();
  assert.equal(await rows.count(), catalog.length);
  assert.equal(await page.getByText('The catalog is empty').count(), 0);
  await screenshot('in-app-back-to-catalog');

  assert.equal(
    await page.evaluate(() => globalThis.__e2eSamePageLoad),
    true,
    'no page load between the steps',
  );
  assert.equal(await page.getByText('Unexpected Application Error').count(), 0);
  assert.deepEqual(pageErrors.slice(errorsBefore), []);
});

test('an operator marks a manipulator experimental: the wizard offers it disabled', async () => {
  await page.goto('/settings/manipulators');
  const status = page.getByRole('combobox', { name: 'Status of sample_n_images' });
  await status.waitFor();
  await pick(status, 'Experimental');
  await page.waitForFunction(
    async () =>
      (await (await globalThis.fetch('/api/v1/manipulators')).json()).items.find(
        (m) => m.name === 'sample_n_images',
      )?.status === 'EXPERIMENTAL',
  );
  try {
    await page.goto(`/pipelines/new?source_group=${state.groupId}`);
    await page.getByLabel('Group name').fill(`${OUTPUT_GROUP}_x`);
    await page.getByRole('button', { name: 'Next' }).click();
    const chain = page.getByTestId(`chain-source-${state.datasetId}`);
    await chain.getByLabel('Add manipulator').click({ force: true });
    const experimental = page.getByRole('option', { name: /sample_n_images/ });
    await experimental.waitFor();
    const disabled = /ant-select-item-option-disabled/;
    assert.match((await experimental.getAttribute('class')) ?? '', disabled);
    const active = page.getByRole('option', { name: /rotate_180/ });
    assert.doesNotMatch((await active.getAttribute('class')) ?? '', disabled);
    // Choosing it does nothing: the chain stays empty. (A DOM click: the option may sit below
    // the fold of the dropdown's own scroll area.)
    await experimental.dispatchEvent('click');
    assert.equal(await page.getByTestId(`step-source-${state.datasetId}-0`).count(), 0);
    await screenshot('wizard-experimental-disabled');
    await closeDropdowns();
  } finally {
    await fetch(`${stack.api}/manipulators/sample_n_images`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'ACTIVE' }),
    });
  }
});

test('the EDA of a demo dataset: charts, health checks and gallery as the API says; re-run', async () => {
  // In-app: the list, a search, the row's EDA button.
  await page.goto('/datasets');
  await groupTable().waitFor();
  await page.getByLabel('Search by name').fill('demo_coco');
  await expectGroups(['demo_coco']);
  const summaryRow = (await apiGet('/dataset-groups?q=demo_coco')).items[0];
  const train = summaryRow.splits.find((s) => s.split === 'TRAIN').versions[0];
  await groupRow('demo_coco').getByRole('button', { name: 'EDA', exact: true }).click();
  await page.waitForURL(
    (url) =>
      url.pathname === `/datasets/${summaryRow.group_id}` &&
      url.searchParams.get('tab') === 'eda' &&
      url.searchParams.get('version') === train.id,
  );
  // Registration queued the EDA; the tab follows it to the end without a reload.
  await page.waitForSelector('[data-testid="eda-status"][data-status="DONE"]', {
    timeout: 120_000,
  });
  const run = await edaDoneAfter(train.id);
  const { report } = run;

  // The headline numbers.
  for (const [testId, value] of [
    ['eda-summary-images', report.summary.images],
    ['eda-summary-objects', report.summary.objects],
    ['eda-summary-classes', report.summary.classes_used],
    ['eda-summary-issues', report.summary.health_issues],
  ]) {
    assert.equal(Number(await page.getByTestId(testId).getAttribute('data-value')), value, testId);
  }

  // The class chart draws every class with annotations, by name, with the API's counts.
  const chart = page.getByTestId('eda-class-chart').locator('[aria-label]').first();
  await chart.waitFor();
  await page.waitForFunction(() =>
    globalThis.document
      .querySelector('[data-testid="eda-class-chart"] [aria-label]')
      ?.getAttribute('aria-label')
      ?.includes('The data is as follows'),
  );
  const drawn = chartData(await chart.getAttribute('aria-label'));
  const used = report.classes.filter((c) => c.instances > 0 || c.images > 0);
  assert.ok(used.length > 1, 'the demo set has several classes');
  assert.deepEqual(drawn.Instances, Object.fromEntries(used.map((c) => [c.name, c.instances])));
  assert.deepEqual(drawn.Images, Object.fromEntries(used.map((c) => [c.name, c.images])));
  assert.equal((await page.locator('[data-testid="eda-class-chart"] canvas').count()) > 0, true);

  // Every health check with the API's count; one with examples links to the real images.
  await expectHealthCounts(report);
  const [key, check] = Object.entries(report.health).find(
    ([, c]) => c && c.count > 0 && (c.examples ?? []).length > 0,
  );
  await page.getByTestId(`eda-health-${key}`).click();
  const links = page.getByTestId('eda-health').locator('[data-testid="eda-health-example"] a');
  await links.first().waitFor();
  assert.deepEqual(
    await links.allInnerTexts(),
    check.examples.map((e) => e.file_name),
  );
  const image = await fetch(new URL(await links.first().getAttribute('href'), stack.url));
  assert.equal(image.status, 200, 'the example opens the image');
  assert.match(image.headers.get('content-type') ?? '', /^image\//);

  // The gallery: every thumbnail, loaded from /static.
  const thumbnails = page.getByTestId('eda-gallery').locator('img');
  assert.equal(await thumbnails.count(), report.gallery.length);
  assert.ok(report.gallery.length > 0);
  await page.waitForFunction(() => {
    const img = globalThis.document.querySelector('[data-testid="eda-gallery"] img');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.match(await thumbnails.first().getAttribute('src'), /^\/static\/eda\//);
  await screenshot('eda-done');

  // Re-run: queued or running (the button disabled meanwhile), then done with a new report.
  await recordEdaStatuses();
  await page.getByRole('button', { name: 'Re-run EDA' }).click();
  await screenshot('eda-rerun-started');
  const rerun = await edaDoneAfter(train.id, run.finished_at);
  await page.waitForSelector('[data-testid="eda-status"][data-status="DONE"]');
  const statuses = await stopRecordingEdaStatuses();
  assert.ok(
    statuses.some((s) => s === 'PENDING:disabled' || s === 'RUNNING:disabled'),
    `the tab showed the run queued or running: ${statuses}`,
  );
  assert.equal(statuses.at(-1), 'DONE:enabled', `${statuses}`);
  assert.ok(
    statuses.every((s) => s.startsWith('DONE') || s.endsWith(':disabled')),
    `Re-run is disabled while the run is live: ${statuses}`,
  );
  assert.deepEqual(rerun.report.summary, report.summary, 'the same data gives the same report');
  await page.waitForFunction(() => {
    const img = globalThis.document.querySelector('[data-testid="eda-gallery"] img');
    return img && img.complete && img.naturalWidth > 0;
  });
  await screenshot('eda-rerun-done');
});

/** `x0,y0 x1,y1 …` of a COCO polygon `[x0, y0, x1, y1, …]`. */
function polygonPoints(flat) {
  const pairs = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push(`${flat[i]},${flat[i + 1]}`);
  return pairs.join(' ');
}

/** The sum of the 1-runs of an uncompressed COCO RLE: the pixels inside the mask. */
function rleArea(counts) {
  return counts.reduce((sum, run, index) => (index % 2 === 1 ? sum + run : sum), 0);
}

test('the samples of a demo dataset: boxes, polygons and a crowd mask where the API puts them', async (t) => {
  // In-app: the list, a search, the row's Samples button.
  await page.goto('/datasets');
  await groupTable().waitFor();
  await page.getByLabel('Search by name').fill('demo_coco');
  await expectGroups(['demo_coco']);
  const summaryRow = (await apiGet('/dataset-groups?q=demo_coco')).items[0];
  const train = summaryRow.splits.find((s) => s.split === 'TRAIN').versions[0];
  await groupRow('demo_coco').getByRole('button', { name: 'Samples', exact: true }).click();
  await page.waitForURL(
    (url) =>
      url.pathname === `/datasets/${summaryRow.group_id}` &&
      url.searchParams.get('tab') === 'samples' &&
      url.searchParams.get('version') === train.id &&
      /^\d+$/.test(url.searchParams.get('seed') ?? ''),
  );
  const grid = page.getByTestId('sample-grid');
  await grid.getByTestId('sample-thumb').first().waitFor();
  const seed = new URL(page.url()).searchParams.get('seed');
  const first = await apiGet(`/datasets/${train.id}/samples?n=24&seed=${seed}`);
  assert.deepEqual(
    await grid
      .getByTestId('sample-thumb')
      .evaluateAll((els) => els.map((e) => Number(e.dataset.imageId))),
    first.items.map((i) => i.image_id),
    'the grid shows the API page of this seed, in its order',
  );
  // A thumbnail's preview is a real image.
  const thumbHref = await grid.locator('image').first().getAttribute('href');
  const thumb = await fetch(new URL(thumbHref, stack.url));
  assert.equal(thumb.status, 200, thumbHref);
  assert.match(thumb.headers.get('content-type') ?? '', /^image\/jpeg/);
  await screenshot('samples-grid');

  // The image to check: one with a crowd region (an RLE mask), and polygons when there is one.
  const everything = await apiGet(`/datasets/${train.id}/samples?n=200&seed=${seed}`);
  const withMask = everything.items.filter((i) => i.annotations.some((a) => a.mask));
  assert.ok(withMask.length > 0, 'the demo set has crowd regions (RLE masks)');
  const target =
    withMask.find((i) => i.annotations.some((a) => (a.polygons ?? []).length > 0)) ?? withMask[0];
  const crowd = target.annotations.find((a) => a.mask);
  const category = everything.categories.find((c) => c.name === crowd.category);
  t.diagnostic(`image ${target.image_id} (${target.file_name}), crowd ${crowd.category}`);

  // Filter by its class, 96 a page, then the page it is on.
  // The list of classes is virtual (only the options in view exist): type to narrow it first.
  const classSelect = page.getByRole('combobox', { name: 'Class' });
  await classSelect.click({ force: true });
  await classSelect.pressSequentially(category.name);
  const classList = await classSelect.getAttribute('aria-controls');
  const classLabel = `${category.name} (${category.images.toLocaleString('en-US')})`;
  await page
    .locator('.ant-select-dropdown')
    .filter({ has: page.locator(`[id="${classList}"]`) })
    .locator('.ant-select-item-option')
    .filter({ hasText: new RegExp(`^${classLabel.replace(/[()]/g, '\\$&')}$`) })
    .click();
  await page.waitForURL((url) => url.searchParams.get('class') === category.name);
  await pick(page.getByRole('combobox', { name: 'Per page' }), '96');
  await page.waitForURL((url) => url.searchParams.get('n') === '96');
  let onPage = 1;
  for (; ; onPage += 1) {
    const pageOf = await apiGet(
      `/datasets/${train.id}/samples?n=96&seed=${seed}&class=${encodeURIComponent(category.name)}&page=${onPage}`,
    );
    if (pageOf.items.some((i) => i.image_id === target.image_id)) break;
    assert.ok(onPage < pageOf.pages, 'the image is on one of the class pages');
  }
  if (onPage > 1) {
    await page.locator(`.ant-pagination-item-${onPage}`).click();
    await page.waitForURL((url) => url.searchParams.get('page') === String(onPage));
  }
  const thumbButton = grid.locator(
    `[data-testid="sample-thumb"][data-image-id="${target.image_id}"]`,
  );
  await thumbButton.click();

  // The viewer: one SVG in the record's pixel space, the large preview stretched into it.
  const viewer = page.getByRole('dialog');
  const figure = viewer.getByTestId('sample-figure');
  await figure.waitFor();
  assert.equal(await figure.getAttribute('viewBox'), `0 0 ${target.width} ${target.height}`);
  const large = await fetch(
    new URL(await viewer.getByTestId('sample-image').getAttribute('href'), stack.url),
  );
  assert.equal(large.status, 200);

  // Every box at the API's coordinates, exactly.
  const boxed = target.annotations.filter((a) => a.bbox);
  assert.equal(await viewer.getByTestId('overlay-box').count(), boxed.length);
  for (const annotation of boxed) {
    const rect = viewer.locator(
      `[data-testid="overlay-box"][data-annotation-id="${annotation.id}"]`,
    );
    const drawn = await rect.evaluate((el) =>
      ['x', 'y', 'width', 'height'].map((name) => Number(el.getAttribute(name))),
    );
    assert.deepEqual(drawn, annotation.bbox, `the box of annotation ${annotation.id}`);
  }
  // Every polygon part, with the API's points.
  const parts = target.annotations.flatMap((a) =>
    (a.polygons ?? []).filter((p) => p.length >= 6).map((p) => ({ id: a.id, p })),
  );
  const polygons = await viewer
    .getByTestId('overlay-polygon')
    .evaluateAll((els) =>
      els.map((el) => ({ id: el.dataset.annotationId, points: el.getAttribute('points') })),
    );
  assert.deepEqual(
    polygons,
    parts.map(({ id, p }) => ({ id: String(id), points: polygonPoints(p) })),
    'the polygons',
  );

  // The crowd mask: a canvas of the mask's size whose painted pixels are exactly its 1-runs.
  const area = rleArea(crowd.mask.counts);
  assert.ok(area > 0);
  const selector = `[data-testid="overlay-mask"][data-annotation-id="${crowd.id}"]`;
  await page.waitForFunction((sel) => {
    const canvas = globalThis.document.querySelector(sel);
    const data = canvas?.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return data?.some((v, i) => i % 4 === 3 && v > 0);
  }, selector);
  const painted = await page.evaluate((sel) => {
    const canvas = globalThis.document.querySelector(sel);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count += 1;
    return { count, width: canvas.width, height: canvas.height };
  }, selector);
  assert.deepEqual([painted.height, painted.width], crowd.mask.size, 'the canvas is the mask');
  assert.equal(painted.count, area, 'one painted pixel per mask pixel');
  if (crowd.iscrowd) {
    assert.equal(painted.count, crowd.area, "a crowd region's area is its mask's");
  }
  await screenshot('samples-viewer');

  // Switches: boxes off and on.
  await viewer.getByRole('checkbox', { name: /^Boxes/ }).uncheck();
  assert.equal(await viewer.getByTestId('overlay-box').count(), 0);
  await viewer.getByRole('checkbox', { name: /^Boxes/ }).check();
  assert.equal(await viewer.getByTestId('overlay-box').count(), boxed.length);

  // → and ← step through the samples; Esc closes. A step may cross to another page, which is
  // fetched first (slow on a loaded machine), hence the longer waits.
  const position = viewer.getByTestId('sample-position');
  const before = await position.innerText();
  const canStep = (await viewer.getByRole('button', { name: 'Next image' }).isEnabled())
    ? 'ArrowRight'
    : 'ArrowLeft';
  await page.keyboard.press(canStep);
  await page.waitForFunction(
    (text) =>
      globalThis.document.querySelector('[data-testid="sample-position"]')?.textContent !== text,
    before,
    { timeout: 60_000 },
  );
  await page.keyboard.press(canStep === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight');
  await page.waitForFunction(
    (text) =>
      globalThis.document.querySelector('[data-testid="sample-position"]')?.textContent === text,
    before,
    { timeout: 60_000 },
  );
  await page.keyboard.press('Escape');
  await figure.waitFor({ state: 'detached' });
});

test('a run that fails says which image and why', async () => {
  // A JPEG of the source damaged on the NAS after registration: turning it must fail, and the
  // execution page must say so in words a person can act on.
  const coco = await cocoOf(NEW_PATH);
  const victim = coco.images[0].file_name;
  await writeFile(join(stack.nas, NEW_PATH, 'images', victim), 'not a jpeg');
  const response = await fetch(`${stack.api}/pipelines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      output: {
        group: `${OUTPUT_GROUP}_broken`,
        dataset_type: 'PROCESSED',
        split: 'TRAIN',
        annotation_format: 'COCO',
        task_types: ['DETECTION'],
      },
      sources: [{ dataset_id: state.datasetId, manipulators: [{ name: 'rotate_180' }] }],
    }),
  });
  assert.equal(response.status, 202, await response.clone().text());
  const execution = await response.json();
  await page.goto(`/pipelines/${execution.id}`);
  await page.waitForSelector('[data-testid="execution-status"][data-status="FAILED"]', {
    timeout: 120_000,
  });
  const error = await page.getByTestId('execution-error').innerText();
  assert.match(error, new RegExp(victim.replace(/\./g, '\\.')), `the error names ${victim}`);
  await screenshot('execution-failed');
});

test('the EDA of the damaged dataset names the broken image and links to it', async () => {
  // The previous step damaged a JPEG of the registered dataset; its EDA (from registration) does
  // not know yet. Re-run it from its tab.
  const victim = (await cocoOf(NEW_PATH)).images[0].file_name;
  const before = await edaDoneAfter(state.datasetId);
  await page.goto(`/datasets/${state.groupId}?tab=eda`);
  await page.waitForSelector('[data-testid="eda-status"][data-status="DONE"]');
  await page.getByRole('button', { name: 'Re-run EDA' }).click();
  const run = await edaDoneAfter(state.datasetId, before.finished_at);
  await page.waitForFunction(
    (count) =>
      globalThis.document.querySelector('[data-testid="eda-health-unreadable_images"]')?.dataset
        .count === String(count),
    run.report.health.unreadable_images.count,
  );
  assert.ok(run.report.health.unreadable_images.count >= 1);
  assert.ok(run.report.health.unreadable_images.examples.some((e) => e.file_name === victim));
  await expectHealthCounts(run.report);
  await page.getByTestId('eda-health-unreadable_images').click();
  const link = page
    .getByTestId('eda-health')
    .locator('[data-testid="eda-health-example"] a')
    .filter({ hasText: victim });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `/static/${NEW_PATH}/images/${victim}`);
  const served = await fetch(new URL(await link.getAttribute('href'), stack.url));
  assert.equal(await served.text(), 'not a jpeg', 'the link opens the damaged file itself');
  await screenshot('eda-damaged-image');
});

test('addresses that name nothing say so', async () => {
  await page.goto('/datasets/00000000-0000-4000-8000-000000000000');
  await page.getByText('Dataset group not found').waitFor();
  // An unknown execution: the API's problem (title and detail) on the page and in a toast.
  await page.goto('/pipelines/00000000-0000-4000-8000-000000000000');
  await page.locator('.ant-result-error').getByText('Not Found').waitFor();
  await page.locator('.ant-notification-notice').getByText('Not Found').waitFor();
  await screenshot('unknown-execution');
  await page.goto('/no/such/page');
  await page.getByText('Page not found').waitFor();
});

test('the same GUI served by nginx (the compose set-up): deep links, assets, API', async () => {
  const nginx = await startNginx({
    gatewayUrl: stack.url,
    guiRoot: join(repoRoot, 'frontend/dist'),
    nasRoot: stack.nas,
  });
  try {
    // A client-side route loaded directly: nginx answers index.html, the app routes itself and
    // reads the API through nginx → gateway → registry.
    await page.goto(`${nginx.url}/datasets/${state.groupId}`);
    await page.getByRole('heading', { name: NEW_GROUP }).waitFor();
    await page.goto(`${nginx.url}/pipelines/${state.executionId}`);
    await page.waitForSelector('[data-testid="execution-status"][data-status="DONE"]');
    await screenshot('through-nginx');
  } finally {
    await nginx.stop();
  }
});

test('no uncaught error in the page along the way', () => {
  assert.deepEqual(pageErrors, []);
});
