import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { sourceTypeText } from './ContentCredentials';
import { ImageFacts } from './ImageFacts';

const credentials = {
  state: 'trusted' as const,
  issuer: 'Acme Corp',
  signed_at: '2026-12-03T10:00:00Z',
  generator: 'Brand Asset Generator 0.9.0',
  source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
  model: 'flux-demo',
  model_version: 'a1b2c3',
  style: 'acme',
  style_version: 2,
};

describe('the content credentials badge', () => {
  it('names the state in the button and shows what the credentials say when opened', async () => {
    const user = userEvent.setup();
    render(<ImageFacts image={{ credentials, brand: null, review: null }} />);
    const button = screen.getByRole('button', { name: 'Content credentials: trusted' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('Acme Corp')).not.toBeVisible();

    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const panel = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(panel).toBeVisible();
    const term = (name: string) => within(panel).getByText(name).nextElementSibling?.textContent;
    expect(term('Made with')).toBe('Brand Asset Generator 0.9.0');
    expect(term('Source')).toBe('Trained algorithmic media');
    expect(term('Model')).toBe('flux-demo a1b2c3');
    expect(term('Brand style')).toBe('acme v2');
    expect(term('Signed by')).toBe('Acme Corp');
    expect(term('Signed')).toMatch(/2026/);

    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
  });

  it('says when the image no longer matches its signature, and when the signer is not trusted', () => {
    const { rerender } = render(<ImageFacts image={{ credentials: { ...credentials, state: 'invalid' } }} />);
    expect(screen.getByRole('button', { name: 'Content credentials: invalid' })).toBeInTheDocument();
    expect(screen.getByText(/changed after it was signed/)).toBeInTheDocument();
    rerender(<ImageFacts image={{ credentials: { ...credentials, state: 'valid', style: null, issuer: null } }} />);
    expect(screen.getByRole('button', { name: 'Content credentials: valid, signer not trusted here' })).toBeInTheDocument();
    expect(screen.queryByText('Brand style')).not.toBeInTheDocument();
    expect(screen.queryByText('Signed by')).not.toBeInTheDocument();
  });

  it('shows nothing for an image without credentials, brand or review', () => {
    const { container } = render(<ImageFacts image={{ credentials: null, brand: null, review: null }} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('writes a source type as words, from its IPTC name or URL', () => {
    expect(sourceTypeText('trainedAlgorithmicMedia')).toBe('Trained algorithmic media');
    expect(sourceTypeText('http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia'))
      .toBe('Composite with trained algorithmic media');
  });
});

describe('the brand score', () => {
  const brand = { score: 0.724, colors: [{ hex: '#1f4e9b', share: 0.5 }, { hex: '#f2b705', share: 0.224 }] };

  it('gives the score as a labelled percentage and names each swatch by hex and share', () => {
    render(<ImageFacts image={{ brand }} />);
    expect(screen.getByText('On-brand colours: 72%')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Brand colours found' });
    expect(within(list).getAllByRole('img').map((el) => el.getAttribute('aria-label'))).toEqual([
      '#1f4e9b, 50% of the image',
      '#f2b705, 22% of the image',
    ]);
  });

  it('writes the colours out in the large view', () => {
    render(<ImageFacts image={{ brand }} large />);
    expect(screen.getByText('#1f4e9b, 50% of the image')).toBeVisible();
    expect(screen.queryAllByRole('img')).toHaveLength(0);
  });
});

describe('the review badge', () => {
  it('says who approved the image, when, and their comment', () => {
    render(
      <ImageFacts
        image={{ review: { decision: 'approved', reviewer_name: 'Grace', comment: 'Good for the spring campaign', decided_at: '2026-12-03T11:00:00Z' } }}
      />,
    );
    expect(screen.getByText('Approved by Grace')).toBeInTheDocument();
    expect(screen.getByText('Good for the spring campaign')).toBeInTheDocument();
  });

  it('says who rejected it', () => {
    render(<ImageFacts image={{ review: { decision: 'rejected', reviewer_name: 'Linus', decided_at: '2026-12-03T11:00:00Z' } }} />);
    expect(screen.getByText('Rejected by Linus')).toBeInTheDocument();
  });
});
