import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SignInRequiredError } from '@/lib/access-token';
import { ApiError } from '@/lib/api-error';
import { ErrorMessage } from './ErrorMessage';

const busy = () =>
  new ApiError({ status: 503, code: 'runner_busy', message: 'The service is busy.', retryAfterSeconds: 5 });

describe('ErrorMessage', () => {
  it('counts down from each error: a second 503 while the message stays up waits its own time', async () => {
    vi.useFakeTimers();
    const { rerender } = render(<ErrorMessage error={busy()} onRetry={() => {}} />);
    const button = screen.getByRole('button', { name: 'Try again' });
    expect(button).toBeDisabled();
    expect(screen.getByText('Try again in 5 seconds.')).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(button).toBeEnabled();

    // The retry failed the same way 20 s after the message first appeared.
    await act(() => vi.advanceTimersByTimeAsync(15_000));
    rerender(<ErrorMessage error={busy()} onRetry={() => {}} />);
    expect(button).toBeDisabled();
    expect(screen.getByText('Try again in 5 seconds.')).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(button).toBeEnabled();
  });

  it('offers no retry when only signing in again helps', () => {
    render(<ErrorMessage error={new SignInRequiredError()} onRetry={() => {}} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Your Microsoft sign-in needs to be renewed.');
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });
});
