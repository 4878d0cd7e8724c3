import { useEffect, useState } from 'react';
import type { SelectionInfo } from '../messages';
import type { Connection, Me } from './api/client';
import { onMainMessage, postToMain } from './bridge';
import { Panel } from './components/Panel';
import { SignIn } from './components/SignIn';

const NO_SELECTION: SelectionInfo = { count: 0, fillable: 0, width: null, height: null };

type Session =
  | { state: 'starting' }
  | { state: 'signed-out'; apiUrl: string | null; notice: string | null }
  // `me`: who GET /me said the token belongs to, when sign-in has just asked (no need to ask again).
  | { state: 'signed-in'; connection: Connection; me?: Me };

type Props = {
  /** How often a running job is asked about (tests make it short). */
  pollMs?: number;
};

export function App({ pollMs }: Props) {
  const [session, setSession] = useState<Session>({ state: 'starting' });
  const [selection, setSelection] = useState<SelectionInfo>(NO_SELECTION);

  useEffect(() => {
    const stop = onMainMessage((message) => {
      if (message.type === 'init') {
        setSelection(message.selection);
        setSession(
          message.apiUrl && message.token
            ? { state: 'signed-in', connection: { apiUrl: message.apiUrl, token: message.token } }
            : { state: 'signed-out', apiUrl: message.apiUrl, notice: null },
        );
      } else if (message.type === 'selection') {
        setSelection(message.selection);
      }
    });
    // Listening first: main answers 'ready' with 'init' at once.
    postToMain({ type: 'ready' });
    return stop;
  }, []);

  switch (session.state) {
    case 'starting':
      return (
        <p className="screen-note" role="status">
          Loading…
        </p>
      );
    case 'signed-out':
      return (
        <SignIn
          initialApiUrl={session.apiUrl}
          notice={session.notice}
          onSignedIn={(connection, me) => setSession({ state: 'signed-in', connection, me })}
        />
      );
    case 'signed-in':
      return (
        <Panel
          connection={session.connection}
          me={session.me}
          selection={selection}
          pollMs={pollMs}
          onSignedOut={(notice, apiUrl = session.connection.apiUrl) => {
            // The token is forgotten whatever ended the session: signed out, revoked or expired
            // (a dead token kept would be sent again on every launch), or a new API address (the
            // token is never sent to another server than the one it was made for).
            postToMain({ type: 'sign-out' });
            setSession({ state: 'signed-out', apiUrl, notice });
          }}
        />
      );
  }
}
