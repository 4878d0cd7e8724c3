import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, errorBody, makeJob, realModel, sd35Model } from '../testing/fixtures';
import { serveJob } from '../testing/jobs';
import { renderPlugin, sendFromMain } from '../testing/plugin';
import { server } from '../testing/server';

async function fillPrompt(user: ReturnType<typeof renderPlugin>['user'], text = 'A red bicycle on a beach') {
  await user.type(await screen.findByLabelText('Prompt'), text);
}

// The submit button (the tab of the same name is outside the form).
const generateButton = () =>
  within(screen.getByRole('form', { name: 'Generate images' })).getByRole('button', { name: 'Generate' });
const progress = () => screen.findByText(/^(Queued|Waiting|Step|Starting|Cancelled|Failed|\d+ images? ready)/);

describe('Generate', () => {
  it('sends the prompt, brand style, aspect ratio, number of images and seed', async () => {
    const job = makeJob();
    const seen = serveJob([job]);
    const { user } = renderPlugin();
    await screen.findByRole('option', { name: 'acme-flat' });

    await fillPrompt(user);
    await user.selectOptions(screen.getByLabelText('Brand style'), 'acme-flat');
    await user.click(screen.getByRole('radio', { name: '16:9' }));
    await user.selectOptions(screen.getByLabelText('Number of images'), '2');
    await user.type(screen.getByLabelText('Seed (optional)'), '42');
    await user.click(generateButton());

    await progress();
    expect(seen.bodies).toEqual([
      { prompt: 'A red bicycle on a beach', style: 'acme-flat', aspect_ratio: '16:9', num_images: 2, seed: 42 },
    ]);
    expect(seen.keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shows the brand style description and offers only the model family styles', async () => {
    const { user } = renderPlugin();
    const style = await screen.findByLabelText('Brand style');
    await screen.findByRole('option', { name: 'acme-flat' });
    // One model: no Model field, and the other family's style is not offered.
    expect(screen.queryByLabelText('Model')).not.toBeInTheDocument();
    expect(within(style).queryByRole('option', { name: 'acme-photo-sd' })).not.toBeInTheDocument();

    await user.selectOptions(style, 'acme-flat');

    expect(style).toHaveAccessibleDescription('Flat illustration in the Acme palette.');
  });

  it('offers a model choice when the API has several, and sends the one chosen', async () => {
    server.use(http.get(`${API}/models`, () => HttpResponse.json([realModel, sd35Model])));
    const seen = serveJob([makeJob()]);
    const { user } = renderPlugin();

    await user.selectOptions(await screen.findByLabelText('Model'), 'sd35-large');
    await fillPrompt(user);
    await user.click(generateButton());

    await progress();
    expect(seen.bodies[0]).toMatchObject({ model: 'sd35-large' });
  });

  it('shows the place in the queue, the wait for the GPU and the steps, then the images', async () => {
    const job = makeJob({ queue_position: 2 });
    const waiting = { ...job, status: 'running' as const, phase: 'waiting_for_gpu' as const, images_ahead: 3 };
    const rendering = { ...job, status: 'running' as const, phase: 'rendering' as const, progress: { step: 5, total: 28 } };
    const done = completeJob({ job_id: job.job_id });
    const seen = serveJob([job, job, waiting, waiting, rendering, rendering, done]);
    const { user } = renderPlugin();

    await fillPrompt(user);
    await user.click(generateButton());

    expect(await screen.findByText('Queued · 2 jobs ahead of yours')).toBeInTheDocument();
    // One job at a time from the panel.
    expect(screen.getByRole('button', { name: 'Generating…' })).toBeDisabled();
    expect(await screen.findByText('Waiting for the GPU · 3 images ahead')).toBeInTheDocument();
    expect(await screen.findByText('Step 5 of 28')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Steps done' })).toHaveAttribute('value', '5');
    expect(await screen.findByText('2 images ready')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Place image \d of 2$/ })).toHaveLength(2);
    expect(generateButton()).toBeEnabled();

    // Polling stops once the job has ended.
    const polls = seen.polls;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seen.polls).toBe(polls);
  });

  it('cancels the running job', async () => {
    const running = makeJob({ status: 'running', phase: 'rendering', progress: { step: 2, total: 28 } });
    const seen = serveJob([running]);
    const { user } = renderPlugin();
    await fillPrompt(user);
    await user.click(generateButton());
    await screen.findByText('Step 2 of 28');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(await screen.findByText('Cancelled. No images were made.')).toBeInTheDocument();
    expect(seen.cancelled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  });

  it('says why a job failed', async () => {
    const job = makeJob();
    serveJob([job, { ...job, status: 'failed', phase: 'finished', error: 'The GPU ran out of memory.' }]);
    const { user } = renderPlugin();
    await fillPrompt(user);
    await user.click(generateButton());

    expect(await screen.findByText('Failed: The GPU ran out of memory.')).toBeInTheDocument();
  });

  it.each([
    [429, 'rate_limited', 'Too many requests: 10 a minute.'],
    [503, 'queue_full', 'The queue is full. Try again shortly.'],
  ])('after a %i says when to try again (Retry-After) and waits until then', async (status, code, message) => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(errorBody(code, message), { status, headers: { 'Retry-After': '30' } }),
      ),
    );
    const { user } = renderPlugin();
    await fillPrompt(user);
    await user.click(generateButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(await within(alert).findByText(/^Try again in (30|29) seconds\.$/)).toBeInTheDocument();
    expect(generateButton()).toBeDisabled();
  });

  it('puts a 400 field error beside its field and moves the focus there', async () => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(
          errorBody('invalid_request', 'The request was not accepted.', [
            { field: 'seed', message: 'Input should be less than or equal to 4294967295' },
          ]),
          { status: 400 },
        ),
      ),
    );
    const { user } = renderPlugin();
    await fillPrompt(user);
    await user.type(screen.getByLabelText('Seed (optional)'), '4294967295');
    await user.click(generateButton());

    const seed = screen.getByLabelText('Seed (optional)');
    await screen.findByText('Input should be less than or equal to 4294967295');
    expect(seed).toHaveAttribute('aria-invalid', 'true');
    expect(seed).toHaveAccessibleDescription('Input should be less than or equal to 4294967295');
    expect(seed).toHaveFocus();
  });

  it('asks for a prompt before sending anything', async () => {
    const seen = serveJob([makeJob()]);
    const { user } = renderPlugin();
    await screen.findByLabelText('Prompt');

    await user.click(generateButton());

    expect(screen.getByLabelText('Prompt')).toHaveAccessibleDescription(/Write a prompt/);
    expect(seen.bodies).toEqual([]);
  });

  it('defaults the aspect ratio to the selection shape until one is picked', async () => {
    const seen = serveJob([makeJob()]);
    const { user } = renderPlugin({ selection: { count: 1, fillable: 1, width: 1600, height: 900 } });
    expect(await screen.findByRole('radio', { name: '16:9' })).toBeChecked();

    sendFromMain({ type: 'selection', selection: { count: 1, fillable: 1, width: 800, height: 1000 } });
    expect(screen.getByRole('radio', { name: '4:5' })).toBeChecked();
    sendFromMain({ type: 'selection', selection: { count: 1, fillable: 1, width: 1080, height: 1920 } });
    expect(screen.getByRole('radio', { name: '9:16' })).toBeChecked();

    // Picked by hand: a new selection no longer changes it.
    await user.click(screen.getByRole('radio', { name: '3:2' }));
    sendFromMain({ type: 'selection', selection: { count: 1, fillable: 1, width: 500, height: 500 } });
    expect(screen.getByRole('radio', { name: '3:2' })).toBeChecked();

    await fillPrompt(user);
    await user.click(generateButton());
    await progress();
    expect(seen.bodies[0]).toMatchObject({ aspect_ratio: '3:2' });
  });

  it('sends a person to sign in when the token stops working mid-session', async () => {
    server.use(http.post(`${API}/generate`, () => HttpResponse.json(errorBody('not_authenticated', 'No.'), { status: 401 })));
    const { user } = renderPlugin();
    await fillPrompt(user);
    await user.click(generateButton());

    const form = await screen.findByRole('form', { name: 'Sign in' });
    expect(within(form).getByRole('alert')).toHaveTextContent(/revoked or has expired/);
  });
});
