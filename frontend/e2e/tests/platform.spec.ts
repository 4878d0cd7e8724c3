import type { Page } from '@playwright/test';
import { expect, expectAccessible, signIn, test } from './fixtures';

/** Aborts every request the page makes to another origin, as a box without internet would; returns what was tried. */
async function offline(page: Page, origin: string): Promise<string[]> {
  const tried: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    tried.push(url);
    return route.abort('internetdisconnected');
  });
  return tried;
}

test.describe('the API pages work without internet', () => {
  test('Swagger UI renders every operation and signs in with Authorize', async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const tried = await offline(page, origin);
    await page.goto('/docs');

    // Each operation is a button named by its method, path and summary.
    await expect(page.getByRole('button', { name: 'POST /generate Generate' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'GET /jobs List Jobs' })).toBeVisible();

    // The bearer flow: a dev token with a space in the name, then a call made from the page.
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.getByRole('textbox', { name: 'auth-bearer-value' }).fill('dev:Alice Smith');
    await page.getByRole('button', { name: 'Apply credentials' }).click();
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'GET /me Me' }).click();
    const me = page.locator('.opblock-get').filter({ has: page.getByRole('button', { name: 'GET /me Me' }) });
    await me.getByRole('button', { name: 'Try it out' }).click();
    await me.getByRole('button', { name: 'Execute' }).click();
    const live = me.locator('.live-responses-table');
    await expect(live.locator('tr.response .response-col_status')).toHaveText('200');
    await expect(live).toContainText('"name": "Alice Smith"');

    expect(tried, 'requests to other origins').toEqual([]);
  });

  test('ReDoc renders the operations', async ({ page, baseURL }) => {
    const tried = await offline(page, new URL(baseURL!).origin);
    await page.goto('/redoc');
    // ReDoc names each operation by its summary and shows its method and path.
    await expect(page.getByRole('heading', { name: /operation\/generate Generate$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'post /generate' })).toBeVisible();
    // ReDoc's own attribution logo comes from its CDN: the page's policy keeps it from asking.
    expect(tried, 'requests to other origins').toEqual([]);
  });
});

test.describe('development sign-in with names as people write them', () => {
  test('Alice Smith signs in, sees her name and generates', async ({ page }) => {
    await signIn(page, '  Alice Smith ');
    await expect(page.getByRole('banner')).toContainText('Signed in as Alice Smith');

    await page.getByLabel('Prompt').fill('A lighthouse on a cliff, platform check');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    // Wait for the end, so the shared queue is empty again for the next test.
    await expect(page.getByRole('img', { name: /^Image \d of 4/ })).toHaveCount(4, { timeout: 90_000 });

    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByText('A lighthouse on a cliff, platform check').first()).toBeVisible();
  });

  test('a name beyond Latin-1 reaches the server intact', async ({ page, request, baseURL }) => {
    const name = 'Zoë Łukasz 李小龍';
    const sent: string[] = [];
    page.on('request', (r) => {
      const auth = r.headers()['authorization'];
      if (auth?.startsWith('Bearer dev:')) sent.push(auth);
    });
    await signIn(page, name);
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${name}`);
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();

    expect(new Set(sent)).toEqual(new Set([`Bearer dev:${encodeURIComponent(name)}`]));
    const me = await request.get(`${baseURL}/me`, { headers: { Authorization: sent[0]! } });
    expect(await me.json()).toMatchObject({ name, oid: `dev-${name}` });
  });

  test('a name with two spaces in a row is explained beside the field', async ({ page }) => {
    await page.goto('/app/signin');
    const field = page.getByLabel('Your name');
    await field.fill('Alice  Smith');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Use one space between words.')).toBeVisible();
    await field.focus();
    await expect(field).toBeFocused();
    await expectAccessible(page, 'sign-in with a refused name');
  });
});

test('the style picker offers the sample styles, their current versions and their descriptions', async ({ page, user }) => {
  await signIn(page, user);
  const picker = page.getByLabel('Brand style');
  // Each style is offered under its name with the version the runner serves now (each is at its first).
  await expect
    .poll(() => picker.locator('option').allTextContents())
    .toEqual(expect.arrayContaining(['sample-bold (v1)', 'sample-soft (v1)', 'acme (v1)', 'nordic (v1)']));

  for (const name of ['sample-bold', 'sample-soft']) {
    await picker.selectOption(name);
    await expect(picker).toHaveAccessibleDescription(/^Sample made for the demo model, so the style picker can be tried/);
    await expect(picker).toHaveAccessibleDescription(/A real brand style is a LoRA trained on your brand's own images/);
  }
});
