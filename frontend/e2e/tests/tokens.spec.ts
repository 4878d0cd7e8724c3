import { expect, signIn, test } from './fixtures';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('an access token is created, copied, works against the API, is listed, and once revoked is refused', async ({ page, user, request, baseURL }) => {
  await signIn(page, user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/app\/settings$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Access tokens' })).toBeVisible();
  await expect(page.getByText('Authorization: Bearer <token>')).toBeVisible();

  const name = `Design plugin ${user}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Expires after').selectOption('7');
  await page.getByRole('button', { name: 'Create token' }).click();

  await expect(page.getByRole('heading', { name: `Your new token “${name}”` })).toBeFocused();
  await expect(page.getByText('it will not be shown again')).toBeVisible();
  const secret = await page.getByLabel('Token secret').inputValue();
  expect(secret).toMatch(/^bag_pat_\S{20,}$/);

  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // What a tool does with it: the API takes it in place of a sign-in.
  const bearer = { Authorization: `Bearer ${secret}` };
  const jobs = await request.get(`${baseURL}/jobs`, { headers: bearer });
  expect(jobs.status(), await jobs.text()).toBe(200);

  // Listed by name with its prefix and a lifetime of the 7 days chosen; the use just made shows.
  await page.reload();
  const row = page.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText('expires in 6 days');
  await expect(row.getByRole('cell').nth(2)).not.toHaveText(/never/);
  // The secret itself is never shown again.
  await expect(page.getByLabel('Token secret')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke “${name}”?` });
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('You have no access tokens.')).toBeVisible();

  const refused = await request.get(`${baseURL}/jobs`, { headers: bearer });
  expect(refused.status()).toBe(401);
});

test('the old access tokens address leads to Settings', async ({ page, user }) => {
  await signIn(page, user, '/app/tokens');
  await expect(page).toHaveURL(/\/app\/settings$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Access tokens' })).toBeVisible();
});
