import { expect, signIn, test } from './fixtures';

test('a full queue is explained with when to try again, and nothing is lost', async ({ page, user, api }) => {
  // The test server holds at most 4 jobs queued or running: one running, three waiting.
  const held = [await api.submit({ prompt: 'keeps the runner busy', steps: 100 })];
  await expect.poll(async () => (await api.job(held[0]!)).status).toBe('running');
  for (let i = 0; i < 3; i++) held.push(await api.submit({ prompt: `waiting ${i}`, num_images: 1 }));
  try {
    await signIn(page, user);
    const prompt = 'Submitted at a busy moment';
    await page.getByLabel('Prompt').fill(prompt);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect(page.getByText('The generation queue is full; try again shortly.')).toBeVisible();
    await expect(page.getByText(/try again in \d+ seconds?/i)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Generate', exact: true })).toBeDisabled();
    // The prompt stays in the form for the retry.
    await expect(page.getByLabel('Prompt')).toHaveValue(prompt);
  } finally {
    for (const id of held) await api.cancel(id);
  }
});

test('a job that does not exist (or is not yours) says so', async ({ page, user, api }) => {
  const theirs = await api.submit({ prompt: 'somebody else', num_images: 1 });
  await signIn(page, `${user}-other`);
  await page.goto(`/app/jobs/${theirs}`);
  await expect(page.getByRole('alert')).toHaveText(/This job was not found\./);
  await expect(page.getByRole('img', { name: /^Image/ })).toHaveCount(0);
});

test('a page of the web app opened directly, signed out, returns there after sign-in', async ({ page, user }) => {
  await signIn(page, user, '/app/jobs');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
});
