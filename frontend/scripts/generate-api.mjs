// Generates the GUI's API types (`make frontend-api`):
//   src/api/schema.d.ts           from proto-schemas/openapi.json (openapi-typescript)
//   src/api/pipeline-config.d.ts  from proto-schemas/pipeline_config.schema.json, the body of
//                                 POST /pipelines[/preview], which the OpenAPI document only names
// With --check nothing is written; it exits 1 when a checked-in file is stale (`make test`).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import openapiTS, { astToString } from 'openapi-typescript';

const root = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const header = (source) =>
  `// Generated from ${source} by \`make frontend-api\`. Do not edit by hand.\n\n`;

async function openapiTypes() {
  const spec = JSON.parse(await readFile(root('proto-schemas/openapi.json'), 'utf8'));
  const ast = await openapiTS(spec, { alphabetize: true });
  return header('proto-schemas/openapi.json') + astToString(ast);
}

async function pipelineConfigTypes() {
  const schema = JSON.parse(
    await readFile(root('proto-schemas/pipeline_config.schema.json'), 'utf8'),
  );
  const types = await compile(schema, 'PipelineConfig', {
    bannerComment: '',
    additionalProperties: false,
    unreachableDefinitions: true,
    format: true,
    style: { singleQuote: true, printWidth: 100 },
  });
  return header('proto-schemas/pipeline_config.schema.json') + types;
}

const outputs = [
  ['frontend/src/api/schema.d.ts', openapiTypes],
  ['frontend/src/api/pipeline-config.d.ts', pipelineConfigTypes],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, generate] of outputs) {
  const generated = await generate();
  if (check) {
    const current = await readFile(root(path), 'utf8').catch(() => '');
    if (current !== generated) {
      console.error(`${path} is stale: run \`make frontend-api\` and commit the result`);
      stale += 1;
    }
  } else {
    await writeFile(root(path), generated);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) {
  process.exit(1);
}
if (check) {
  console.log('generated API types are up to date');
}
