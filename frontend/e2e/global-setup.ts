import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildStaticSite, freePort, serveStaticSite } from './static-site';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Starts the real product for the whole run, and the web app built as a static site on another
 * origin (the production set-up: CORS) beside it; the returned function stops both.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const python = process.env.PYTHON ?? join(root, '.venv', 'bin', 'python');
  // A data directory of the run's own, removed afterwards (BAG_E2E_DATA_DIR keeps one to inspect).
  const keepData = Boolean(process.env.BAG_E2E_DATA_DIR);
  const dataDir = process.env.BAG_E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bag-browser-'));
  const staticUrl = `http://127.0.0.1:${await freePort()}`;
  const child = spawn(python, ['-m', 'tests.e2e.browser_server', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BAG_CORS_ORIGINS: JSON.stringify([staticUrl]) },
  });
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error('the product did not start in 300 s')), 300_000);
    child.once('exit', (code) => fail(new Error(`the product exited (${code}) before it was ready; see ${dataDir}/server.log`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        ready(line.slice('READY '.length).trim());
      }
    });
  });
  process.env.BAG_E2E_URL = url;
  process.env.BAG_E2E_DATA_DIR = dataDir;
  console.log(`product at ${url} (data and server.log in ${dataDir})`);

  const siteDir = join(root, 'frontend', 'e2e', 'output', 'static-site');
  buildStaticSite(join(root, 'frontend'), siteDir, url);
  const site = await serveStaticSite(siteDir, Number(new URL(staticUrl).port));
  process.env.BAG_E2E_STATIC_URL = staticUrl;
  console.log(`the web app as a static site at ${staticUrl}, calling the API across origins`);

  return async () => {
    await new Promise((done) => site.close(done));
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
}
