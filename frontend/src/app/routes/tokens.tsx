import { useState } from 'react';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { CreatedToken } from '@/features/tokens/api/create-token';
import { useTokenPolicy } from '@/features/tokens/api/get-token-policy';
import { CreateTokenForm } from '@/features/tokens/components/CreateTokenForm';
import { NewTokenSecret } from '@/features/tokens/components/NewTokenSecret';
import { TokenList } from '@/features/tokens/components/TokenList';

/** `/tokens`: personal access tokens for tools and the Figma plugin. */
export default function TokensPage() {
  useDocumentTitle('Access tokens');
  const policy = useTokenPolicy();
  const [created, setCreated] = useState<CreatedToken | null>(null);

  return (
    <div className="page page--medium stack">
      <h1>Access tokens</h1>
      <p>
        A token lets a tool (the Python client, the Figma plugin) act as you. Tokens expire, and stop working
        if you lose access to this application.
      </p>
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <section className="stack" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        {policy.isPending ? <p role="status">Loading…</p> : null}
        {policy.isError ? <ErrorMessage error={policy.error} onRetry={() => void policy.refetch()} /> : null}
        {policy.data ? <CreateTokenForm policy={policy.data} onCreated={setCreated} /> : null}
      </section>
      <section className="stack" aria-labelledby="your-tokens-heading">
        <h2 id="your-tokens-heading">Your tokens</h2>
        <TokenList />
      </section>
    </div>
  );
}
