import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts the real product for the whole run; the returned function stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const python = process.env.PYTHON ?? join(root, '.venv', 'bin', 'python');
  const dataDir = process.env.BAG_E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bag-browser-'));
  const child = spawn(python, ['-m', 'tests.e2e.browser_server', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
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
  return async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
}
