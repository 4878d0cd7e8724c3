import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, expect, test as base } from '@playwright/test';

export { expect };

const here = dirname(fileURLToPath(import.meta.url));
/** What a run leaves behind (git-ignored): screenshots, the first-render figures, failure traces. */
export const outputDir = join(here, '..', 'output');
/** Where screenshots go: output/ by default; `make screenshots` points it at docs/screenshots. */
export const screenshotDir = process.env.SCREENSHOT_DIR ?? join(outputDir, 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

type Job = { job_id: string; status: string; seed: number; images: { url: string }[] };

/** The product's API as the same user, for setting up situations (a busy queue) a test needs. */
export class Api {
  constructor(private request: APIRequestContext, private base: string, readonly user: string) {}

  private get headers() {
    return { Authorization: `Bearer dev:${this.user}` };
  }

  async submit(body: Record<string, unknown>): Promise<string> {
    const response = await this.request.post(`${this.base}/generate`, { headers: this.headers, data: body });
    expect(response.status(), await response.text()).toBe(202);
    return (await response.json()).job_id;
  }

  async job(id: string): Promise<Job> {
    const response = await this.request.get(`${this.base}/jobs/${id}`, { headers: this.headers });
    expect(response.ok()).toBeTruthy();
    return response.json();
  }

  async cancel(id: string): Promise<void> {
    await this.request.post(`${this.base}/jobs/${id}/cancel`, { headers: this.headers });
  }

  /** Cancels every job of this user still queued or running, so no test leaves the queue busy. */
  async cancelActive(): Promise<void> {
    const response = await this.request.get(`${this.base}/jobs?limit=100`, { headers: this.headers });
    if (!response.ok()) return;
    const page: { items: Job[] } = await response.json();
    for (const job of page.items) {
      if (job.status === 'queued' || job.status === 'running') await this.cancel(job.job_id);
    }
  }
}

type Fixtures = { user: string; api: Api };

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => {
    const url = process.env.BAG_E2E_URL;
    if (!url) throw new Error('BAG_E2E_URL is not set: global-setup.ts did not start the product');
    await use(url);
  },
  // A user of its own per test, so each test's history holds only its own jobs.
  user: async ({}, use, info) => {
    await use(`tester-${info.testId.slice(0, 8)}-${Date.now().toString(36)}`);
  },
  api: [
    async ({ request, baseURL, user }, use) => {
      const api = new Api(request, baseURL!, user);
      await use(api);
      // Whatever happened in the test, the shared product's queue is left empty for the next one.
      await api.cancelActive();
    },
    // Set up for every test (not only those that ask for it), so the clean-up always runs.
    { auto: true },
  ],
});

/** Opens `start` signed out and signs in there with the development sign-in. */
export async function signIn(page: Page, name: string, start = '/app/'): Promise<void> {
  await page.goto(start);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Fails when the page scrolls sideways (the phone layout must fit its width). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, 'page is wider than the screen').toBeLessThanOrEqual(innerWidth);
}

/** A screenshot (of the full page unless told otherwise) once every image on the page has loaded, taken from the top (a sticky
 * header would otherwise be drawn where the page happened to be scrolled). */
export async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => {
    // Lazy images below the fold would never load for a full-page capture.
    for (const img of Array.from(document.images)) img.loading = 'eager';
    window.scrollTo(0, 0);
  });
  await expect.poll(() => page.evaluate(() =>
    Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0))).toBe(true);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage });
}

/** The WCAG 2.0, 2.1 and 2.2 rules at levels A and AA: what the product promises. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Runs axe-core on what the page shows now and fails on any serious or critical WCAG A/AA
 * violation, naming each rule, its help text and the elements it found; lesser ones are printed.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.id} [${v.impact}]: ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`).join('\n');
  const blocking = results.violations.filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''));
  const minor = results.violations.filter((v) => !BLOCKING_IMPACTS.has(v.impact ?? ''));
  if (minor.length) console.log(`${screen}: minor accessibility findings\n${minor.map(describe).join('\n')}`);
  expect(blocking.map(describe), `${screen}: serious or critical accessibility violations`).toEqual([]);
  // axe ran on a page with content: a blank page would pass every rule.
  expect(results.passes.length, `${screen}: axe checked nothing`).toBeGreaterThan(0);
}
