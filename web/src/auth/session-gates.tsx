import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from './session-context.tsx';
import { Loading, LoadError } from '../ui/feedback.tsx';

export interface ReturnState {
  from?: string;
}

/** Pages for signed-in people; anyone else goes to /login and comes back afterwards. */
export function RequireSession() {
  const { state, retry } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={retry} />;
  if (state.status === 'signed-out') {
    const from = `${location.pathname}${location.search}`;
    const comeBack = !state.isDeliberate && from !== '/';
    return <Navigate to="/login" replace state={comeBack ? ({ from } satisfies ReturnState) : undefined} />;
  }
  return <Outlet />;
}

/** Log-in and sign-up: someone already signed in goes where they were heading, or home. */
export function GuestOnly() {
  const { state, retry } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={retry} />;
  if (state.status === 'signed-in') {
    const from = (location.state as ReturnState | null)?.from;
    return <Navigate to={from && from.startsWith('/') && !from.startsWith('//') ? from : '/'} replace />;
  }
  return <Outlet />;
}
