import { useId, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { describeError } from '@/lib/errors';
import { isApiError } from '@/lib/api-error';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { safeNextPath, useSession } from '../session';
import { useAuth } from './AuthProvider';
import styles from './SignInPage.module.css';

const DEV_NAME = /^[A-Za-z0-9_.@-]{1,60}$/; // the server's limit (auth/dev.py)

export function SignInPage() {
  useDocumentTitle('Sign in');
  const auth = useAuth();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  const { dev, entra } = auth.config;
  return (
    <div className={`page page--narrow ${styles.page}`}>
      <h1>Sign in</h1>
      {session.status === 'signed-out' && session.reason === 'expired' ? (
        <p role="status" className="notice">
          Your session has ended. Sign in again to continue where you were.
        </p>
      ) : null}
      {session.status === 'signed-out' && session.reason === 'signed-out' ? (
        <p role="status" className="notice">
          You have signed out.
        </p>
      ) : null}
      <p className={styles.lead}>Make on-brand images from a prompt.</p>
      {entra ? <MicrosoftSignIn next={next} /> : null}
      {entra && dev ? <p className={styles.or}>or, on this development server</p> : null}
      {dev ? <DevSignInForm /> : null}
      {!dev && !entra ? (
        <p role="alert" className="notice notice--warning">
          Sign-in is not configured on this server. Ask your administrator to set up Microsoft sign-in.
        </p>
      ) : null}
    </div>
  );
}

function MicrosoftSignIn({ next }: { next: string }) {
  const auth = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(auth.microsoftError);
  return (
    <div className={styles.block}>
      <button
        type="button"
        className="button button--primary button--wide"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await auth.signInMicrosoft(next);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        Sign in with Microsoft
      </button>
      {error ? (
        <p role="alert" className="field-error">
          Microsoft sign-in did not complete: {describeError(error)}
        </p>
      ) : null}
    </div>
  );
}

function DevSignInForm() {
  const auth = useAuth();
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!DEV_NAME.test(trimmed)) {
      setError("Use 1 to 60 letters, digits, '_', '.', '@' or '-'.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.signInDev(trimmed);
    } catch (e) {
      setError(isApiError(e, 401) ? 'The server did not accept that name.' : describeError(e));
      setBusy(false);
    }
  }

  const errorId = `${id}-error`;
  return (
    <form className={`${styles.block} ${styles.form}`} onSubmit={submit} noValidate>
      <p className={styles.hint}>Development sign-in: anyone can be anyone, so it only runs on a developer's machine.</p>
      <div className="field">
        <label htmlFor={`${id}-name`}>Your name</label>
        <input
          id={`${id}-name`}
          name="name"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          required
        />
        {error ? (
          <p id={errorId} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button button--primary button--wide" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
