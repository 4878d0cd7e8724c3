import { type Page } from '@playwright/test';
import { expect, expectAccessible, expectNoHorizontalScroll, shoot, signIn, test } from './fixtures';

/** A small job in the sample style that declares a brand palette: three 256-pixel images in two steps. */
const SEEDED = { num_images: 3, steps: 2, width: 256, height: 256, style: 'sample-bold', seed: 21 };

/** The scores shown beside the job's images, in the order the grid shows them. */
async function shownScores(page: Page): Promise<number[]> {
  const texts = await page.getByRole('list', { name: 'Images' }).getByText(/^On-brand colours: \d+%$/).allTextContents();
  return texts.map((text) => Number(/(\d+)%/.exec(text)![1]));
}

/** The job's settings as the folded "Job settings" list shows them, by name. */
async function jobSettings(page: Page): Promise<Record<string, string>> {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'Job settings' }) });
  await details.locator('summary').click();
  const terms = await details.locator('dt').allTextContents();
  const values = await details.locator('dt + dd').allTextContents();
  return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']).filter(([term]) => term !== 'Created' && term !== 'Model time'));
}

test('each image shows trusted content credentials and its brand score; sorting by score reorders the grid and the large view; Regenerate exactly makes the same job again', async ({ page, user, api }) => {
  const prompt = `Brand check ${user}`;
  const jobId = await api.submit({ prompt, ...SEEDED });
  await expect.poll(async () => (await api.job(jobId)).status, { timeout: 60_000 }).toBe('complete');

  await signIn(page, user, `/app/jobs/${jobId}`);
  const images = page.getByRole('img', { name: /^Image \d of 3/ });
  await expect(images).toHaveCount(3);

  // Content credentials: signed by the test chain the browser server trusts.
  const badges = page.getByRole('button', { name: 'Content credentials: trusted' });
  await expect(badges).toHaveCount(3);
  await badges.first().click();
  await expect(badges.first()).toHaveAttribute('aria-expanded', 'true');
  const panel = page.locator(`[id="${await badges.first().getAttribute('aria-controls')}"]`);
  await expect(panel).toContainText('Trained algorithmic media');
  await expect(panel).toContainText('sample-bold');
  await expect(panel.locator('dt', { hasText: 'Made with' })).toBeVisible();

  // Brand score and swatches, named by hex and share.
  const before = await shownScores(page);
  expect(before).toHaveLength(3);
  await expect(page.getByRole('list', { name: 'Brand colours found' }).first().getByRole('img').first())
    .toHaveAccessibleName(/^#[0-9a-f]{6}, \d+% of the image$/);
  await expectAccessible(page, 'job with content credentials and brand scores');
  await expectNoHorizontalScroll(page);
  await shoot(page, 'desktop-brand-controls');

  await page.getByLabel('Order images').selectOption('Most on-brand first');
  const sorted = await shownScores(page);
  expect(sorted).toEqual([...before].sort((a, b) => b - a));
  // The large view walks the images in the order shown.
  await images.first().click();
  const dialog = page.getByRole('dialog', { name: 'Image 1 of 3' });
  await expect(dialog.getByText(`On-brand colours: ${sorted[0]}%`)).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'Image 2 of 3' }).getByText(`On-brand colours: ${sorted[1]}%`)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // Regenerate exactly: the demo model and the sample style have not changed, so it starts at once.
  const settings = await jobSettings(page);
  expect(settings['Brand style']).toMatch(/^sample-bold v\d+$/);
  await page.getByRole('button', { name: 'Regenerate exactly' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/jobs/${jobId}$`));
  const copyId = /\/jobs\/([^/?]+)$/.exec(page.url())![1]!;
  await expect.poll(async () => (await api.job(copyId)).status, { timeout: 60_000 }).toBe('complete');
  await expect(page.getByRole('img', { name: /^Image \d of 3/ })).toHaveCount(3);
  expect(await jobSettings(page)).toEqual(settings);
  expect((await api.job(copyId)).images.map((i) => i.url)).toHaveLength(3);
});
