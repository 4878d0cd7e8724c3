import { useEffect, useId, useRef, useState } from 'react';
import type { CreatedToken } from '../api/create-token';
import { formatDate } from './token-dates';
import styles from './Tokens.module.css';

type Props = {
  token: CreatedToken;
  onDone: () => void;
};

/** The secret of a token just created: shown this once, with a copy button. */
export function NewTokenSecret({ token, onDone }: Props) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  // Move focus here so keyboard and screen-reader users learn the secret is on screen.
  useEffect(() => headingRef.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section className="notice notice--warning stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        Your new token “{token.name}”
      </h3>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> Keep it like a password; anyone who has it
        can act as you until it expires on {formatDate(token.expires_at)} or you revoke it.
      </p>
      <div className={styles.secretBlock}>
        <div className={styles.secret}>
          <label htmlFor={`${id}-secret`} className="visually-hidden">
            Token secret
          </label>
          <input id={`${id}-secret`} readOnly value={token.token} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="button" onClick={() => void copy()}>
            Copy
          </button>
        </div>
        <p role="status">
          {copied === 'yes' ? 'Copied to the clipboard.' : null}
          {copied === 'failed' ? 'Could not copy; select the token and copy it yourself.' : null}
        </p>
      </div>
      <div>
        <button type="button" className="button" onClick={onDone}>
          Done, I have copied it
        </button>
      </div>
    </section>
  );
}
