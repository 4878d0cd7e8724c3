import { ApiError } from '../api/api-error';

export const REVOKED_MESSAGE =
  'This token was revoked or has expired. Make a new one in the web app and sign in again.';
export const NO_ACCESS_MESSAGE = "This token has no access to the brand generator; ask your administrator.";

/** What to tell a person about a failed call, in the web app's words where it has them. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong.';
  }
  if (error.isNetworkError) return error.message;
  switch (error.status) {
    case 401:
      return REVOKED_MESSAGE;
    case 403:
      return NO_ACCESS_MESSAGE;
    case 500:
      return 'Something went wrong on the server. It has been logged; please try again.';
    default:
      return error.message;
  }
}

/** 401 and 403 end the session: the token itself is the problem, not this one request. */
export function isTokenProblem(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}
