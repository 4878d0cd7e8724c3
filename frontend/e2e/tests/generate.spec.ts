import { readFileSync } from 'node:fs';
import { expect, signIn, test } from './fixtures';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('a signed-in user generates four images, watches progress, opens, downloads and finds them in history', async ({ page, user }) => {
  await signIn(page, user);
  await expect(page.getByRole('banner').getByText(user)).toBeVisible();

  // The form has no steps field; more steps than the demo's 4 make the run last several polls,
  // so the progress the runner reports is seen on its way.
  await page.route('**/generate', async (route) => {
    const body = route.request().postDataJSON();
    await route.continue({ postData: JSON.stringify({ ...body, steps: 24 }) });
  });

  const prompt = `A bicycle on a quay at dawn ${user}`;
  await page.getByLabel('Prompt').fill(prompt);
  await page.getByLabel('Brand style').selectOption('acme');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();

  const status = page.getByRole('status').filter({ hasText: /Queued|Waiting for the GPU|Running|Complete/ });
  await expect(status).toBeVisible();
  const progress = page.getByRole('progressbar', { name: 'Progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/Step \d+ of 24/).first()).toBeVisible();

  const images = page.getByRole('img', { name: /^Image \d of 4/ });
  await expect(images).toHaveCount(4, { timeout: 90_000 });
  await expect(status).toContainText('Complete');
  await expect(progress).toBeHidden();
  // The grid shows the 512-pixel WebP copies (the API's thumbnail_url, the img's src); the large
  // view and downloads the full PNG. Nothing here reads the links' shape: they may be the API's
  // own signed links or storage SAS links.
  for (const image of await images.all()) {
    const thumbnail = await image.evaluate((img: HTMLImageElement) => img.src);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.currentSrc)).toBe(thumbnail);
    // naturalWidth is scaled by the srcset's density (512w shown at 288 px), so only "it loaded".
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  }
  await expect(page.getByText(/demo model/i).first()).toBeVisible();

  // Polling stops once the job has ended: no request for it over two poll periods.
  const jobId = new URL(page.url()).searchParams.get('job')!;
  expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  const polls: string[] = [];
  page.on('request', (r) => r.url().includes(`/jobs/${jobId}`) && polls.push(r.url()));
  await page.waitForTimeout(4500);
  expect(polls).toEqual([]);

  // The large view: opens on a click, walks with the arrow keys, closes on Escape.
  await page.getByRole('img', { name: /^Image 1 of 4/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Image 1 of 4' });
  await expect(dialog).toBeVisible();
  await expect.poll(() => dialog.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1024);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'Image 2 of 4' })).toBeVisible();
  const [fromDialog] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('dialog').getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(fromDialog.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}-2\.png$/);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // One image, then all of them as a zip.
  const [one] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download image 1' }).click(),
  ]);
  expect(one.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}-1\.png$/);
  expect(readFileSync((await one.path())!).subarray(0, 8).equals(PNG)).toBe(true);

  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all' }).click(),
  ]);
  expect(all.suggestedFilename()).toMatch(/^brand-asset-[0-9a-f]{8}\.zip$/);
  const zip = readFileSync((await all.path())!);
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  // One central-directory record per image.
  expect(zip.toString('latin1').split('PK\x01\x02').length - 1).toBe(4);

  // History lists the job; opening it shows the same images.
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  // Its card shows the four images. Tiles this small are offered the 160-pixel copy (the API's
  // small_thumbnail_url, the img's src) at 160w; Chromium may still show the 512-pixel copy it
  // already holds from the job page, so only "offered, and loaded" is checked.
  const entry = page.getByRole('listitem').filter({ hasText: prompt });
  await expect(entry.getByRole('img')).toHaveCount(4);
  const tile = entry.getByRole('img').first();
  const [small, srcset] = await tile.evaluate((img: HTMLImageElement) => [img.src, img.srcset]);
  expect(srcset).toContain(`${small} 160w`);
  await expect.poll(() => tile.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await entry.getByRole('link', { name: prompt }).click();
  await expect(page).toHaveURL(/\/app\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('img', { name: /^Image \d of 4/ })).toHaveCount(4);

  // "Same seed" takes the settings back to the form.
  await page.getByRole('button', { name: 'Same seed' }).click();
  await expect(page.getByLabel('Prompt')).toHaveValue(prompt);
  await expect(page.getByLabel('Seed (optional)')).not.toHaveValue('');
});

test('the prompt is submitted with Ctrl+Enter', async ({ page, user }) => {
  await signIn(page, user);
  await page.getByLabel('Prompt').fill('Keyboard only');
  await page.getByLabel('Prompt').press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: /Queued|Waiting for the GPU|Running|Complete/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Image 1 of 4/ })).toBeVisible({ timeout: 90_000 });
});
