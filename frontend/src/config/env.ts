/**
 * The build-time settings the app reads, checked once at start-up so a bad value fails loudly
 * with a message that names it, rather than as a confusing network error later.
 */
export type AppEnv = {
  /** Where the API lives; '' means the app's own origin (the one-box default). */
  apiUrl: string;
  /** The path the app is served under, e.g. '/app/'. */
  basePath: string;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`The web app is misconfigured:\n- ${problems.join('\n- ')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(raw: Record<string, unknown>): AppEnv {
  const problems: string[] = [];

  const apiUrlRaw = typeof raw.VITE_API_URL === 'string' ? raw.VITE_API_URL.trim() : '';
  let apiUrl = '';
  if (apiUrlRaw) {
    try {
      const url = new URL(apiUrlRaw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        problems.push(`VITE_API_URL must be an http(s) URL, got "${apiUrlRaw}".`);
      } else if (url.search || url.hash) {
        problems.push(`VITE_API_URL must not have a query or fragment, got "${apiUrlRaw}".`);
      } else {
        apiUrl = url.href.replace(/\/+$/, '');
      }
    } catch {
      problems.push(
        `VITE_API_URL must be an absolute URL such as https://api.example.com (or unset for the same origin), got "${apiUrlRaw}".`,
      );
    }
  }

  const basePath = typeof raw.BASE_URL === 'string' && raw.BASE_URL ? raw.BASE_URL : '/';
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
    problems.push(`VITE_BASE must start and end with "/", e.g. /app/ or /, got "${basePath}".`);
  }

  if (problems.length) throw new EnvError(problems);
  return { apiUrl, basePath };
}

let cached: AppEnv | undefined;

/** The validated settings; throws EnvError on the first call when they are wrong. */
export function env(): AppEnv {
  cached ??= parseEnv(import.meta.env as unknown as Record<string, unknown>);
  return cached;
}
