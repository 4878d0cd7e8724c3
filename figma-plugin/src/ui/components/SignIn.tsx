import { useId, useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api/api-error';
import { createApi, normalizeApiUrl, type Connection, type Me } from '../api/client';
import { getMe } from '../api/operations';
import { postToMain } from '../bridge';
import { describeError } from '../lib/errors';
import { isHttpUrl, tokensPageUrl } from '../lib/urls';
import { SubmitButton } from './SubmitButton';

type Props = {
  initialApiUrl: string | null;
  /** Why the person is here again (a token the API stopped accepting). */
  notice: string | null;
  onSignedIn: (connection: Connection, me: Me) => void;
};

/** Sign in with a personal access token made in the web app, checked with GET /me before it is kept. */
export function SignIn({ initialApiUrl, notice, onSignedIn }: Props) {
  const id = useId();
  const [apiUrl, setApiUrl] = useState(initialApiUrl ?? '');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [fieldErrors, setFieldErrors] = useState<{ apiUrl?: string; token?: string }>({});
  const [checking, setChecking] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    const address = normalizeApiUrl(apiUrl);
    const secret = token.trim();
    const errors: typeof fieldErrors = {};
    if (!isHttpUrl(address)) errors.apiUrl = 'Enter the address of the API, starting with https://';
    if (!secret) errors.token = 'Paste the access token you made in the web app.';
    setFieldErrors(errors);
    if (errors.apiUrl || errors.token) {
      document.getElementById(errors.apiUrl ? `${id}-url` : `${id}-token`)?.focus();
      return;
    }
    setChecking(true);
    setError(null);
    const connection = { apiUrl: address, token: secret };
    try {
      const me = await getMe(createApi(connection));
      postToMain({ type: 'save-settings', ...connection });
      onSignedIn(connection, me);
    } catch (caught) {
      setChecking(false);
      setError(
        caught instanceof ApiError && caught.isNetworkError
          ? `Could not reach ${address}. Check the address and your connection.`
          : describeError(caught),
      );
    }
  }

  const tokensUrl = isHttpUrl(normalizeApiUrl(apiUrl)) ? tokensPageUrl(normalizeApiUrl(apiUrl)) : null;

  return (
    <main className="screen">
      <h1 className="title">Sign in</h1>
      <p className="hint">
        Use a personal access token from the brand generator's web app (Settings → Access tokens).
      </p>
      <form className="stack" onSubmit={submit} noValidate aria-label="Sign in">
        {error ? (
          <p role="alert" className="alert">
            {error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-url`}>API address</label>
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            autoComplete="url"
            placeholder="https://brand-assets.example.com"
            value={apiUrl}
            onChange={(e) => setApiUrl(e.target.value)}
            aria-invalid={fieldErrors.apiUrl ? true : undefined}
            aria-describedby={fieldErrors.apiUrl ? `${id}-url-error` : undefined}
          />
          {fieldErrors.apiUrl ? (
            <p id={`${id}-url-error`} className="field-error">
              {fieldErrors.apiUrl}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-token`}>Access token</label>
          <input
            id={`${id}-token`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={fieldErrors.token ? true : undefined}
            aria-describedby={fieldErrors.token ? `${id}-token-error` : undefined}
          />
          {fieldErrors.token ? (
            <p id={`${id}-token-error`} className="field-error">
              {fieldErrors.token}
            </p>
          ) : null}
          {tokensUrl ? (
            <a className="link" href={tokensUrl} target="_blank" rel="noreferrer">
              Make a token in the web app
            </a>
          ) : null}
        </div>
        <SubmitButton primary onSubmit={submit} disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </SubmitButton>
      </form>
    </main>
  );
}
