import { readFileSync } from 'node:fs';
import { expect, signIn, test } from './fixtures';

// The production set-up: the web app on a static host, the API on another origin (CORS).
test('the web app hosted on another origin signs in, generates and downloads through CORS', async ({ page, user, baseURL }) => {
  const site = process.env.BAG_E2E_STATIC_URL!;
  expect(new URL(site).origin).not.toBe(new URL(baseURL!).origin);
  const apiCalls: string[] = [];
  page.on('request', (r) => r.url().startsWith(baseURL!) && apiCalls.push(new URL(r.url()).pathname));

  await signIn(page, user, `${site}/`);

  await page.getByLabel('Prompt').fill('Cross-origin poster');
  await page.getByLabel('Number of images').selectOption('1');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const image = page.getByRole('img', { name: /^Image 1 of 1/ });
  await expect(image).toBeVisible({ timeout: 90_000 });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeTruthy();

  // The zip comes through fetch: its name is read from Content-Disposition, which CORS must expose.
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download all' }).click()]);
  expect(zip.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}\.zip$/);
  expect(readFileSync((await zip.path())!).subarray(0, 2).toString()).toBe('PK');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download image 1' }).click()]);
  expect(png.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}-1\.png$/);

  // Every call went to the API's origin, and a deep link of the static site opens the job.
  expect(apiCalls).toEqual(expect.arrayContaining(['/auth/config', '/me', '/generate']));
  await page.goto(`${site}/jobs`);
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Cross-origin poster/ })).toBeVisible();
});
