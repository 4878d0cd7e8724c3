import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, completeJob, makeJob } from '@/testing/fixtures';
import { jobSequence } from '@/testing/jobs';
import { setScreen } from '@/testing/media';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

function acceptGenerate(jobId: string, seen: unknown[] = []) {
  return http.post(`${API}/generate`, async ({ request }) => {
    seen.push(await request.json());
    return HttpResponse.json({ job_id: jobId, status: 'queued', created_at: '2025-05-01T10:00:00Z' }, { status: 202 });
  });
}

/** A Notification class that records what the app does with it; `permission` as given. */
function fakeNotifications(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const shown: { title: string; body?: string }[] = [];
  const asked = { count: 0 };
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => {
      asked.count += 1;
      FakeNotification.permission = answer;
      return answer;
    });
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
    }
    close() {}
  }
  vi.stubGlobal('Notification', FakeNotification);
  return { shown, asked };
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

describe('the prompt box', () => {
  it('counts characters against the limit and says when it is reached', async () => {
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    expect(prompt).toHaveAccessibleDescription(/0 \/ 2000 characters/);
    await user.type(prompt, 'Harbour');
    expect(screen.getByText('7 / 2000')).toBeInTheDocument();

    fireEvent.change(prompt, { target: { value: 'x'.repeat(2000) } });
    expect(screen.getByText('2000 / 2000')).toBeInTheDocument();
    expect(screen.getByText('The prompt has reached the limit.')).toBeInTheDocument();
  });

  it('counts as the API does: an emoji is one character, and a prompt of 2000 of them is sent', async () => {
    const bodies: unknown[] = [];
    server.use(acceptGenerate('e1', bodies), http.get(`${API}/jobs/e1`, () => HttpResponse.json(makeJob({ job_id: 'e1' }))));
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    // Two UTF-16 units each: a count of .length would say 4000 and refuse it.
    fireEvent.change(prompt, { target: { value: '🎨'.repeat(2000) } });
    expect(screen.getByText('2000 / 2000')).toBeInTheDocument();
    expect(prompt).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    // The job it made is shown (its poll answered before the test's handlers go).
    expect((await screen.findAllByText(/Queued/)).length).toBeGreaterThan(0);
  });

  it('keeps a pasted prompt over the limit whole, says by how much, and does not send it', async () => {
    const bodies: unknown[] = [];
    server.use(acceptGenerate('never', bodies));
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    await user.click(prompt);
    await user.paste('y'.repeat(2034));
    // Nothing was cut without a word.
    expect(prompt).toHaveValue('y'.repeat(2034));
    expect(screen.getByText('2034 / 2000')).toBeInTheDocument();
    expect(screen.getAllByText(/34 characters over the limit of 2000/).length).toBeGreaterThan(0);
    expect(prompt).toHaveAttribute('aria-invalid', 'true');

    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(prompt).toHaveAccessibleDescription(/34 characters over the limit/);
    expect(bodies).toEqual([]);
  });

  it('shows the Ctrl+Enter hint with a keyboard, not on a touch screen', async () => {
    renderApp('/', { signedInAs: 'ada' });
    await screen.findByRole('textbox', { name: 'Prompt' });
    expect(screen.getByText(/\+Enter to generate/)).toBeInTheDocument();
    act(() => setScreen({ width: 390, touch: true }));
    expect(screen.queryByText(/\+Enter to generate/)).not.toBeInTheDocument();
  });
});

