export type FieldError = { field: string; message: string };

/** A failed API call, parsed from the API's error envelope `{"error": {code, message, fields}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** Seconds to wait before trying again (from Retry-After), or null. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    fields?: FieldError[];
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  /** True when the server could not be reached at all (no HTTP answer). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'You are not signed in.',
  403: 'This token has no access to the brand generator.',
  404: 'Not found.',
  409: 'That cannot be done in the current state.',
  429: 'Too many requests.',
  500: 'Something went wrong on the server.',
  503: 'The service is busy or starting.',
};

/** Builds an ApiError from a non-2xx response, tolerating bodies that are not the envelope. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = FALLBACK_MESSAGES[response.status] ?? `The server answered ${response.status}.`;
  let fields: FieldError[] = [];
  try {
    const body: unknown = await response.clone().json();
    const detail = (body as { error?: unknown } | null)?.error;
    if (detail && typeof detail === 'object') {
      const d = detail as { code?: unknown; message?: unknown; fields?: unknown };
      if (typeof d.code === 'string') code = d.code;
      if (typeof d.message === 'string' && d.message) message = d.message;
      if (Array.isArray(d.fields)) {
        fields = d.fields.filter(
          (f): f is FieldError =>
            !!f && typeof f === 'object' && typeof f.field === 'string' && typeof f.message === 'string',
        );
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): keep the fallback message.
  }
  return new ApiError({
    status: response.status,
    code,
    message,
    fields,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

/** No HTTP answer at all: the address is wrong, the network is down, or the API refused the plugin's origin. */
export function networkError(cause: unknown): ApiError {
  const error = new ApiError({
    status: 0,
    code: 'network_error',
    message: 'Could not reach the API. Check the address in Settings and your connection.',
  });
  (error as { cause?: unknown }).cause = cause;
  return error;
}
