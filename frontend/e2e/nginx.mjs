// deploy/nginx/default.conf.template run by Debian's real nginx in front of the stack, the way the
// nginx image serves the GUI in compose (same procedure as deploy/tests/nginx-smoke.sh).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './stack.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function render(template, values) {
  return template.replace(/\$\{([A-Z_]+)\}/g, (whole, name) => values[name] ?? whole);
}

export function nginxBinary() {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
}

/** Starts nginx on a free loopback port proxying to `gatewayUrl`, serving `guiRoot`. */
export async function startNginx({ gatewayUrl, guiRoot, nasRoot }) {
  const nginx = nginxBinary();
  if (!nginx) {
    throw new Error('nginx not found: run scripts/install-test-tools.sh');
  }
  const runDir = await mkdtemp(join(tmpdir(), 'datamill-e2e-nginx-'));
  // As root the workers run as `nobody`; they only need to read the run directory's config.
  await chmod(runDir, 0o755);
  const port = await freePort();
  const gateway = new URL(gatewayUrl);
  const server = render(
    await readFile(join(repoRoot, 'deploy/nginx/default.conf.template'), 'utf8'),
    {
      LISTEN_PORT: `127.0.0.1:${port}`,
      GATEWAY_UPSTREAM: `127.0.0.1:${gateway.port}`,
      NAS_ROOT: nasRoot,
      GUI_ROOT: guiRoot,
    },
  );
  await writeFile(join(runDir, 'default.conf'), server);
  const wrapper = render(
    await readFile(join(repoRoot, 'deploy/nginx/test-wrapper.conf.template'), 'utf8'),
    {
      RUN_DIR: runDir,
      SERVER_CONF: join(runDir, 'default.conf'),
      MIME_TYPES: '/etc/nginx/mime.types',
    },
  );
  await writeFile(join(runDir, 'nginx.conf'), wrapper);
  const args = ['-p', runDir, '-e', join(runDir, 'error.log'), '-c', join(runDir, 'nginx.conf')];
  const child = spawn(nginx, args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/index.html`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = await readFile(join(runDir, 'error.log'), 'utf8').catch(() => '');
      throw new Error(`nginx did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGQUIT lets the master stop its workers; SIGKILL would leave them listening.
        child.kill('SIGQUIT');
        await exited;
      }
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
