import { type Browser, type Page } from '@playwright/test';
import { DESKTOP, PHONE, expect, expectAccessible, expectNoHorizontalScroll, shoot, test } from './fixtures';

/** Signs in with the development sign-in holding the reviewer role. */
async function signInAsReviewer(page: Page, name: string, start = '/app/'): Promise<void> {
  await page.goto(start);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('checkbox', { name: /As a reviewer/ }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'To review' })).toBeVisible();
}

async function freshPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

test("a reviewer approves one of a user's images and rejects another: the approved one is in the library for everyone, the rejected one never", async ({ browser, baseURL, user, api }) => {
  const prompt = `Library check ${user}`;
  const jobId = await api.submit({ prompt, num_images: 2, steps: 1, width: 256, height: 256 });
  await expect.poll(async () => (await api.job(jobId)).status, { timeout: 60_000 }).toBe('complete');

  // The reviewer finds the image among those waiting for a decision, and decides on the job's page.
  const reviewer = `reviewer-${user}`.slice(0, 60);
  const reviewerPage = await freshPage(browser, baseURL);
  await signInAsReviewer(reviewerPage, reviewer, '/app/reviews');
  await expect(reviewerPage.getByRole('heading', { name: 'To review' })).toBeVisible();
  await expect(reviewerPage.locator(`li[data-job-id="${jobId}"]`)).toHaveCount(2);
  await expectAccessible(reviewerPage, 'to review');
  await expectNoHorizontalScroll(reviewerPage);
  // A reviewer's header has a fifth page: on a phone the tabs wrap rather than widen the page.
  await reviewerPage.setViewportSize(PHONE);
  await expectNoHorizontalScroll(reviewerPage);
  await expectAccessible(reviewerPage, 'to review on a phone');
  await reviewerPage.setViewportSize(DESKTOP);

  await reviewerPage.goto(`/app/jobs/${jobId}`);
  await reviewerPage.getByRole('button', { name: 'Review image 1' }).click();
  const first = reviewerPage.getByRole('group', { name: 'Review image 1' });
  await first.getByLabel('Comment (optional)').fill('Right colours for the spring campaign');
  await first.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewerPage.getByText(`Approved by ${reviewer}`)).toBeVisible();
  await reviewerPage.getByRole('button', { name: 'Review image 2' }).click();
  await reviewerPage.getByRole('group', { name: 'Review image 2' }).getByRole('button', { name: 'Reject' }).click();
  await expect(reviewerPage.getByText(`Rejected by ${reviewer}`)).toBeVisible();
  await expectAccessible(reviewerPage, 'job page with review actions');
  await shoot(reviewerPage, 'desktop-review');

  // Every decision is recorded: the large view's history names it.
  await reviewerPage.getByRole('img', { name: /^Image 1 of 2/ }).click();
  const dialog = reviewerPage.getByRole('dialog', { name: 'Image 1 of 2' });
  await dialog.getByText('Decision history').click();
  await expect(dialog.getByRole('listitem').filter({ hasText: `Approved by ${reviewer}` })).toBeVisible();
  await reviewerPage.keyboard.press('Escape');
  await reviewerPage.context().close();

  // Someone else entirely: the approved image is in the library, the rejected one is not.
  const other = await freshPage(browser, baseURL);
  await other.goto('/app/');
  await other.getByLabel('Your name').fill(`colleague-${user}`.slice(0, 60));
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByRole('link', { name: 'Approved' }).click();
  await expect(other.getByRole('heading', { name: 'Approved' })).toBeVisible();
  await other.getByLabel('Search the prompts').fill(prompt);
  await other.getByLabel('Search the prompts').press('Enter');
  await expect(other.getByText('1 approved image match')).toBeVisible();
  const card = other.locator(`li[data-job-id="${jobId}"]`);
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-index', '0');
  await expect(card.getByText(`Approved by ${reviewer}`)).toBeVisible();
  await expect(card.getByText('Right colours for the spring campaign')).toBeVisible();
  const download = other.waitForEvent('download');
  await card.getByRole('link', { name: `Download ${prompt}` }).click();
  expect((await download).suggestedFilename()).toMatch(/\.png$/);
  await expectAccessible(other, 'approved library');
  await expectNoHorizontalScroll(other);
  await shoot(other, 'desktop-library');
  await other.context().close();
});
