import { expect, signIn, test } from './fixtures';

test('a queued job shows its place in the queue and can be cancelled', async ({ page, user, api }) => {
  // Occupy the runner (the test server hands it two jobs at a time: one renders, the other waits
  // for the GPU) so the next job waits in the queue.
  const blockers = [
    await api.submit({ prompt: 'keeps the runner busy', steps: 100 }),
    await api.submit({ prompt: 'keeps the runner busy too', steps: 100 }),
  ];
  for (const blocker of blockers) await expect.poll(async () => (await api.job(blocker)).status).toBe('running');
  try {
    await signIn(page, user);
    await page.getByLabel('Prompt').fill('This one waits its turn');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const status = page.getByRole('status').filter({ hasText: /Queued/ });
    await expect(status).toBeVisible();
    await expect(page.getByText(/next in line|ahead of yours/i)).toBeVisible();
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Cancelled' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel job' })).toBeHidden();
    // Cancelled means cancelled on the server too.
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'This one waits its turn' })).toContainText(/cancelled/i);
  } finally {
    for (const blocker of blockers) await api.cancel(blocker);
  }
});
