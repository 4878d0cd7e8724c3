import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { APP_NAME } from '@/hooks/use-document-title';
import { useMe } from '@/features/auth/api/get-me';
import { useAuth } from '@/features/auth/components/AuthProvider';
import { useSession } from '@/features/auth/session';
import styles from './RootLayout.module.css';

export function RootLayout() {
  const session = useSession();
  const auth = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // Back from Microsoft's sign-in page: go on to where the person was.
  useEffect(() => {
    const back = auth.takeReturnTo();
    if (back && back !== '/') navigate(back, { replace: true });
  }, [auth, navigate]);

  // After moving to another page, put focus at the start of it (unless the page placed it).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('header')) mainRef.current?.focus();
  }, [location.pathname]);

  return (
    <div className={styles.shell} data-testid="app-ready">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className={styles.header} data-signed-in={session.status === 'signed-in' || undefined}>
        <div className={styles.headerInner}>
          <Link to="/" className={styles.brand}>
            <span aria-hidden="true" className={styles.logo} />
            <span className={styles.brandText}>{APP_NAME}</span>
          </Link>
          {session.status === 'signed-in' ? <SignedInBar name={session.name} onSignOut={auth.signOut} /> : null}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className={styles.main}>
        <Suspense fallback={<p role="status" className="page">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

function SignedInBar({ name, onSignOut }: { name: string; onSignOut: () => Promise<void> }) {
  const me = useMe();
  const navigate = useNavigate();
  const shown = me.data?.name || name;
  return (
    <>
      <nav aria-label="Main" className={styles.nav}>
        <NavLink to="/" end className={styles.navLink}>
          Generate
        </NavLink>
        <NavLink to="/jobs" className={styles.navLink}>
          History
        </NavLink>
        <NavLink to="/library" className={styles.navLink}>
          Approved
        </NavLink>
        {me.data?.can_review ? (
          <NavLink to="/reviews" className={styles.navLink}>
            To review
          </NavLink>
        ) : null}
        <NavLink to="/settings" className={styles.navLink}>
          Settings
        </NavLink>
      </nav>
      <div className={styles.user}>
        <span className={styles.userName} title={me.data?.email}>
          <span className="visually-hidden">Signed in as </span>
          {shown}
        </span>
        <button
          type="button"
          className="button button--small"
          onClick={async () => {
            await onSignOut();
            navigate('/signin', { replace: true });
          }}
        >
          Sign out
        </button>
      </div>
    </>
  );
}
