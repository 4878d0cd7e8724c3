import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, completeJob, demoModel, errorBody, makeJob, realModel, sd35Model } from '@/testing/fixtures';
import { jobSequence } from '@/testing/jobs';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

function acceptGenerate(jobId: string, seen: unknown[] = []) {
  return http.post(`${API}/generate`, async ({ request }) => {
    seen.push(await request.json());
    return HttpResponse.json({ job_id: jobId, status: 'queued', created_at: '2025-05-01T10:00:00Z' }, { status: 202 });
  });
}

describe('generate form', () => {
  it('submits, shows the job at once, its queue place, progress step by step, then the images', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const queued = makeJob({ job_id: 'j1', status: 'queued', queue_position: 2 });
    const next = { ...queued, queue_position: 0 };
    const running = {
      ...queued,
      status: 'running' as const,
      phase: 'rendering' as const,
      queue_position: null,
      progress: { step: 12, total: 28 },
    };
    const done = completeJob({ job_id: 'j1', prompt: queued.prompt });
    const sequence = jobSequence([queued, next, running, done]);
    const bodies: unknown[] = [];
    server.use(acceptGenerate('j1', bodies), sequence.handler);

    const { user, location } = renderApp('/', {
      signedInAs: 'ada',
      userOptions: { advanceTimers: vi.advanceTimersByTime },
    });
    await user.type(await screen.findByRole('textbox', { name: 'Prompt' }), 'A red bicycle on a beach');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    await waitFor(() => expect(location()).toBe('/?job=j1'));
    expect(bodies).toEqual([{ prompt: 'A red bicycle on a beach', aspect_ratio: '1:1', num_images: 4 }]);
    const region = () => screen.getAllByRole('status').find((el) => el.textContent?.match(/Queued|Running|Complete/))!;
    // One live region from the first moment, so each change in it is announced.
    const live = region();
    // The place in the queue is shown beside the status, not read out on every poll.
    expect(await screen.findByText('2 jobs ahead of yours')).toBeInTheDocument();
    expect(region()).toHaveTextContent(/^Queued$/);

    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(await screen.findByText('Next in line')).toBeInTheDocument();
    expect(region()).toHaveTextContent(/^Queued$/);

    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(region()).toHaveTextContent(/^Running$/));
    const bar = screen.getByRole('progressbar', { name: 'Progress' });
    expect(bar).toHaveAttribute('value', '12');
    expect(bar).toHaveAttribute('max', '28');
    expect(bar).toHaveAttribute('aria-valuetext', 'Step 12 of 28');
    expect(screen.getByText('Step 12 of 28')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(region()).toHaveTextContent('Complete 4 images ready.'));
    const images = screen.getAllByRole('img', { name: /^Image \d of 4: A red bicycle on a beach$/ });
    expect(images).toHaveLength(4);
    expect(images[0]).toHaveAccessibleName('Image 1 of 4: A red bicycle on a beach');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    expect(region()).toBe(live);
    // The prompt stays in the form for the next try.
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('A red bicycle on a beach');
  });

  it('submits with Ctrl+Enter in the prompt and sends every setting chosen', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get(`${API}/models`, () => HttpResponse.json([realModel, sd35Model])),
      acceptGenerate('j2', bodies),
      http.get(`${API}/jobs/j2`, () => HttpResponse.json(makeJob({ job_id: 'j2' }))),
    );
    const { user, location } = renderApp('/', { signedInAs: 'ada' });

    const model = await screen.findByRole('combobox', { name: 'Model' });
    await user.selectOptions(model, 'sd35-large');
    const style = screen.getByRole('combobox', { name: 'Brand style' });
    // Only the styles made for the chosen model's family are offered.
    expect(within(style).getAllByRole('option').map((o) => o.textContent)).toEqual(['Default', 'acme-photo-sd']);
    await user.selectOptions(style, 'acme-photo-sd');
    await user.click(within(screen.getByRole('radiogroup', { name: 'Aspect ratio' })).getByRole('radio', { name: '16:9' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Number of images' }), '2');
    await user.type(screen.getByRole('textbox', { name: 'Seed (optional)' }), '42');
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    await user.type(prompt, 'Mountains');
    await user.keyboard('{Control>}{Enter}{/Control}');

    await waitFor(() => expect(location()).toBe('/?job=j2'));
    expect(bodies).toEqual([
      { prompt: 'Mountains', aspect_ratio: '16:9', num_images: 2, style: 'acme-photo-sd', model: 'sd35-large', seed: 42 },
    ]);
  });

  it('shows the model choice only when the server has more than one model', async () => {
    renderApp('/', { signedInAs: 'ada' });
    await screen.findByRole('textbox', { name: 'Prompt' });
    await waitFor(() => expect(within(screen.getByRole('combobox', { name: 'Brand style' })).getAllByRole('option')).toHaveLength(2));
    expect(screen.queryByRole('combobox', { name: 'Model' })).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Number of images' })).toHaveValue('4');
  });

  it('labels the demo model', async () => {
    server.use(http.get(`${API}/models`, () => HttpResponse.json([demoModel])));
    renderApp('/', { signedInAs: 'ada' });
    expect(await screen.findByText('Demo model — random weights, the images are noise')).toBeInTheDocument();
  });

  it('asks for a prompt before sending anything', async () => {
    const bodies: unknown[] = [];
    server.use(acceptGenerate('never', bodies));
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(prompt).toHaveAccessibleDescription(/Write a prompt/);
    expect(prompt).toHaveFocus();
    expect(bodies).toEqual([]);
  });

  it("shows the server's field errors beside their fields", async () => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(
          errorBody('invalid_request', 'The request is invalid; see the field errors.', [
            { field: 'prompt', message: 'The prompt names a blocked term.' },
            { field: 'seed', message: 'Input should be less than or equal to 4294967295' },
          ]),
          { status: 400 },
        ),
      ),
    );
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    await user.type(prompt, 'something');
    await user.type(screen.getByRole('textbox', { name: 'Seed (optional)' }), '7');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    await waitFor(() => expect(prompt).toHaveAttribute('aria-invalid', 'true'));
    expect(prompt).toHaveAccessibleDescription(/The prompt names a blocked term\./);
    const seed = screen.getByRole('textbox', { name: 'Seed (optional)' });
    expect(seed).toHaveAttribute('aria-invalid', 'true');
    expect(seed).toHaveAccessibleDescription(/less than or equal to 4294967295/);
    expect(screen.getByRole('alert')).toHaveTextContent('The request is invalid; see the field errors.');
    expect(prompt).toHaveFocus();
  });

  it('shows an error about the model above the form when there is no Model field (one model)', async () => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(
          errorBody('invalid_request', 'The request is invalid; see the field errors.', [
            { field: 'model', message: 'The model flux-dev is not loaded right now.' },
          ]),
          { status: 400 },
        ),
      ),
    );
    const { user } = renderApp('/', { signedInAs: 'ada' });
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    await user.type(prompt, 'something');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    const alert = await screen.findByRole('alert');
    expect(screen.queryByRole('combobox', { name: 'Model' })).not.toBeInTheDocument();
    expect(alert).toHaveTextContent('Model: The model flux-dev is not loaded right now.');
  });

  it.each([
    [429, 'rate_limited', 'Too many submissions; slow down.'],
    [503, 'queue_full', 'The queue is full.'],
  ])('on %i says when to try again and keeps Generate off until then', async (status, code, message) => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(errorBody(code, message), { status, headers: { 'Retry-After': '3' } }),
      ),
    );
    const { user } = renderApp('/', { signedInAs: 'ada', userOptions: { advanceTimers: vi.advanceTimersByTime } });
    await user.type(await screen.findByRole('textbox', { name: 'Prompt' }), 'something');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByText('Try again in 3 seconds')).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Generate' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription('Try again in 3 seconds');

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByText('Try again in 2 seconds')).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(2100));
    expect(screen.queryByText(/Try again in/)).not.toBeInTheDocument();
    expect(button).toBeEnabled();
  });

  it('tries twice more with the same key, then says when the server cannot be reached', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const keys: (string | null)[] = [];
    server.use(
      http.post(`${API}/generate`, ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        return HttpResponse.error();
      }),
    );
    const { user } = renderApp('/', { signedInAs: 'ada', userOptions: { advanceTimers: vi.advanceTimersByTime } });
    await user.type(await screen.findByRole('textbox', { name: 'Prompt' }), 'something');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(screen.getByRole('button', { name: 'Generating…' })).toBeDisabled();
    await act(() => vi.advanceTimersByTimeAsync(2500));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the server.');
    expect(screen.getByRole('button', { name: 'Generate' })).toBeEnabled();
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });
});

