import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP, PHONE, expect, expectNoHorizontalScroll, outputDir, shoot, signIn, test } from './fixtures';

// Records, before any script of the page runs, when the app first shows its ready marker.
const READY_PROBE = () => {
  const seen = () => {
    if (document.querySelector('[data-testid="app-ready"]')) {
      (window as unknown as { __appReadyAt: number }).__appReadyAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => seen() && observer.disconnect())
    .observe(document, { childList: true, subtree: true });
};

type FirstRender = { screen: string; readyMs: number; fcpMs: number | null; jsKbGzip: number; jsFiles: number };

async function firstRender(page: import('@playwright/test').Page, screen: string): Promise<FirstRender> {
  await page.addInitScript(READY_PROBE);
  await page.goto('/app/');
  await page.getByTestId('app-ready').first().waitFor();
  await page.waitForLoadState('load');
  const figures = await page.evaluate(() => {
    const w = window as unknown as { __appReadyAt: number };
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const js = performance.getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => (e as PerformanceResourceTiming).encodedBodySize);
    return { readyMs: w.__appReadyAt, fcpMs: fcp ? fcp.startTime : null, js };
  });
  return {
    screen,
    readyMs: Math.round(figures.readyMs),
    fcpMs: figures.fcpMs === null ? null : Math.round(figures.fcpMs),
    jsKbGzip: Math.round(figures.js.reduce((a, b) => a + b, 0) / 102.4) / 10,
    jsFiles: figures.js.length,
  };
}

test('first render: time to the first screen and the JavaScript it loads', async ({ browser, baseURL, user }) => {
  const results: FirstRender[] = [];
  for (const signedIn of [false, true]) {
    const context = await browser.newContext({ baseURL, viewport: DESKTOP });
    const page = await context.newPage();
    if (signedIn) {
      await signIn(page, user);
      await page.close();
    }
    const fresh = await context.newPage();
    results.push(await firstRender(fresh, signedIn ? 'generate (signed in)' : 'sign in'));
    await context.close();
  }
  for (const r of results) {
    console.log(`first render, ${r.screen}: app ready at ${r.readyMs} ms, first contentful paint ${r.fcpMs} ms, ` +
      `${r.jsKbGzip} kB of JavaScript over the wire (gzip) in ${r.jsFiles} files`);
    // The product serves the build gzipped: what crosses the wire is what the budget is about.
    expect(r.jsKbGzip).toBeLessThan(250);
    expect(r.readyMs).toBeGreaterThan(0);
  }
  writeFileSync(join(outputDir, 'first-render.json'), JSON.stringify(results, null, 2));
});

// What the gallery shows besides the job made on screen: a few brand assets in both styles.
const EARLIER_JOBS = [
  { prompt: 'Product shot of a ceramic mug, soft light', seed: 7, style: 'acme' },
  { prompt: 'Flat-lay of notebooks and pens in the brand colours', seed: 11, style: 'nordic', num_images: 2 },
  { prompt: 'Newsletter header, city rooftops after rain', seed: 3 },
  { prompt: 'Team offsite banner, mountains at sunrise', seed: 5, style: 'nordic', num_images: 1 },
  { prompt: 'Social post: a bowl of citrus on linen', seed: 9, style: 'acme', num_images: 3 },
];

// Readable names for the pictures in docs/; each run starts from an empty data directory.
for (const [label, viewport, person] of [['desktop', DESKTOP, 'ada.lovelace'], ['phone', PHONE, 'grace.hopper']] as const) {
  test.describe(() => {
    test.use({ user: person });
    test(`main screens at ${label} size`, async ({ browser, baseURL, user, api }) => {
      const context = await browser.newContext({ baseURL, viewport, isMobile: label === 'phone', hasTouch: label === 'phone' });
      const page = await context.newPage();

      await page.goto('/app/');
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-sign-in`);

      await signIn(page, user);
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-generate`);

      // Earlier jobs, so the history is a gallery of several (one at a time: the test queue is short).
      for (const body of EARLIER_JOBS) {
        const earlier = await api.submit(body);
        await expect.poll(async () => (await api.job(earlier)).status, { timeout: 90_000 }).toBe('complete');
      }

      // A long run holds the GPU (the test product renders two runs at a time), so the next job
      // waits for it; once the long run is cancelled the job goes on.
      const blocker = await api.submit({ prompt: 'Trade-show backdrop, wide', steps: 100, num_images: 2 });
      await expect.poll(async () => (await api.job(blocker)).status).toBe('running');
      await page.getByLabel('Prompt').fill('Autumn campaign hero image, forest path, warm light');
      await page.getByLabel('Brand style').selectOption('nordic');
      await page.getByLabel('Seed (optional)').fill('42');
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Waiting for the GPU' })).toBeVisible();
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-waiting-for-gpu`);
      await api.cancel(blocker);
      await expect(page.getByRole('img', { name: /^Image \d of 4/ })).toHaveCount(4, { timeout: 90_000 });
      for (const image of await page.getByRole('img', { name: /^Image \d of 4/ }).all()) {
        await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeTruthy();
      }
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-job-complete`);

      await page.getByRole('img', { name: /^Image 1 of 4/ }).click();
      await expect(page.getByRole('dialog', { name: 'Image 1 of 4' })).toBeVisible();
      // What the screen shows: a modal covers the viewport, not the whole page.
      await shoot(page, `${label}-large-view`, false);
      await page.keyboard.press('Escape');

      await page.getByRole('link', { name: 'History' }).click();
      await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
      await expect(page.getByRole('link', { name: /ceramic mug/ })).toBeVisible();
      await expect(page.getByRole('link', { name: /Autumn campaign/ })).toBeVisible();
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-history`);

      // Settings with a token just made: the secret shown once, and the list.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Name').fill('Design plugin');
      await page.getByRole('button', { name: 'Create token' }).click();
      await expect(page.getByLabel('Token secret')).toHaveValue(/^bag_pat_/);
      await expect(page.getByRole('row', { name: /^Design plugin/ })).toBeVisible();
      await expectNoHorizontalScroll(page);
      await shoot(page, `${label}-settings-token`);
      await context.close();
    });
  });
}
