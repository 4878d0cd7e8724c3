import { ApiError, NO_ACCESS_MESSAGE } from './api-error';

export { NO_ACCESS_MESSAGE };

export function secondsText(seconds: number): string {
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/**
 * What to tell a person about a failed call, in words. `notFound` names the thing that was not
 * found for the page at hand ("This job was not found").
 */
export function describeError(error: unknown, options: { notFound?: string } = {}): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong.';
  }
  if (error.isNetworkError) return error.message;
  switch (error.status) {
    case 401:
      return 'Your session has ended. Sign in again to continue.';
    case 403:
      return error.code === 'forbidden' || !error.message ? NO_ACCESS_MESSAGE : error.message;
    case 404:
      return options.notFound ?? error.message;
    case 500:
      return 'Something went wrong on the server. It has been logged; please try again.';
    default:
      return error.message;
  }
}
