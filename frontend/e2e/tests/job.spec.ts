import type { Locator, Page } from '@playwright/test';
import { expect, PHONE, signIn, test } from './fixtures';

/** Sends more steps than the demo's 4 (the form has no steps field), so a run lasts several polls. */
async function withSteps(page: Page, steps: number): Promise<void> {
  await page.route('**/generate', async (route) => {
    const body = route.request().postDataJSON();
    await route.continue({ postData: JSON.stringify({ ...body, steps }) });
  });
}

async function generate(page: Page, prompt: string): Promise<void> {
  await page.getByLabel('Prompt').fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

const jobStatus = (page: Page) =>
  page.getByRole('status').filter({ hasText: /Queued|Waiting for the GPU|Running|Complete/ });
const boxesOf = (locator: Locator) =>
  locator.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height) };
    }),
  );

test('a job handed to the busy GPU says it waits for it and how many images are ahead, not "Step 0"', async ({ page, user, api }) => {
  // The runner renders one run at a time: while this 100-step run holds the GPU, the next job
  // handed to the runner waits for it.
  const blocker = await api.submit({ prompt: 'keeps the GPU busy', steps: 100, num_images: 2 });
  await expect.poll(async () => (await api.job(blocker)).status).toBe('running');
  try {
    await signIn(page, user);
    await generate(page, 'Waits for the GPU');
    await expect(jobStatus(page)).toHaveText('Waiting for the GPU');
    await expect(page.getByText('2 images ahead')).toBeVisible();
    await expect(page.getByText(/Step 0/)).toHaveCount(0);
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    // Its four tiles are there already, and only Cancel is offered.
    await expect(page.locator('[data-placeholder]')).toHaveCount(4);
    await expect(page.getByRole('button', { name: 'Cancel job' })).toBeVisible();
    for (const name of ['Generate again', 'Same seed', 'Delete job']) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
    await api.cancel(blocker);
    await expect(jobStatus(page)).toHaveText(/Running|Complete/, { timeout: 60_000 });
  } finally {
    await api.cancel(blocker);
  }
});

test("placeholder tiles in the job's shape become its images without moving; then Generate again starts a new job", async ({ page, user }) => {
  await signIn(page, user);
  await withSteps(page, 16);
  await page.getByRole('radio', { name: '16:9' }).check();
  await page.getByLabel('Number of images').selectOption('2');
  const prompt = `Wide harbour at dawn ${user}`;
  await generate(page, prompt);

  const tiles = page.locator('[data-placeholder]');
  await expect(tiles).toHaveCount(2);
  const ratio = await tiles.first().evaluate((el) => el.getBoundingClientRect().width / el.getBoundingClientRect().height);
  expect(ratio).toBeCloseTo(16 / 9, 1);
  await expect(page.getByText(/Step \d+ of 16/).first()).toBeVisible({ timeout: 60_000 });
  for (const name of ['Generate again', 'Same seed', 'Delete job']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0);
  }
  const before = await boxesOf(tiles);
  const linksBefore = await boxesOf(page.locator('[data-placeholders] li > span'));

  const images = page.getByRole('img', { name: /^Image \d of 2/ });
  await expect(images).toHaveCount(2, { timeout: 90_000 });
  await expect(page.locator('button[data-loaded]')).toHaveCount(2);
  // Each image sits exactly where its tile was, at the same size; so do the download links.
  expect(await boxesOf(page.locator('button[data-loaded]'))).toEqual(before);
  expect(await boxesOf(page.getByRole('link', { name: /^Download image \d$/ }))).toEqual(linksBefore);

  const seedOf = async () => {
    await page.locator('summary', { hasText: 'Settings' }).click();
    return page.locator('dt:text-is("Seed") + dd').textContent();
  };
  const firstSeed = await seedOf();
  const first = new URL(page.url()).searchParams.get('job');
  await page.getByRole('button', { name: 'Generate again' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('job')).not.toBe(first);
  await expect(page.getByRole('button', { name: 'Cancel job' }).or(page.getByRole('button', { name: 'Generate again' }))).toBeVisible();
  await expect(images).toHaveCount(2, { timeout: 90_000 });
  // The same prompt and size, a new seed.
  await expect(page.locator('p', { hasText: prompt })).toBeVisible();
  expect(await page.locator('[data-loaded]').first().evaluate((el) => el.getBoundingClientRect().width / el.getBoundingClientRect().height)).toBeCloseTo(16 / 9, 1);
  expect(await seedOf()).not.toBe(firstSeed);
});

test('the address after Generate survives a reload and opens the same job in another tab', async ({ page, context, user }) => {
  await signIn(page, user);
  const prompt = `Reloadable job ${user}`;
  await generate(page, prompt);
  await expect(jobStatus(page)).toBeVisible();
  await expect(page).toHaveURL(/\/app\/\?job=[0-9a-f-]{36}$/);
  const url = page.url();

  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(page.getByText(prompt, { exact: true })).toBeVisible();

  const other = await context.newPage();
  await other.goto(url);
  await expect(other).toHaveURL(url);
  await expect(other.getByText(prompt, { exact: true })).toBeVisible();
  await expect(other.getByRole('img', { name: /^Image 1 of 4/ })).toBeVisible({ timeout: 90_000 });
});

