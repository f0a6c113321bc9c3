// The real platform for the end-to-end tests: a fresh PostgreSQL database, a temporary NAS with
// the demo data plus one dataset nobody has registered yet, and `datamill-dev` (registry, pipeline
// worker, eda-worker and gateway serving frontend/dist) on free ports. Nothing is mocked.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const binary = (name) =>
  join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'debug', name);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

function adminUrl() {
  if (process.env.TEST_DATABASE_URL) {
    return process.env.TEST_DATABASE_URL;
  }
  // The Makefile passes `scripts/postgres.sh ensure`; run by hand, ask it the same way.
  return run(join(repoRoot, 'scripts/postgres.sh'), ['ensure']).trim();
}

function databaseUrl(admin, name) {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Waits until `pattern` appears on the child's stdout; resolves with the match. */
function waitForLine(child, pattern, timeoutMs, describe) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`${describe} did not start within ${timeoutMs / 1000} s; output:\n${seen}`));
    }, timeoutMs);
    const onData = (chunk) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${describe} exited (${code ?? signal}) before it was ready; output:\n${seen}`),
      );
    });
  });
}

/**
 * Starts the stack. `unregistered` names NAS paths (relative to the NAS root) that get a synthetic
 * COCO dataset without being registered, for the registration flow.
 */
export async function startStack({ outDir, unregistered = [] }) {
  const admin = adminUrl();
  const name = `datamill_e2e_${process.pid}_${Date.now()}`;
  run('psql', [admin, '-qAtc', `CREATE DATABASE ${name}`]);
  const nas = await mkdtemp(join(tmpdir(), 'datamill-e2e-nas-'));

  for (const [index, path] of unregistered.entries()) {
    run(binary('datamill'), [
      'synth',
      '--out',
      join(nas, path),
      '--images',
      '24',
      '--seed',
      String(100 + index),
      '--format',
      'coco',
      '--mean-boxes',
      '3',
      '--size',
      '320x240',
    ]);
  }

  const log = createWriteStream(join(outDir, 'stack.log'));
  const child = spawn(binary('datamill-dev'), [], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(admin, name),
      DATAMILL_NAS: nas,
      DATAMILL_PORT: '0',
      DATAMILL_REGISTRY_PORT: '0',
      GUI_DIR: join(repoRoot, 'frontend/dist'),
      LOG_LEVEL: 'warn,datamill_worker=info',
      LOG_FORMAT: 'compact',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let url;
  try {
    [, url] = await waitForLine(
      child,
      /Datamill is running: (http:\/\/\S+)/,
      180_000,
      'datamill-dev',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timeout);
    }
    log.end();
    spawnSync('psql', [admin, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    await rm(nas, { recursive: true, force: true });
  }

  return { url, api: `${url}/api/v1`, nas, stop };
}
