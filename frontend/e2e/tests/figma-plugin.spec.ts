import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext, FrameLocator, Page } from '@playwright/test';
import { expect, expectAccessible, shoot, test } from './fixtures';

// The Figma plugin against the real product: its built panel (figma-plugin/dist/ui.html) in a
// sandboxed iframe with a `null` origin, as Figma shows it, inside a host page that plays Figma's
// main thread with the plugin's own typed fake (figma-plugin/e2e/host.ts) and runs the built
// dist/code.js. `make test-browser` builds the plugin first.

const plugin = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'figma-plugin');
/** The panel's size as the plugin opens it (figma.showUI in src/main/plugin.ts; Figma's own default is 300 x 200). */
const PANEL = { width: 360, height: 640 };
const STEPS = 100;

type ImageSeen = { hash: string; length: number; png: boolean; width: number | null; height: number | null };
type Layer = {
  type: string; name: string; x: number; y: number; width: number; height: number;
  fills: { type: string; imageHash?: string; scaleMode?: string }[];
};
type Host = {
  images(): ImageSeen[];
  layers(): Layer[];
  selection(): string[];
  scrolledTo(): string[][];
  notifications(): { message: string; error: boolean }[];
  createImageCalls(): number;
  clientStorageKeys(): string[];
  selectNewFrame(name: string, width: number, height: number): void;
};

function hostBundle(): string {
  // Bundled at test time from the source, so the host always plays the current fake.
  return execFileSync(join(plugin, 'node_modules', '.bin', 'esbuild'),
    ['e2e/host.ts', '--bundle', '--format=iife', '--target=es2020', '--log-level=warning'],
    { cwd: plugin, encoding: 'utf8' });
}

const HOST_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Figma (test host)</title>'
  + '<style>html,body{margin:0;padding:0}iframe{display:block;border:0}</style></head><body>'
  // The host's `figma`, then `__html__` (the panel), then the plugin's main thread, as Figma runs it.
  + '<script src="host.js"></script><script src="ui.js"></script><script src="code.js"></script></body></html>';

/**
 * Serves the host page on 127.0.0.1, as Figma's app is served to the plugin: in the same address
 * space as the product, so the browser's private-network checks stay out of the way as they do for
 * a real server (a page set up by Playwright's routing failed them, and sign-in could not reach the API).
 */