test('the job page is named after its prompt, and the large view works from the keyboard', async ({ page, user, api }) => {
  const prompt = 'A lighthouse on a cliff above a stormy sea at dusk, painted in thick oil strokes';
  const jobId = await api.submit({ prompt, num_images: 3 });
  await expect.poll(async () => (await api.job(jobId)).status, { timeout: 90_000 }).toBe('complete');
  await signIn(page, user, `/app/jobs/${jobId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A lighthouse on a cliff above a stormy sea at dusk, painted…');
  await expect(page).toHaveTitle(/^A lighthouse on a cliff above a stormy sea at dusk, painted… · /);

  const thumb = page.getByRole('button').filter({ has: page.getByRole('img', { name: /^Image 1 of 3/ }) });
  await thumb.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Image 1 of 3' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Keys: ← → browse · D download · Esc close')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: 'Image 3 of 3' })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
  expect(download.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}-3\.png$/);
  // Focus stays in the dialog, however far one tabs.
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    expect(await page.getByRole('dialog').evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(thumb).toBeFocused();
});

test.describe('on a phone', () => {
  test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

  test('after Generate the job comes into view and the form folds into a summary that opens again', async ({ page, user }) => {
    await signIn(page, user);
    // A touch screen has no Ctrl+Enter.
    await expect(page.getByText(/\+Enter to generate/)).toBeHidden();
    await page.getByLabel('Brand style').selectOption('acme');
    await generate(page, 'A lighthouse on a cliff above a stormy sea at dusk');

    const summary = page.getByRole('button', { name: 'Change and generate' });
    await expect(summary).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByText(/“A lighthouse on a cliff above a stormy…” · acme · /)).toBeVisible();
    await expect(page.getByLabel('Prompt')).toBeHidden();
    await expect(jobStatus(page)).toBeInViewport();
    await expect(page.getByRole('heading', { name: 'Your images' })).toBeInViewport();

    await summary.click();
    await expect(summary).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByLabel('Prompt')).toHaveValue('A lighthouse on a cliff above a stormy sea at dusk');
  });
});

test('a desktop keeps the form and the job side by side', async ({ page, user }) => {
  await signIn(page, user);
  await generate(page, 'Side by side');
  await expect(jobStatus(page)).toBeVisible();
  await expect(page.getByLabel('Prompt')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change and generate' })).toHaveCount(0);
  const form = (await page.getByRole('form', { name: 'Generate images' }).boundingBox())!;
  const job = (await page.getByRole('heading', { name: 'Your images' }).boundingBox())!;
  expect(job.x).toBeGreaterThan(form.x + form.width - 1);
  await expect(page.getByText(/\+Enter to generate/)).toBeVisible();
});

test('the prompt box counts to 2000 and says so when a paste goes over, cutting nothing', async ({ page, user }) => {
  await signIn(page, user);
  const prompt = page.getByLabel('Prompt');
  await prompt.fill('Harbour');
  await expect(page.getByText('7 / 2000')).toBeVisible();
  await prompt.fill('');
  await prompt.focus();
  // What a paste does to the box: the text goes in at once (no key presses).
  await page.keyboard.insertText('z'.repeat(2050));
  await expect(prompt).toHaveValue('z'.repeat(2050));
  await expect(page.getByText('2050 / 2000')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '50 characters over the limit of 2000' })).toBeVisible();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(prompt).toHaveAttribute('aria-invalid', 'true');
  await expect(jobStatus(page)).toHaveCount(0);
});

test.describe('notifications', () => {
  test.beforeEach(async ({ page }) => {
    // A tab the test can hide (Playwright's pages are always visible), and a Notification that
    // records what the app asks for and shows.
    await page.addInitScript(() => {
      let hidden = false;
      Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
      const w = window as unknown as Record<string, unknown>;
      w.__setHidden = (next: boolean) => {
        hidden = next;
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      };
      const shown: { title: string; body?: string }[] = [];
      const asked: string[] = [];
      w.__shown = shown;
      w.__asked = asked;
      const Real = window.Notification;
      function Recording(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
        return { close() {}, onclick: null };
      }
      Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
      (Recording as unknown as { requestPermission: () => Promise<string> }).requestPermission = () => {
        asked.push(new Date().toISOString());
        return Promise.resolve('denied');
      };
      w.Notification = Recording;
    });
  });

  test('a job that ends in a hidden tab says so in the title and in a notification', async ({ page, context, user, baseURL }) => {
    await context.grantPermissions(['notifications'], { origin: baseURL });
    await signIn(page, user);
    await withSteps(page, 12);
    const prompt = `Finished while away ${user}`;
    await generate(page, prompt);
    await expect(jobStatus(page)).toBeVisible();
    await page.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));

    await expect(page).toHaveTitle('✓ Images ready · Generate · Brand asset generator', { timeout: 90_000 });
    expect(await page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown)).toEqual([
      { title: '✓ Images ready', body: prompt },
    ]);
    await page.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false));
    await expect(page).toHaveTitle('Generate · Brand asset generator');
  });

  test('permission is asked for at the first Generate, not on load, and not again once refused', async ({ page, user }) => {
    await signIn(page, user);
    const asked = () => page.evaluate(() => (window as unknown as { __asked: string[] }).__asked.length);
    expect(await asked()).toBe(0);
    await generate(page, 'First job');
    await expect(jobStatus(page)).toBeVisible();
    expect(await asked()).toBe(1);
    const first = new URL(page.url()).searchParams.get('job');
    await page.reload();
    expect(await asked()).toBe(0);
    await generate(page, 'Second job');
    await expect.poll(() => new URL(page.url()).searchParams.get('job')).not.toBe(first);
    expect(await asked()).toBe(0);
  });
});
