import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** Builds the web app as a static site for another origin: at /, calling the API at `apiUrl`. */
export function buildStaticSite(frontendDir: string, outDir: string, apiUrl: string): void {
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: frontendDir,
    env: { ...process.env, VITE_API_URL: apiUrl, VITE_BASE: '/' },
    stdio: 'inherit',
  });
}

/** A plain static host (what Azure Static Web Apps or a CDN does): files, else index.html. */
export async function serveStaticSite(root: string, port: number): Promise<Server> {
  const base = resolve(root);
  const server = createServer((request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = resolve(base, `.${path}`);
    const inside = relative(base, file);
    if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(base, 'index.html');
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}
