import { expect, test } from './fixtures';

test('a sign-in the server refuses is explained on the sign-in page', async ({ page }) => {
  await page.goto('/app/');
  await page.getByLabel('Your name').fill('not a valid name!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/letters, digits/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
});

test('a job that does not exist (or is not yours) says so', async ({ page, user, api }) => {
  const theirs = await api.submit({ prompt: 'somebody else', num_images: 1 });
  await page.goto('/app/');
  await page.getByLabel('Your name').fill(`${user}-other`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto(`/app/jobs/${theirs}`);
  await expect(page.getByText(/not found/i).first()).toBeVisible();
  await expect(page.getByRole('img', { name: /^Image/ })).toHaveCount(0);
});

test('a page of the web app opened directly, signed out, returns there after sign-in', async ({ page, user }) => {
  await page.goto('/app/jobs');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Your name').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
});
