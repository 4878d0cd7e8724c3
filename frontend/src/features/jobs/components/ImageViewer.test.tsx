import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, completeJob } from '@/testing/fixtures';
import { setScreen } from '@/testing/media';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const job = completeJob({ job_id: 'iv1', prompt: 'Harbour at night', num_images: 3 });

async function openFirst() {
  server.use(http.get(`${API}/jobs/iv1`, () => HttpResponse.json(job)));
  const app = renderApp('/jobs/iv1', { signedInAs: 'ada' });
  const thumb = await screen.findByRole('img', { name: /^Image 1 of 3/ });
  await app.user.click(thumb);
  return { ...app, thumb: thumb.closest('button')! };
}

describe('the large view', () => {
  it('walks with ← and →, downloads the image shown with D, closes with Escape and gives focus back', async () => {
    const clicked: string[] = [];
    // jsdom cannot save files; what matters is which link D follows.
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.href);
    });
    const { user, thumb } = await openFirst();
    const dialog = screen.getByRole('dialog', { name: 'Image 1 of 3' });
    expect(dialog.contains(document.activeElement)).toBe(true);

    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('dialog', { name: 'Image 2 of 3' })).toBeInTheDocument();
    await user.keyboard('d');
    expect(clicked).toEqual([job.images![1]!.download_url]);
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('dialog', { name: 'Image 3 of 3' })).toBeInTheDocument();
    await user.keyboard('D');
    expect(clicked).toEqual([job.images![1]!.download_url, job.images![2]!.download_url]);
    // Ctrl+D is the browser's (bookmark), not a download.
    await user.keyboard('{Control>}d{/Control}');
    expect(clicked).toHaveLength(2);

    // Tab stays inside the dialog.
    for (let i = 0; i < 6; i += 1) {
      await user.tab();
      expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true);
    }
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(thumb).toHaveFocus();
    click.mockRestore();
  });

  it('shows the keys on a screen with a keyboard and mouse', async () => {
    await openFirst();
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/browse/)).toHaveTextContent('Keys: ← → browse · D download · Esc close');
  });

  it('does not show the keys on a touch screen', async () => {
    setScreen({ width: 390, touch: true });
    await openFirst();
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).queryByText(/Esc close/)).not.toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'Download' })).toHaveAttribute('href', job.images![0]!.download_url);
  });
});
