import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useSession } from './session-context.tsx';
import type { ReturnState } from './session-gates.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';

export function LoginPage() {
  useDocumentTitle('Log in');
  const { logIn } = useSession();
  const location = useLocation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const returnState = location.state as ReturnState | null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setSubmitting(true);
    try {
      // On success the session changes and the guest-only route sends us onwards.
      await logIn(login.trim(), password);
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  };

  return (
    <>
      <p className="auth-tagline">See photos and stories from the people you follow.</p>
      <form className="auth-form" onSubmit={submit}>
        <TextField label="Username or email" name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required maxLength={254} value={login} onChange={(e) => setLogin(e.target.value)} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary button-block" disabled={isSubmitting} aria-busy={isSubmitting}>
          Log in
        </button>
      </form>
      <p className="auth-switch">
        Don&rsquo;t have an account?{' '}
        <Link to="/signup" state={returnState}>
          Sign up
        </Link>
      </p>
    </>
  );
}
