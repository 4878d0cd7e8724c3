import { useRef, useState } from 'react';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { describeError } from '@/lib/errors';
import { useTokens, type AccessToken } from '../api/list-tokens';
import { useRevokeToken } from '../api/revoke-token';
import { expiryText, formatDate } from './token-dates';
import styles from './Tokens.module.css';

/** The caller's tokens: name, prefix, created, last used, expiry; each can be revoked. */
export function TokenList() {
  const tokens = useTokens();
  const [revoking, setRevoking] = useState<AccessToken | null>(null);

  if (tokens.isPending) return <p role="status">Loading your tokens…</p>;
  if (tokens.isError) return <ErrorMessage error={tokens.error} onRetry={() => void tokens.refetch()} />;
  if (tokens.data.length === 0) return <p>You have no access tokens.</p>;

  const now = Date.now();
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">Your access tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data.map((token) => {
            const expiry = expiryText(token.expires_at, now);
            return (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td className={styles.prefix} data-label="Token">{token.prefix}…</td>
                <td data-label="Created">{formatDate(token.created_at)}</td>
                <td data-label="Last used">{token.last_used_at ? formatDate(token.last_used_at) : 'never'}</td>
                <td className={expiry === 'expired' ? styles.expired : undefined} data-label="Expires">
                  {formatDate(token.expires_at)} ({expiry})
                </td>
                <td className={styles.actions}>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => setRevoking(token)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {revoking ? <ConfirmRevoke token={revoking} onClose={() => setRevoking(null)} /> : null}
    </div>
  );
}

function ConfirmRevoke({ token, onClose }: { token: AccessToken; onClose: () => void }) {
  const revoke = useRevokeToken();
  const keepRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog title={`Revoke “${token.name}”?`} onClose={onClose} initialFocus={keepRef}>
      <p>Tools using this token stop working at once. This cannot be undone.</p>
      {revoke.error ? (
        <p role="alert" className="field-error">
          {describeError(revoke.error, { notFound: 'This token no longer exists.' })}
        </p>
      ) : null}
      <div className={styles.dialogActions}>
        <button ref={keepRef} type="button" className="button" onClick={onClose}>
          Keep it
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(token.id, { onSuccess: onClose })}
        >
          {revoke.isPending ? 'Revoking…' : 'Yes, revoke'}
        </button>
      </div>
    </Dialog>
  );
}