describe('reusing a job', () => {
  it('"Edit and generate" fills the form with the settings and a new seed; "Same seed" keeps it', async () => {
    const job = completeJob({
      job_id: 'old',
      prompt: 'Lighthouse at dusk',
      style: 'acme-flat',
      width: 1344,
      height: 768,
      num_images: 3,
      seed: 777,
    });
    server.use(http.get(`${API}/jobs/old`, () => HttpResponse.json(job)));
    const { user, location } = renderApp('/jobs/old', { signedInAs: 'ada' });

    await user.click(await screen.findByRole('button', { name: 'Edit and generate' }));
    await waitFor(() => expect(location()).toBe('/'));
    const prompt = await screen.findByRole('textbox', { name: 'Prompt' });
    expect(prompt).toHaveValue('Lighthouse at dusk');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Brand style' })).toHaveValue('acme-flat'));
    expect(screen.getByRole('radio', { name: '16:9' })).toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Number of images' })).toHaveValue('3');
    expect(screen.getByRole('textbox', { name: 'Seed (optional)' })).toHaveValue('');

    await user.click(screen.getByRole('link', { name: 'History' }));
    server.use(
      http.get(`${API}/jobs`, () => HttpResponse.json({ items: [job], total: 1, limit: 20, offset: 0 })),
    );
    await user.click(await screen.findByRole('link', { name: /Lighthouse at dusk/ }));
    await user.click(await screen.findByRole('button', { name: 'Same seed' }));
    expect(await screen.findByRole('textbox', { name: 'Seed (optional)' })).toHaveValue('777');
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('Lighthouse at dusk');
  });
});
