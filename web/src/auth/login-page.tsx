import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useSession } from './session-context.tsx';
import { StaffEnrolment } from './staff-enrolment.tsx';
import { ApiError } from '../api/api-client.ts';
import type { ReturnState } from './session-gates.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

export function LoginPage() {
  useDocumentTitle('Log in');
  const { logIn, state } = useSession();
  const location = useLocation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  // Two-factor log-in: the server asked for a code, or (staff who must have it) to set it up.
  const [code, setCode] = useState('');
  const [isCodeAsked, setCodeAsked] = useState(false);
  const [enrolment, setEnrolment] = useState<{ token: string; message: string } | null>(null);
  const returnState = location.state as ReturnState | null;

  // On success the session changes and the guest-only route sends us onwards.
  const { submit, isSubmitting, error } = useFormSubmit(() => logIn(login.trim(), password, isCodeAsked ? code.trim() : undefined), {
    onError: (err) => {
      const body = err instanceof ApiError ? err.body : {};
      if (body.two_factor_enrolment_required && typeof body.enrolment_token === 'string') {
        setEnrolment({ token: body.enrolment_token, message: (err as Error).message });
        return true;
      }
      if (body.two_factor_required && !isCodeAsked) {
        setCodeAsked(true); // The password was right: now the code, no error yet.
        return true;
      }
    },
  });

  if (enrolment) return <StaffEnrolment enrolmentToken={enrolment.token} message={enrolment.message} />;

  return (
    <>
      <p className="auth-tagline">See photos and stories from the people you follow.</p>
      {state.status === 'signed-out' && state.notice && (
        <p className="success-message" role="status">
          {state.notice}
        </p>
      )}
      <form className="auth-form" onSubmit={submit}>
        <TextField label="Username or email" name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required maxLength={254} value={login} onChange={(e) => setLogin(e.target.value)} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
        {isCodeAsked && (
          <TextField
            label="Two-factor code"
            name="code"
            autoComplete="one-time-code"
            autoFocus
            required
            maxLength={32}
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary button-block" disabled={isSubmitting} aria-busy={isSubmitting}>
          Log in
        </button>
        <p className="auth-forgot">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
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
