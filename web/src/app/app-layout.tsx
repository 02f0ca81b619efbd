import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { useSession } from '../auth/session-context.tsx';
import { UnreadNotificationsProvider } from '../notifications/unread-notifications-context.tsx';
import { LoadError } from '../ui/feedback.tsx';
import { AppNav } from './app-nav.tsx';
import { PageSkeleton, ShellSkeleton } from './app-shell.tsx';
import './app-layout.css';

/** The frame around every page except log-in and sign-up. */
export function AppLayout() {
  const { state, retry } = useSession();

  // The same frame index.html painted, so the page does not flash blank while the session loads.
  if (state.status === 'loading') return <ShellSkeleton />;
  if (state.status === 'error') {
    return (
      <main className="app-main app-main-centered" id="main">
        <LoadError error={state.error} onRetry={retry} />
      </main>
    );
  }

  if (state.status === 'signed-out') {
    // Public profiles can be read without an account.
    return (
      <div className="app-shell app-shell-guest">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="guest-bar">
          <Link to="/" className="brand-logo app-logo">
            Glimpse
          </Link>
          <div className="guest-bar-actions">
            <Link className="button button-primary" to="/login">
              Log in
            </Link>
            <Link className="button button-secondary" to="/signup">
              Sign up
            </Link>
          </div>
        </header>
        <main className="app-main" id="main">
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    );
  }

  return (
    <UnreadNotificationsProvider>
      <div className="app-shell">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <AppNav account={state.account} />
        <main className="app-main" id="main">
          {state.notice && (
            <p className="success-message app-notice" role="status">
              {state.notice}
            </p>
          )}
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </UnreadNotificationsProvider>
  );
}
