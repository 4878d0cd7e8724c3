import { useState } from 'react';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { CreatedToken } from '../api/create-token';
import { useTokenPolicy } from '../api/get-token-policy';
import { CreateTokenForm } from './CreateTokenForm';
import { NewTokenSecret } from './NewTokenSecret';
import { TokenList } from './TokenList';
import styles from './Tokens.module.css';

/** The settings section for personal access tokens: what they are for, a new one, the list. */
export function AccessTokens() {
  const policy = useTokenPolicy();
  const [created, setCreated] = useState<CreatedToken | null>(null);

  return (
    <section className={`stack ${styles.section}`} aria-labelledby="access-tokens-heading" id="access-tokens">
      <h2 id="access-tokens-heading">Access tokens</h2>
      <p>
        A token lets a tool act as you: paste it into the Figma plugin when it asks you to sign in, or have a
        script (the Python client, your own) send it with each request as the header{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>. Tokens expire, and stop working if you lose access to
        this application.
      </p>
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <section className="stack" aria-labelledby="new-token-heading">
        <h3 id="new-token-heading">New token</h3>
        {policy.isPending ? <p role="status">Loading…</p> : null}
        {policy.isError ? <ErrorMessage error={policy.error} onRetry={() => void policy.refetch()} /> : null}
        {policy.data ? <CreateTokenForm policy={policy.data} onCreated={setCreated} /> : null}
      </section>
      <section className="stack" aria-labelledby="your-tokens-heading">
        <h3 id="your-tokens-heading">Your tokens</h3>
        <TokenList />
      </section>
    </section>
  );
}