async function serveHost(): Promise<{ url: string; server: Server }> {
  if (!existsSync(join(plugin, 'dist', 'ui.html')) || !existsSync(join(plugin, 'dist', 'code.js'))) {
    throw new Error('The Figma plugin is not built: run `make plugin` (or `cd figma-plugin && npm ci && npm run build`)');
  }
  const ui = readFileSync(join(plugin, 'dist', 'ui.html'), 'utf8');
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', HOST_PAGE],
    '/host.js': ['text/javascript', hostBundle()],
    '/ui.js': ['text/javascript', `window.__html__ = ${JSON.stringify(ui)};`],
    '/code.js': ['text/javascript', readFileSync(join(plugin, 'dist', 'code.js'), 'utf8')],
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://host').pathname];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Opens the plugin as Figma would and returns its panel. */
async function openPlugin(page: Page, hostUrl: string): Promise<FrameLocator> {
  await page.setViewportSize(PANEL);
  await page.goto(hostUrl);
  const frame = page.locator('iframe');
  // Scripts only in the sandbox: the panel's origin is opaque, so the API sees `Origin: null`.
  await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
  await expect(frame).toHaveAttribute('width', String(PANEL.width));
  return page.frameLocator('iframe');
}

function host<T>(page: Page, read: (host: Host) => T): Promise<T> {
  return page.evaluate(`(${read.toString()})(window.host)`) as Promise<T>;
}

async function makeToken(request: APIRequestContext, api: string, user: string): Promise<{ id: string; token: string }> {
  const response = await request.post(`${api}/tokens`, {
    headers: { Authorization: `Bearer dev:${user}` },
    data: { name: 'Figma plugin', expires_in_days: 1 },
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

const pluginTest = test.extend<{ hostUrl: string }>({
  hostUrl: async ({}, use) => {
    const { url, server } = await serveHost();
    await use(url);
    await new Promise((done) => server.close(done));
  },
});

pluginTest('the Figma plugin signs in with a token, generates, places the image and notices a revoked token', async ({ page, request, baseURL, user, hostUrl }) => {
  // The Origin of each call the panel makes with fetch (an <img> sends none).
  const origins: Promise<string | null>[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin === new URL(baseURL!).origin && r.resourceType() === 'fetch') origins.push(r.headerValue('origin'));
  });
  // The panel has no steps field; the most steps the API takes (the demo model's default is 4) keep
  // one tiny image rendering for several of the panel's 1 s polls, so its progress is seen on the way.
  await page.route('**/generate', async (route) => {
    const body = route.request().postDataJSON();
    await route.continue({ postData: JSON.stringify({ ...body, steps: STEPS }) });
  });

  const panel = await openPlugin(page, hostUrl);
  const tabs = panel.getByRole('navigation', { name: 'Plugin' });
  await expect(panel.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The panel's own document: it must not be able to read the host's (an opaque origin).
  expect(await page.locator('iframe').evaluate((f: HTMLIFrameElement) => f.contentDocument)).toBeNull();
  await shoot(page, 'figma-plugin-sign-in', false);
  await expectAccessible(page, 'plugin sign-in');

  const { id, token } = await makeToken(request, baseURL!, user);
  await panel.getByLabel('API address').fill(baseURL!);
  await panel.getByLabel('Access token').fill(token);
  await panel.getByRole('button', { name: 'Sign in' }).click();
  const form = panel.getByRole('form', { name: 'Generate images' });
  await expect(form).toBeVisible();
  // The token is kept by the main thread in clientStorage, not in the panel.
  expect(await host(page, (h) => h.clientStorageKeys().sort())).toEqual(['apiUrl', 'token']);

  const prompt = 'Figma plugin poster';
  await form.getByLabel('Prompt').fill(prompt);
  await form.getByLabel('Number of images').selectOption('1');
  await form.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(panel.getByText(new RegExp(`^Step \\d+ of ${STEPS}$`))).toBeVisible({ timeout: 60_000 });
  await shoot(page, 'figma-plugin-generating', false);

  const place = panel.getByRole('button', { name: 'Place image 1 of 1' });
  await expect(place).toBeVisible({ timeout: 90_000 });
  await expect(panel.getByText('1 image ready')).toBeVisible();
  await expect.poll(() => panel.locator('.thumb img').first()
    .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // The panel scrolls inside its 640 px frame: the shot shows the results, as a designer sees them.
  await place.evaluate((button) => button.scrollIntoView({ block: 'end' }));
  await shoot(page, 'figma-plugin-results', false);
  await expectAccessible(page, 'plugin results');

  // Nothing selected: the image becomes a new rectangle of its own size, named after the prompt.
  await place.click();
  await expect(panel.getByText('Placed 1 image on the page.')).toBeVisible();
  const [image] = await host(page, (h) => h.images());
  const jobs = await (await request.get(`${baseURL}/jobs?limit=1`, { headers: { Authorization: `Bearer dev:${user}` } })).json();
  const made = jobs.items[0].images[0];
  // The full PNG, byte for byte as the API serves it (not the WebP thumbnail).
  const served = await (await request.get(new URL(made.url, baseURL).href)).body();
  expect(image).toMatchObject({ png: true, width: made.width, height: made.height, length: served.length });
  const [rectangle] = (await host(page, (h) => h.layers())).filter((layer) => layer.type === 'RECTANGLE');
  expect(rectangle).toMatchObject({
    name: prompt, width: made.width, height: made.height,
    fills: [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }],
  });
  expect(await host(page, (h) => h.selection())).toEqual([prompt]);
  expect(await host(page, (h) => h.scrolledTo())).toEqual([[prompt]]);
  expect(await host(page, (h) => h.notifications())).toEqual([{ message: 'Placed 1 image', error: false }]);

  // Recent jobs: the same image placed again, this time into a selected frame (cover-fitted).
  await host(page, (h) => h.selectNewFrame('Hero', 640, 360));
  await tabs.getByRole('button', { name: 'Recent' }).click();
  const recent = panel.getByRole('list', { name: 'Recent jobs' });
  await expect(recent.getByText(prompt)).toBeVisible();
  await recent.getByRole('button', { name: 'Place image 1 of 1' }).click();
  await expect(panel.getByText('Placed 1 image into the selection.')).toBeVisible();
  const hero = (await host(page, (h) => h.layers())).find((layer) => layer.name === 'Hero');
  expect(hero).toMatchObject({ width: 640, height: 360, fills: [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }] });
  expect(await host(page, (h) => h.createImageCalls())).toBe(2);
  expect((await host(page, (h) => h.notifications())).at(-1)).toEqual({ message: 'Placed the image in the selected layer', error: false });

  // Every call to the API came from the panel's opaque origin.
  expect(origins.length).toBeGreaterThan(3);
  expect(new Set(await Promise.all(origins))).toEqual(new Set(['null']));

  // A revoked token: the next call is a 401 and the panel asks to sign in again, saying why.
  const revoked = await request.delete(`${baseURL}/tokens/${id}`, { headers: { Authorization: `Bearer dev:${user}` } });
  expect(revoked.status()).toBe(204);
  await tabs.getByRole('button', { name: 'Generate' }).click();
  await tabs.getByRole('button', { name: 'Recent' }).click();
  await expect(panel.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(panel.getByRole('alert')).toHaveText(/revoked or has expired/);
});
