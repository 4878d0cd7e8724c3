import { useId, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { describeError } from '@/lib/errors';
import { isApiError } from '@/lib/api-error';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { safeNextPath, useSession } from '../session';
import { useAuth } from './AuthProvider';
import styles from './SignInPage.module.css';

// The server's rules (auth/dev.py): letters, marks and digits of any script, single spaces between
// words, and . ' - _ @; at most 60 characters, counted as the server counts them (code points, NFC).
const DEV_NAME_CHARS = /^[\p{L}\p{M}\p{Nd} .'_@-]+$/u;
const DEV_NAME_MAX = 60;

/** What is wrong with a development sign-in name, or null when the server will take it. */
function devNameProblem(name: string): string | null {
  if (name === '') return 'Enter your name.';
  if ([...name].length > DEV_NAME_MAX) return `Use at most ${DEV_NAME_MAX} characters.`;
  if (name.includes('  ')) return 'Use one space between words.';
  if (!DEV_NAME_CHARS.test(name) || /^\p{M}/u.test(name)) {
    return "Use letters, digits, spaces and . ' - _ @ only.";
  }
  return null;
}

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
  const [reviewer, setReviewer] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Spaces around the name are dropped, as in any form; spaces inside are kept as typed (two in a
    // row are refused, not merged), because the name is who you are to the server.
    const typed = name.trim().normalize('NFC');
    const problem = devNameProblem(typed);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.signInDev(typed, reviewer);
    } catch (e) {
      setError(isApiError(e, 401) ? 'The server did not accept that name.' : describeError(e));
      setBusy(false);
    }
  }

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <form className={`${styles.block} ${styles.form}`} onSubmit={submit} noValidate>
      <p className={styles.hint}>Development sign-in: anyone can be anyone, so it only runs on a developer's machine.</p>
      <div className="field">
        <label htmlFor={`${id}-name`}>Your name</label>
        <input
          id={`${id}-name`}
          name="name"
          autoComplete="name"
          autoCapitalize="words"
          spellCheck={false}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          required
        />
        <p id={hintId} className="field-hint">
          As you write it, e.g. Alice Smith or Zoë Ng: letters in any script, digits, spaces and . &apos; - _ @, up
          to 60 characters.
        </p>
        {error ? (
          <p id={errorId} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
      <label className={styles.check}>
        <input type="checkbox" checked={reviewer} onChange={(e) => setReviewer(e.target.checked)} />
        As a reviewer (may approve and reject images)
      </label>
      <button type="submit" className="button button--primary button--wide" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
