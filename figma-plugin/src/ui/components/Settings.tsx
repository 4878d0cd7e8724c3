import { useId, useState, type SyntheticEvent } from 'react';
import { normalizeApiUrl, type Connection } from '../api/client';
import { postToMain } from '../bridge';
import { isHttpUrl, tokensPageUrl } from '../lib/urls';
import { SubmitButton } from './SubmitButton';

type Props = {
  connection: Connection;
  who: string | null;
  /** A new address: the session ends there (its token belongs to the old one). */
  onAddressChanged: (apiUrl: string) => void;
  onSignedOut: () => void;
};

/** The API address (kept by the plugin) and signing out. */
export function Settings({ connection, who, onAddressChanged, onSignedOut }: Props) {
  const id = useId();
  const [apiUrl, setApiUrl] = useState(connection.apiUrl);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  function save(event: SyntheticEvent) {
    event.preventDefault();
    const address = normalizeApiUrl(apiUrl);
    if (!isHttpUrl(address)) {
      setError('Enter the address of the API, starting with https://');
      document.getElementById(`${id}-url`)?.focus();
      return;
    }
    setError(null);
    setSaved(true);
    if (address === connection.apiUrl) return;
    postToMain({ type: 'save-api-url', apiUrl: address });
    // The token is not sent to the new address: the person signs in there with a token of its own.
    onAddressChanged(address);
  }

  return (
    <div className="stack">
      <form className="stack" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor={`${id}-url`}>API address</label>
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            value={apiUrl}
            onChange={(e) => {
              setApiUrl(e.target.value);
              setSaved(false);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-url-error` : `${id}-url-hint`}
          />
          {error ? (
            <p id={`${id}-url-error`} className="field-error">
              {error}
            </p>
          ) : (
            <p id={`${id}-url-hint`} className="hint">
              Your organisation's brand generator. Figma only lets the plugin reach the addresses its manifest lists.
            </p>
          )}
        </div>
        <div className="row">
          <SubmitButton onSubmit={save}>Save address</SubmitButton>
          <span role="status" className="hint">
            {saved ? 'Saved.' : null}
          </span>
        </div>
      </form>
      <div className="stack">
        <p>{who ? `Signed in as ${who}.` : 'Signed in with an access token.'}</p>
        <a className="link" href={tokensPageUrl(connection.apiUrl)} target="_blank" rel="noreferrer">
          Manage your access tokens
        </a>
        <button type="button" className="button" onClick={onSignedOut}>
          Sign out
        </button>
      </div>
    </div>
  );
}
