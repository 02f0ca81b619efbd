import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { createSession, deleteSession, fetchSession, register, type SignUpInput } from '../api/session-api.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /** `isDeliberate`: the person pressed Log out, so there is no page to come back to. */
  | { status: 'signed-out'; isDeliberate?: boolean; notice?: string }
  /** `notice`: something the log-in did that the person should know (a cancelled account deletion). */
  | { status: 'signed-in'; account: Account; role: string; notice?: string };

export interface SessionContextValue {
  state: SessionState;
  /** The signed-in account, or null. */
  account: Account | null;
  /** `code`: the two-factor code (or a recovery code) when the server asked for one. */
  logIn: (login: string, password: string, code?: string) => Promise<void>;
  /** A session the server started another way (enrolling in two-factor log-in at log-in). */
  adoptSession: (session: { account: Account; csrf_token: string }) => void;
  /** Resolves to 'pending-approval' when an admin must approve the account first. */
  signUp: (input: SignUpInput) => Promise<'signed-in' | 'pending-approval' | 'confirmation-required'>;
  logOut: () => Promise<void>;
  /** The server ended the session itself (asking for account deletion): signed out, with a notice the log-in page shows. */
  sessionEnded: (notice: string) => void;
  /** After an edit of the own profile, so the nav and profile show it at once. */
  replaceAccount: (account: Account) => void;
  retry: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    fetchSession(api).then(
      (session) => {
        if (!isCurrent) return;
        api.setCsrfToken(session.csrf_token);
        setState({ status: 'signed-in', account: session.account, role: session.role ?? 'user' });
      },
      (error: unknown) => {
        if (!isCurrent) return;
        api.setCsrfToken(null);
        setState(error instanceof ApiError && error.status === 401 ? { status: 'signed-out' } : { status: 'error', error });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, attempt]);

  // A session revoked elsewhere (password change, admin action) shows up as a 401 on any call.
  useEffect(
    () =>
      api.onUnauthorized(() => {
        api.setCsrfToken(null);
        setState((current) => (current.status === 'signed-in' ? { status: 'signed-out' } : current));
      }),
    [api],
  );

  const logIn = useCallback(
    async (login: string, password: string, code?: string) => {
      const session = await createSession(api, login, password, code);
      api.setCsrfToken(session.csrf_token);
      const notice = session.deletion_cancelled ? 'Welcome back! Logging in cancelled the deletion of your account.' : undefined;
      setState({ status: 'signed-in', account: session.account, role: 'user', ...(notice ? { notice } : {}) });
    },
    [api],
  );

  const adoptSession = useCallback(
    (session: { account: Account; csrf_token: string }) => {
      api.setCsrfToken(session.csrf_token);
      setState({ status: 'signed-in', account: session.account, role: 'user' });
    },
    [api],
  );

  const signUp = useCallback(
    async (input: SignUpInput) => {
      const result = await register(api, input);
      if (result.kind === 'pending-approval') return 'pending-approval' as const;
      if (result.kind === 'confirmation-required') return 'confirmation-required' as const;
      api.setCsrfToken(result.session.csrf_token);
      setState({ status: 'signed-in', account: result.session.account, role: 'user' });
      return 'signed-in' as const;
    },
    [api],
  );

  const logOut = useCallback(async () => {
    try {
      await deleteSession(api);
    } catch (error) {
      // Already signed out on the server: the outcome the user asked for.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    api.setCsrfToken(null);
    setState({ status: 'signed-out', isDeliberate: true });
  }, [api]);

  const sessionEnded = useCallback(
    (notice: string) => {
      api.setCsrfToken(null);
      setState({ status: 'signed-out', isDeliberate: true, notice });
    },
    [api],
  );

  const replaceAccount = useCallback((account: Account) => {
    setState((current) => (current.status === 'signed-in' ? { ...current, account } : current));
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      account: state.status === 'signed-in' ? state.account : null,
      logIn,
      adoptSession,
      signUp,
      logOut,
      sessionEnded,
      replaceAccount,
      retry,
    }),
    [state, logIn, adoptSession, signUp, logOut, sessionEnded, replaceAccount, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