describe('on a phone', () => {
  it('folds the form into a one-line summary after Generate and opens it again from its button', async () => {
    setScreen({ width: 390, touch: true });
    server.use(acceptGenerate('ph1'), http.get(`${API}/jobs/ph1`, () => HttpResponse.json(makeJob({ job_id: 'ph1' }))));
    const { user, location } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    await user.type(prompt, 'A lighthouse on a cliff above a stormy sea at dusk, oil painting');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Brand style' })).toHaveLength(2));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Brand style' }), 'acme-flat');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    await waitFor(() => expect(location()).toBe('/?job=ph1'));
    const toggle = await screen.findByRole('button', { name: 'Change and generate' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const summary = toggle.parentElement!;
    expect(summary).toHaveTextContent('“A lighthouse on a cliff above a stormy…” · acme-flat · flux-dev');
    expect(screen.queryByRole('textbox', { name: 'Prompt' })).not.toBeInTheDocument();
    // The job's heading has focus (the Generate button folded away with the form).
    expect(screen.getByRole('heading', { name: 'Your images' })).toHaveFocus();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue(
      'A lighthouse on a cliff above a stormy sea at dusk, oil painting',
    );
  });

  it('keeps both columns and the form open on a desktop', async () => {
    server.use(acceptGenerate('dk1'), http.get(`${API}/jobs/dk1`, () => HttpResponse.json(makeJob({ job_id: 'dk1' }))));
    const { user, location } = renderApp('/', { signedInAs: 'ada' });
    await user.type(await screen.findByRole('textbox', { name: 'Prompt' }), 'Harbour');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(location()).toBe('/?job=dk1'));
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Change and generate' })).not.toBeInTheDocument();
  });
});

describe('notifications', () => {
  it('asks for permission on the first Generate only (not on load), and never again once refused', async () => {
    const { asked } = fakeNotifications('default', 'denied');
    server.use(acceptGenerate('n1'), http.get(`${API}/jobs/n1`, () => HttpResponse.json(makeJob({ job_id: 'n1' }))));
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    expect(asked.count).toBe(0);
    await user.type(prompt, 'Harbour');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(asked.count).toBe(1));
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(asked.count).toBe(1);
  });

  it('does not ask again after a dismissed prompt (permission still "default")', async () => {
    const { asked } = fakeNotifications('default', 'default');
    server.use(acceptGenerate('n2'), http.get(`${API}/jobs/n2`, () => HttpResponse.json(makeJob({ job_id: 'n2' }))));
    const { user } = renderApp('/', { signedInAs: 'ada' });
    await user.type(await screen.findByRole('textbox', { name: 'Prompt' }), 'Harbour');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(asked.count).toBe(1));
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(asked.count).toBe(1);
  });

  it('marks the tab title and notifies when a job ends while the tab is hidden, until it is shown', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { shown } = fakeNotifications('granted');
    const running = makeJob({ job_id: 'n3', status: 'running', phase: 'rendering', progress: { step: 2, total: 4 } });
    const sequence = jobSequence([running, completeJob({ job_id: 'n3', prompt: running.prompt })]);
    server.use(sequence.handler);
    try {
      renderApp('/?job=n3', { signedInAs: 'ada' });
      await screen.findByRole('progressbar', { name: 'Progress' });
      expect(document.title).toBe('Generate · Brand asset generator');
      setVisibility('hidden');
      await act(() => vi.advanceTimersByTimeAsync(2000));
      await waitFor(() => expect(document.title).toBe('✓ Images ready · Generate · Brand asset generator'));
      expect(shown).toEqual([{ title: '✓ Images ready', body: running.prompt }]);

      setVisibility('visible');
      expect(document.title).toBe('Generate · Brand asset generator');
    } finally {
      setVisibility('visible');
    }
  });

  it('says nothing when the job ends in a tab in view', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { shown } = fakeNotifications('granted');
    const running = makeJob({ job_id: 'n4', status: 'running', phase: 'rendering', progress: { step: 2, total: 4 } });
    server.use(jobSequence([running, completeJob({ job_id: 'n4' })]).handler);
    renderApp('/?job=n4', { signedInAs: 'ada' });
    await screen.findByRole('progressbar', { name: 'Progress' });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await screen.findAllByRole('img', { name: /^Image \d of 4/ });
    expect(document.title).toBe('Generate · Brand asset generator');
    expect(shown).toEqual([]);
  });
});
