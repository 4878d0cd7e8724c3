import { type Page } from '@playwright/test';
import { DESKTOP, PHONE, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './fixtures';

// axe-core on every main screen, in the state people see it, at desktop and phone size (and in the
// dark colour scheme, which has colours of its own): a serious or critical WCAG 2.x A/AA violation
// fails the run (see expectAccessible).
const VARIANTS = [
  ['desktop size', DESKTOP, 'light'],
  ['phone size', PHONE, 'light'],
  ['desktop size, dark colours', DESKTOP, 'dark'],
] as const;

/** axe, and reflow (WCAG 1.4.10): the screen fits its width without scrolling sideways. */
async function check(page: Page, screen: string): Promise<void> {
  await expectAccessible(page, screen);
  await expectNoHorizontalScroll(page);
}

for (const [label, viewport, colorScheme] of VARIANTS) {
  test(`every main screen passes axe at ${label}`, async ({ browser, baseURL, user, api }) => {
    const phone = viewport === PHONE;
    const context = await browser.newContext({ baseURL, viewport, colorScheme, isMobile: phone, hasTouch: phone });
    const page = await context.newPage();

    await page.goto('/app/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await check(page, `${label}: sign-in`);

    await signIn(page, user);
    await expect(page.getByLabel('Prompt')).toBeVisible();
    await check(page, `${label}: generate, empty`);

    // A long run holds the GPU (the test product runs two at a time), so the job waits for it.
    const blocker = await api.submit({ prompt: 'keeps the GPU busy', steps: 100, num_images: 2 });
    await expect.poll(async () => (await api.job(blocker)).status).toBe('running');
    await page.getByLabel('Prompt').fill('Accessible banner, a lighthouse at dusk');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Waiting for the GPU' })).toBeVisible();
    await check(page, `${label}: generate, waiting for the GPU`);
    await api.cancel(blocker);

    const images = page.getByRole('img', { name: /^Image \d of 4/ });
    await expect(images).toHaveCount(4, { timeout: 90_000 });
    await expect(page.getByRole('status').filter({ hasText: 'Complete' })).toBeVisible();
    await check(page, `${label}: generate, with a complete job`);

    await images.first().click();
    await expect(page.getByRole('dialog', { name: 'Image 1 of 4' })).toBeVisible();
    await check(page, `${label}: large view`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();

    const jobId = new URL(page.url()).searchParams.get('job');
    expect(jobId).toBeTruthy();
    await page.goto(`/app/jobs/${jobId}`);
    await expect(page.getByRole('img', { name: /^Image \d of 4/ })).toHaveCount(4);
    await check(page, `${label}: job page`);

    await page.goto('/app/jobs');
    await expect(page.getByRole('link', { name: /a lighthouse at dusk/ }).first()).toBeVisible();
    await check(page, `${label}: history`);

    await page.goto('/app/settings');
    await page.getByLabel('Name').fill('axe check');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByLabel('Token secret')).toHaveValue(/^bag_pat_/);
    await expect(page.getByRole('row', { name: /^axe check/ })).toBeVisible();
    await check(page, `${label}: access tokens, a new secret shown`);

    await page.getByRole('button', { name: 'Revoke axe check' }).click();
    await expect(page.getByRole('dialog', { name: 'Revoke “axe check”?' })).toBeVisible();
    await check(page, `${label}: access tokens, confirming a revoke`);
    await page.getByRole('button', { name: 'Keep it' }).click();

    await page.goto('/app/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await check(page, `${label}: not found`);
    await context.close();
  });
}

for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
  test(`every link and button in the header shows a focus outline when tabbed to, at ${label} size`, async ({ browser, baseURL, user }) => {
    const phone = label === 'phone';
    const context = await browser.newContext({ baseURL, viewport, isMobile: phone, hasTouch: phone });
    const page = await context.newPage();
    await signIn(page, user);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

    const header = page.getByRole('banner');
    const controls = await header.locator('a[href], button').evaluateAll((els) =>
      els.map((el) => (el.textContent ?? '').trim()));
    expect(controls.length).toBeGreaterThanOrEqual(3);

    // From the top of the page: the skip link first, then the header in order, then the page.
    const focused: { name: string; inHeader: boolean; outline: string; width: number }[] = [];
    for (let i = 0; i < controls.length + 2; i++) {
      await page.keyboard.press('Tab');
      const now = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          name: (el.textContent ?? '').trim(),
          inHeader: Boolean(el.closest('header')),
          outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth),
        };
      });
      focused.push(now);
    }
    expect(focused[0].name).toBe('Skip to main content');
    const inHeader = focused.filter((f) => f.inHeader);
    // Each control in the header was reached by Tab, in the order it is shown.
    expect(inHeader.map((f) => f.name)).toEqual(controls);
    for (const f of [focused[0], ...inHeader]) {
      expect(f.outline, `focus outline of "${f.name}"`).not.toBe('none');
      expect(f.width, `focus outline width of "${f.name}"`).toBeGreaterThanOrEqual(2);
    }
    await context.close();
  });
}

test('every control on the Generate and Settings pages shows a focus outline when tabbed to', async ({ page, user }) => {
  await signIn(page, user);
  for (const [path, first] of [['/app/', 'Prompt'], ['/app/settings', 'Name']] as const) {
    await page.goto(path);
    await expect(page.getByLabel(first)).toBeVisible();
    // Tab from the top until focus leaves the page (back to the document) or comes round again.
    const seen: { name: string; outline: string; width: number }[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const now = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        if (el === document.body) return null;
        const style = getComputedStyle(el);
        const name = el.getAttribute('aria-label') ?? ((el as HTMLInputElement).labels?.[0]?.textContent || el.textContent || el.tagName);
        return { name: `${el.tagName.toLowerCase()} "${name.trim().slice(0, 40)}"`, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      if (!now || (seen.length && now.name === seen[0]?.name)) break;
      seen.push(now);
    }
    expect(seen.map((f) => f.name).join('\n'), `${path}: the form was reached by Tab`).toContain(first);
    for (const f of seen) {
      expect(f.outline, `${path}: focus outline of ${f.name}`).not.toBe('none');
      expect(f.width, `${path}: focus outline width of ${f.name}`).toBeGreaterThanOrEqual(2);
    }
  }
});
