import { useEffect, useMemo, useState } from 'react';
import type { SelectionInfo } from '../../messages';
import { createApi, type Connection, type Me } from '../api/client';
import { getMe } from '../api/operations';
import { usePlacer } from '../hooks/use-placer';
import { describeError, isTokenProblem } from '../lib/errors';
import { GenerateView } from './GenerateView';
import { PlaceStatus } from './PlaceStatus';
import { RecentJobs } from './RecentJobs';
import { Settings } from './Settings';

const TABS = [
  { id: 'generate', label: 'Generate' },
  { id: 'recent', label: 'Recent' },
  { id: 'settings', label: 'Settings' },
] as const;
type Tab = (typeof TABS)[number]['id'];

const nameOf = (me: Me) => me.name || me.email;

type Props = {
  connection: Connection;
  /** Who the token belongs to, when sign-in has just checked it. */
  me?: Me;
  selection: SelectionInfo;
  pollMs?: number;
  /** The token no longer works (or the person signed out): back to sign-in, saying why. */
  onSignedOut: (notice: string | null, apiUrl?: string) => void;
};

/** The signed-in panel: three views behind a row of tabs, all kept mounted so a running job keeps going. */
export function Panel({ connection, me, selection, pollMs, onSignedOut }: Props) {
  const api = useMemo(() => createApi(connection), [connection]);
  const [tab, setTab] = useState<Tab>('generate');
  const [who, setWho] = useState<string | null>(me ? nameOf(me) : null);
  const placer = usePlacer(connection.apiUrl);

  // A kept token (or a new address) is checked once: a revoked one sends the person to sign in again.
  useEffect(() => {
    if (me) return;
    let live = true;
    getMe(api).then(
      (found) => live && setWho(nameOf(found)),
      (error) => live && isTokenProblem(error) && onSignedOut(describeError(error)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  function onAuthError(error: unknown) {
    if (isTokenProblem(error)) onSignedOut(describeError(error));
  }

  return (
    <div className="panel">
      <header className="panel-header">
        <nav aria-label="Plugin" className="tabs">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              className="tab"
              aria-current={tab === t.id ? 'page' : undefined}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        {who ? <span className="who" title={`Signed in as ${who}`}>{who}</span> : null}
      </header>
      <PlaceStatus status={placer.status} />
      <main className="screen">
        <section hidden={tab !== 'generate'} aria-label="Generate">
          <GenerateView
            api={api}
            selection={selection}
            pollMs={pollMs}
            placer={placer}
            onAuthError={onAuthError}
          />
        </section>
        <section hidden={tab !== 'recent'} aria-label="Recent jobs">
          {/* Mounted on each visit, so the list is fresh after a job finishes. */}
          {tab === 'recent' ? <RecentJobs api={api} placer={placer} onAuthError={onAuthError} /> : null}
        </section>
        <section hidden={tab !== 'settings'} aria-label="Settings">
          <Settings
            connection={connection}
            who={who}
            onAddressChanged={(apiUrl) =>
              onSignedOut('The API address changed: sign in with an access token made there.', apiUrl)
            }
            onSignedOut={() => onSignedOut(null)}
          />
        </section>
      </main>
    </div>
  );
}
